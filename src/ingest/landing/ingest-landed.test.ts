import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seasonSoFar } from '../../daily/testing/season-so-far.js';
import { DEFAULT_FEED_CONFIG, type FeedConfig } from '../../fetch/feed-config.js';
import { fetchDates } from '../../fetch/fetch-dates.js';
import { readManifest } from '../../fetch/landing-store.js';
import { loadFeedFixture, type FeedFixture } from '../../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedPatches, type FeedServer } from '../../fetch/testing/feed-server.js';
import { runCli } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { tableHash } from '../../testing/table-hash.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { PHASE3_TABLES } from '../schema.js';
import { ingestLandedDate } from './ingest-landed.js';

const NOV1 = '2021-11-01';
const NOV2 = '2021-11-02';
const KEY = 'k';
const PHASE3 = PHASE3_TABLES;

let fixture: FeedFixture;
let server: FeedServer;
let base: TempWarehouse; // the season through Oct 31, bulk-ingested
let bulkNov1: TempWarehouse; // the season through Nov 1, bulk-ingested: what the incremental ingest must equal
const dirs: string[] = [];

/** Lands Nov 1's finals and the Nov 2 slate, with the server's documents edited by `patches`. */
async function land(patches: FeedPatches = {}, faults: FeedServer['faults'] = []): Promise<string> {
  const landingDir = mkdtempSync(join(tmpdir(), 'courtside-landing-'));
  dirs.push(landingDir);
  server.patches = patches;
  server.faults.length = 0;
  server.faults.push(...faults);
  const config: FeedConfig = {
    ...DEFAULT_FEED_CONFIG,
    ...server.urls,
    landingDir,
    oddsApiKey: KEY,
    http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 5_000, attempts: 2, baseDelayMs: 5, maxDelayMs: 10, minIntervalMs: 0 },
  };
  await fetchDates({ config, dates: [NOV1], oddsDates: [NOV2] });
  server.patches = {};
  server.faults.length = 0;
  return landingDir;
}

const options = (landingDir: string, runId = 'incr') => ({ landingDir, runId, bookmakers: DEFAULT_FEED_CONFIG.bookmakers });
const copy = async (): Promise<TempWarehouse> => {
  await base.release();
  const t = await tempWarehouse(base.path);
  return t;
};
const hashes = async (wh: Warehouse, where: string) => Promise.all(PHASE3.map((t) => tableHash(wh, t, where)));
const count = async (wh: Warehouse, sql: string, params = {}) => Number((await wh.query<{ n: number }>(sql, params))[0]?.n ?? 0);

before(async () => {
  [fixture, base, bulkNov1] = await Promise.all([loadFeedFixture({ from: NOV1, to: NOV2 }), seasonSoFar('2021-10-31'), seasonSoFar(NOV1)]);
  server = await startFeedServer(fixture, { today: NOV2, apiKey: KEY });
});
after(async () => {
  await server.close();
  await fixture.close();
  await base.cleanup();
  await bulkNov1.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('incremental ingest of landed files', () => {
  it("adds one date: its games' rows equal the bulk ingest's, and nothing before it changes", async () => {
    const landing = await land();
    const t = await copy();
    try {
      const before = await hashes(t.wh, `game_date < DATE '${NOV1}'`);
      const r = await ingestLandedDate(t.wh, NOV1, options(landing));
      assert.equal(r.status, 'ingested', r.error);
      assert.equal(r.games.loaded, 9);
      assert.equal(r.duplicatesDropped, 0);
      assert.equal(r.rowsLoaded, await count(bulkNov1.wh, `SELECT count(*) AS n FROM nba_raw.play_by_play WHERE game_date = '${NOV1}'`));
      assert.deepEqual(await hashes(t.wh, `game_date < DATE '${NOV1}'`), before, 'earlier dates untouched');
      // Same rows as a bulk ingest of the season through Nov 1 — summaries and Nov 1's player contexts.
      // (Nov 1's team contexts carry that slate's lines, fetched the morning of Nov 1: not landed here.)
      const five = async (wh: Warehouse) => (await hashes(wh, `game_date = DATE '${NOV1}'`)).slice(0, 5);
      assert.deepEqual(await five(t.wh), await five(bulkNov1.wh));
      assert.equal(r.playerGames, 187);
    } finally {
      await t.cleanup();
    }
  });

  it("adds a slate: its schedule rows without scores, pre-game contexts with the feed's lines", async () => {
    const landing = await land();
    const t = await copy();
    try {
      assert.equal((await ingestLandedDate(t.wh, NOV1, options(landing))).status, 'ingested');
      const r = await ingestLandedDate(t.wh, NOV2, options(landing));
      assert.equal(r.status, 'ingested', r.error);
      assert.deepEqual(r.games.notFinal.length, 5);
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_reference.schedule WHERE game_date = '${NOV2}' AND home_points IS NULL`), 5);
      const [mil] = await t.wh.query(`SELECT game_total, game_spread, team_implied_total FROM nba_analytics.upcoming_team_game_context WHERE game_date = '${NOV2}' AND team_abbr = 'MIL'`);
      assert.deepEqual(mil, { game_total: 216, game_spread: -4.5, team_implied_total: 110.25 }, 'kyleskom: MIL -180 at DET, 216.0, 4.5');
      const [giannis] = await t.wh.query(`SELECT current_points_line FROM nba_analytics.upcoming_player_game_context WHERE game_date = '${NOV2}' AND player_lookup = 'giannisantetokounmpo'`);
      assert.deepEqual(giannis, { current_points_line: 31.5 });
      assert.ok(r.propLines > 100);
    } finally {
      await t.cleanup();
    }
  });

  for (const bad of [
    {
      name: 'a truncated body',
      setup: (g: string) => ({ faults: [{ match: `GameID=${g}`, fault: { kind: 'truncate' as const } }] }),
      error: /is truncated JSON/,
    },
    {
      name: 'an action without its clock',
      setup: (g: string) => ({
        patches: { actions: (id: string, a: Record<string, unknown>[]) => (id === g ? a.map((x, i) => (i === 9 ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'clock')) : x)) : a) },
      }),
      error: /action 10 \(actionNumber \d+\) has no 'clock' field/,
    },
    {
      name: 'an unknown team',
      setup: (g: string) => ({ patches: { actions: (id: string, a: Record<string, unknown>[]) => (id === g ? a.map((x, i) => (i === 4 ? { ...x, team: 'XYZ' } : x)) : a) } }),
      error: /row 5: action 5: column 'team' has unknown team code 'XYZ'/,
    },
  ]) {
    it(`rolls the date back on ${bad.name}, names the file, and leaves the other dates alone`, async () => {
      const game = fixture.games.find((x) => x.date === NOV1)?.gameId as string;
      const s = bad.setup(game) as { patches?: FeedPatches; faults?: FeedServer['faults'] };
      const landing = await land(s.patches ?? {}, s.faults ?? []);
      const t = await copy();
      try {
        const before = await hashes(t.wh, 'true');
        const pbpBefore = await count(t.wh, 'SELECT count(*) AS n FROM nba_raw.play_by_play');
        const r = await ingestLandedDate(t.wh, NOV1, options(landing));
        assert.equal(r.status, 'failed');
        assert.equal(r.file, join(landing, 'nba-pbp', NOV1, `${game}.json`));
        assert.match(r.error ?? '', new RegExp(`${game}\\.json`));
        assert.match(r.error ?? '', bad.error);
        assert.deepEqual(await hashes(t.wh, 'true'), before, 'nothing of the date is written');
        assert.equal(await count(t.wh, 'SELECT count(*) AS n FROM nba_raw.play_by_play'), pbpBefore);
        assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_raw.landing_ingests WHERE game_date = '${NOV1}'`), 0);
        const other = await ingestLandedDate(t.wh, NOV2, options(landing));
        assert.equal(other.status, 'ingested', 'the slate ingests regardless');
        assert.ok(other.teamContexts >= 10);
      } finally {
        await t.cleanup();
      }
    });
  }

  it('names the schedule when a team in it is unknown', async () => {
    const game = fixture.games.find((x) => x.date === NOV1)?.gameId as string;
    const landing = await land({ scheduleGame: (g) => (g['gameId'] === game ? { ...g, homeTeam: { ...(g['homeTeam'] as object), teamTricode: 'XYZ' } } : g) });
    const t = await copy();
    try {
      const r = await ingestLandedDate(t.wh, NOV1, options(landing));
      assert.equal(r.status, 'failed');
      assert.match(r.error ?? '', new RegExp(`scheduleLeagueV2\\.json: .*\\(game ${game}\\): homeTeam\\.teamTricode has unknown team code 'XYZ'`));
    } finally {
      await t.cleanup();
    }
  });

  it('skips a date whose landed files did not change; forced, it writes the same tables', async () => {
    const landing = await land();
    const t = await copy();
    try {
      await ingestLandedDate(t.wh, NOV1, options(landing));
      const first = await hashes(t.wh, 'true');
      assert.equal((await ingestLandedDate(t.wh, NOV1, options(landing, 'again'))).status, 'unchanged');
      const forced = await ingestLandedDate(t.wh, NOV1, { ...options(landing, 'forced'), force: true });
      assert.equal(forced.status, 'ingested');
      assert.deepEqual(await hashes(t.wh, 'true'), first);
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_raw.play_by_play WHERE game_date = '${NOV1}'`), forced.rowsLoaded, 'replaced, not doubled');
    } finally {
      await t.cleanup();
    }
  });

  it('tracks names nobody has seen: an unknown sportsbook name is a registry failure, a new person joins the registry', async () => {
    const game = fixture.games.find((x) => x.date === NOV1)?.gameId as string;
    const landing = await land({
      // A made free throw credited to a person id the registry has never seen.
      actions: (id, a) => {
        if (id !== game) return a;
        const k = a.findIndex((x) => x['actionType'] === 'freethrow' && x['shotResult'] === 'Made');
        return a.map((x, i) => (i === k ? { ...x, person_id: '1999999', playerName: 'Newcomer', description: 'Z. Newcomer Free Throw 1 of 2 (1 PTS)' } : x));
      },
      eventOdds: (_id, doc) => {
        const books = doc['bookmakers'] as { markets: { outcomes: unknown[] }[] }[];
        books[0]?.markets[0]?.outcomes.push({ name: 'Over', description: 'Zed Unheardof', price: -110, point: 9.5 });
        return doc;
      },
    });
    const t = await copy();
    try {
      const d1 = await ingestLandedDate(t.wh, NOV1, options(landing));
      const debutants = await count(bulkNov1.wh, `SELECT count(*) AS n FROM nba_reference.nba_players_registry WHERE seasons = ['2021-22'] AND universal_player_id NOT IN (SELECT DISTINCT person_id FROM nba_raw.play_by_play WHERE game_date < '${NOV1}' AND person_id IS NOT NULL) AND universal_player_id IN (SELECT DISTINCT unnest(players_on) FROM nba_raw.play_by_play)`);
      assert.equal(d1.newPlayers, debutants + 1, 'the night\'s debutants and the newcomer');
      const [newcomer] = await t.wh.query(`SELECT player_name, name_source FROM nba_reference.nba_players_registry WHERE universal_player_id = 1999999`);
      assert.deepEqual(newcomer, { player_name: 'Z. Newcomer', name_source: 'pbp_description_initial_only' });
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_analytics.player_game_summary WHERE universal_player_id = 1999999 AND points = 1`), 1);
      const d2 = await ingestLandedDate(t.wh, NOV2, options(landing));
      assert.ok(d2.unresolved.propNames >= 1);
      const failures = await t.wh.query(`SELECT raw_name, processor_name, resolved_at FROM nba_processing.registry_failures WHERE player_lookup = 'zedunheardof'`);
      assert.deepEqual(failures, [{ raw_name: 'Zed Unheardof', processor_name: 'UpcomingPlayerGameContextProcessor', resolved_at: null }]);
    } finally {
      await t.cleanup();
    }
  });

  it('courtside ingest --date: exit 0 with a row per date; bad input exits 2 naming the file', async () => {
    const good = await land();
    const game = fixture.games.find((x) => x.date === NOV1)?.gameId as string;
    const bad = await land({}, [{ match: `GameID=${game}`, fault: { kind: 'truncate' } }]);
    const t = await copy();
    await t.release();
    try {
      const ok = await runCli(['--db', t.path, '--format', 'json', 'ingest', '--date', NOV1, '--landing', good]);
      assert.equal(ok.code, 0, ok.err);
      assert.equal((JSON.parse(ok.out) as { status: string }[])[0]?.status, 'ingested');
      const failed = await runCli(['--db', t.path, 'ingest', '--date', NOV1, '--landing', bad, '--force']);
      assert.equal(failed.code, 2);
      assert.match(failed.out, new RegExp(`${game}\\.json.*truncated JSON`));
    } finally {
      await t.cleanup();
    }
  });

  it('takes a final game whose play-by-play stops short of the final score for a missing game: not ingested, asked for again', async () => {
    const game = fixture.games.find((x) => x.date === NOV1)?.gameId as string;
    // stats.nba.com lags the schedule: the game is final there, its play-by-play has the first half only.
    const landing = await land({ actions: (id, a) => (id === game ? a.filter((x) => Number(x['period']) <= 2) : a) });
    assert.equal(readManifest(landing, 'nba-pbp', NOV1).files[`${game}.json`]?.complete, false, 'not a final game’s play-by-play');
    const t = await copy();
    try {
      const first = await ingestLandedDate(t.wh, NOV1, options(landing));
      assert.equal(first.status, 'ingested', first.error);
      assert.equal(first.games.loaded, 8);
      assert.deepEqual(first.games.missing, [game]);
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_analytics.player_game_summary WHERE game_id = ${Number(game)}`), 0, 'no half game in the season');
      // Forced, the operator takes the feed's word (the way out if the feed never matches the schedule).
      const u = await copy();
      try {
        assert.equal((await ingestLandedDate(u.wh, NOV1, { ...options(landing), force: true })).games.loaded, 9);
      } finally {
        await u.cleanup();
      }

      server.requests.length = 0;
      await fetchDates({ config: { ...DEFAULT_FEED_CONFIG, ...server.urls, landingDir: landing, http: { ...DEFAULT_FEED_CONFIG.http, attempts: 2, baseDelayMs: 5, maxDelayMs: 10, minIntervalMs: 0 } }, dates: [NOV1] });
      assert.deepEqual(server.requests.filter((r) => r.path.includes('playbyplayv3')).map((r) => new URL(r.path, 'http://x').searchParams.get('GameID')), [game]);
      const second = await ingestLandedDate(t.wh, NOV1, options(landing, 'incr2'));
      assert.equal(second.games.loaded, 9);
      const five = async (wh: Warehouse) => (await hashes(wh, `game_date = DATE '${NOV1}'`)).slice(0, 5);
      assert.deepEqual(await five(t.wh), await five(bulkNov1.wh));
    } finally {
      await t.cleanup();
    }
  });

  it('a forced re-fetch of the slate after a game started keeps that game’s lines', async () => {
    const landing = await land();
    const t = await copy();
    try {
      await ingestLandedDate(t.wh, NOV1, options(landing));
      await ingestLandedDate(t.wh, NOV2, options(landing));
      const total = async () => (await t.wh.query(`SELECT game_total FROM nba_analytics.upcoming_team_game_context WHERE game_date = '${NOV2}' AND team_abbr = 'MIL'`))[0]?.['game_total'];
      assert.equal(await total(), 216);
      // Tip-off in Detroit: the Odds API lists upcoming events only, so the forced re-fetch has four games.
      const mil = fixture.games.find((g) => g.date === NOV2 && (g.home === 'MIL' || g.away === 'MIL'))?.gameId as string;
      server.overrides.set(mil, 'in_progress');
      try {
        await fetchDates({ config: { ...DEFAULT_FEED_CONFIG, ...server.urls, landingDir: landing, oddsApiKey: KEY, http: { ...DEFAULT_FEED_CONFIG.http, attempts: 2, baseDelayMs: 5, maxDelayMs: 10, minIntervalMs: 0 } }, dates: [], oddsDates: [NOV2], force: true });
      } finally {
        server.overrides.clear();
      }
      const again = await ingestLandedDate(t.wh, NOV2, options(landing, 'forced'));
      assert.equal(again.status, 'ingested', again.error);
      assert.equal(again.gameLines, 4);
      assert.equal(await total(), 216, 'the started game keeps its pre-game line');
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_raw.game_odds WHERE game_date = '${NOV2}'`), 5);
    } finally {
      await t.cleanup();
    }
  });

  it('a slate already in the bulk-loaded season: the feed’s game lines replace the season file’s, one row per game', async () => {
    const landingDir = mkdtempSync(join(tmpdir(), 'courtside-landing-'));
    dirs.push(landingDir);
    server.today = NOV1; // the morning of Nov 1: its games are the slate
    try {
      await fetchDates({ config: { ...DEFAULT_FEED_CONFIG, ...server.urls, landingDir, oddsApiKey: KEY, http: { ...DEFAULT_FEED_CONFIG.http, attempts: 2, baseDelayMs: 5, maxDelayMs: 10, minIntervalMs: 0 } }, dates: [], oddsDates: [NOV1] });
    } finally {
      server.today = NOV2;
    }
    await bulkNov1.release();
    const t = await tempWarehouse(bulkNov1.path);
    try {
      const games = await count(t.wh, `SELECT count(*) AS n FROM nba_raw.game_odds WHERE game_date = '${NOV1}'`);
      assert.equal(games, 9, 'the season file’s lines');
      const r = await ingestLandedDate(t.wh, NOV1, options(landingDir));
      assert.equal(r.status, 'ingested', r.error);
      assert.equal(r.gameLines, 9);
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_raw.game_odds WHERE game_date = '${NOV1}'`), 9, 'replaced, not doubled');
      assert.equal(await count(t.wh, `SELECT count(*) AS n FROM nba_raw.game_odds WHERE game_date = '${NOV1}' AND source_file LIKE '%odds-game-lines%'`), 9);
    } finally {
      await t.cleanup();
    }
  });
});
