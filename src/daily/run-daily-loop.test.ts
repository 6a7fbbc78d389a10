// Three nights of `courtside daily` against the loopback feeds: a clean night (and the same night
// run again), a night full of faults, and the night after, which picks up what was left and
// rebuilds what it made stale — ending with the same tables as a bulk ingest + backfill.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig, type EngineConfig } from '../engine/config.js';
import { DEFAULT_FEED_CONFIG, type FeedConfig } from '../fetch/feed-config.js';
import { loadFeedFixture, type FeedFixture } from '../fetch/testing/feed-fixture.js';
import { createHttpClient, type HttpClient } from '../fetch/http-client.js';
import { startFeedServer, type FeedServer } from '../fetch/testing/feed-server.js';
import { PROCESSORS } from '../processors/index.js';
import type { TempWarehouse } from '../testing/memory-warehouse.js';
import { tableHash } from '../testing/table-hash.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { runDailyLoop, type DailyLoopResult } from './run-daily-loop.js';
import { seasonSoFar } from './testing/season-so-far.js';

const KEY = 'nightly-key';
const NIGHT1 = '2021-11-08';
const NIGHT2 = '2021-11-09';
const NIGHT3 = '2021-11-10';

let fixture: FeedFixture;
let server: FeedServer;
let wh: TempWarehouse;
let webhook: Server;
const slack: string[] = [];
/** For each message the webhook got, the status of every run in run_history when it arrived. */
const historyAtSend: Map<string, string>[] = [];
let feed: FeedConfig;
let engine: EngineConfig;
const dirs: string[] = [];
const quiet = () => undefined;

before(async () => {
  [fixture, wh] = await Promise.all([loadFeedFixture({ from: '2021-11-04', to: NIGHT3 }), seasonSoFar('2021-11-07', { backfill: true })]);
  server = await startFeedServer(fixture, { today: NIGHT1, apiKey: KEY });
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      slack.push((JSON.parse(body) as { text: string }).text);
      // Answered only once run_history is read: what it holds while the run waits on this send.
      wh.wh.query<{ run_id: string; status: string }>(`SELECT run_id, status FROM nba_processing.run_history`).then(
        (rows) => {
          historyAtSend.push(new Map(rows.map((r) => [r.run_id, r.status])));
          res.writeHead(200).end('ok');
        },
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const cwd = mkdtempSync(join(tmpdir(), 'courtside-daily-'));
  dirs.push(cwd);
  engine = loadConfig({ cwd, env: { COURTSIDE_SLACK_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/T/B/X` } });
  feed = {
    ...DEFAULT_FEED_CONFIG,
    ...server.urls,
    landingDir: join(cwd, 'landing'),
    oddsApiKey: KEY,
    // No answer of the local feeds comes near 10 s, loaded machine or not; night 2 gives only its
    // slow request a short deadline.
    http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 10_000, attempts: 3, baseDelayMs: 10, maxDelayMs: 50, minIntervalMs: 0 },
  };
});
after(async () => {
  await server.close();
  await fixture.close();
  await wh.cleanup();
  webhook.closeAllConnections();
  await new Promise<void>((r) => webhook.close(() => r()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const night = async (date: string, client?: HttpClient): Promise<DailyLoopResult> => {
  server.today = date;
  slack.length = 0;
  historyAtSend.length = 0;
  server.requests.length = 0;
  return runDailyLoop(wh.wh, { date, feed, engine, processors: PROCESSORS, log: quiet, ...(client ? { client } : {}) });
};
const statuses = (w: Warehouse, date: string) =>
  w.query<{ processor_name: string; status: string; run_id: string }>(
    `SELECT processor_name, status, run_id FROM nba_processing.partition_status WHERE partition_date = CAST($date AS DATE) ORDER BY 1`,
    { date },
  );

describe('courtside daily', () => {
  it('night 1: fetches, ingests, builds Phase 4 for the date, reports, and sends one summary', async () => {
    const r = await night(NIGHT1);
    assert.equal(r.exitCode, 0, r.text);
    assert.equal(r.report.status, 'success');
    assert.deepEqual(r.report.ingests.map((i) => [i.date, i.status]), [['2021-11-05', 'ingested'], ['2021-11-06', 'ingested'], ['2021-11-07', 'ingested'], [NIGHT1, 'ingested']]);
    assert.equal(r.report.ingests.at(-1)?.games.notFinal.length, fixture.games.filter((g) => g.date === NIGHT1).length, 'the slate');
    assert.ok((r.report.ingests.at(-1)?.propLines ?? 0) > 100, 'the Nov 8 snapshot’s player_points lines');
    assert.equal(r.report.phase4.catchUp, null, 're-ingesting bulk-loaded days changed nothing Phase 4 read');
    assert.equal(r.report.phase4.decision, 'ran');
    assert.deepEqual((await statuses(wh.wh, NIGHT1)).map((s) => s.status), PROCESSORS.map(() => 'complete'));
    assert.match(r.text, /^courtside daily 2021-11-08: success/);
    assert.match(r.text, /phase 4: ran/);

    // Every step is in run history, and the Phase 4 run is linked to the daily run.
    const steps = await wh.wh.query<{ processor_name: string; status: string }>(`SELECT processor_name, status FROM nba_processing.run_steps WHERE run_id = $id ORDER BY finished_at`, { id: r.report.runId });
    assert.deepEqual(steps.map((s) => s.processor_name), ['fetch', 'ingest', 'ingest', 'ingest', 'ingest', 'phase4', 'report']);
    assert.ok(steps.every((s) => s.status === 'success' || s.status === 'ingested'));
    const runs = await wh.wh.query<{ run_id: string; command: string; status: string }>(`SELECT run_id, command, status FROM nba_processing.run_history WHERE run_id LIKE $p ORDER BY run_id`, { p: `${r.report.runId}%` });
    assert.deepEqual(runs.map((x) => [x.run_id, x.status]), [[r.report.runId, 'success'], [`${r.report.runId}_phase4`, 'success']]);

    assert.equal(slack.length, 1, 'one message');
    assert.match(slack[0] ?? '', /courtside daily 2021-11-08: success/);
    assert.deepEqual(historyAtSend.map((h) => h.get(r.report.runId)), ['success'], 'the run is recorded before its message goes out');
  });

  it('night 1 again: nothing new — no downloads but the schedule, no ingest, no Phase 4, no message', async () => {
    const before = await statuses(wh.wh, NIGHT1);
    const r = await night(NIGHT1);
    assert.equal(r.exitCode, 0);
    assert.equal(r.report.status, 'nothing_new');
    assert.deepEqual(server.requests.map((q) => q.path), ['/static/json/staticData/scheduleLeagueV2.json']);
    assert.ok(r.report.ingests.every((i) => i.status === 'unchanged'));
    assert.match(r.report.phase4.decision, /^up to date/);
    assert.deepEqual(await statuses(wh.wh, NIGHT1), before, 'partitions untouched');
    assert.equal(slack.length, 0);
  });

  it('night 2, with faults: retries ride out the transient ones; a bad file and an unfinished game are alerts; the slate is built', async () => {
    const nov8 = fixture.games.filter((g) => g.date === NIGHT1).map((g) => g.gameId);
    const [live, broken, slow] = nov8 as [string, string, string];
    server.overrides.set(live, 'in_progress');
    server.faults.push(
      { match: 'scheduleLeagueV2', times: 1, fault: { kind: 'status', status: 429, retryAfter: '1' } },
      { match: `GameID=${broken}`, fault: { kind: 'truncate' } },
      { match: `GameID=${slow}`, times: 1, fault: { kind: 'slow', delayMs: 5_000 } },
      { match: '/events/', times: 1, fault: { kind: 'status', status: 500 } },
    );
    server.patches = {
      // No snapshot has Nov 9 lines: one book offers one, for a name nobody has seen.
      eventOdds: (_id, doc) => ({
        ...doc,
        bookmakers: [
          {
            key: 'draftkings',
            title: 'DraftKings',
            last_update: '2021-11-09T15:00:00Z',
            markets: [{ key: 'player_points', last_update: '2021-11-09T15:00:00Z', outcomes: [{ name: 'Over', description: 'Quentin Neverseen', price: -110, point: 7.5 }] }],
          },
        ],
      }),
    };
    // The client times out after 4 s, but only the slow request carries that deadline: the others go
    // out without it, so a slow machine cannot make one of them time out instead.
    let slowAsked = false;
    const onlySlowTimed: typeof fetch = (input, init) => {
      const isSlow = !slowAsked && String(input).includes(`GameID=${slow}`);
      slowAsked ||= isSlow;
      return fetch(input, isSlow ? init : { ...init, signal: null });
    };
    const r = await night(NIGHT2, createHttpClient({ ...feed.http, timeoutMs: 4_000 }, { fetch: onlySlowTimed }));
    const slowAsks = server.requests.filter((q) => q.path.includes(`GameID=${slow}`)).length;
    server.faults.length = 0;
    server.patches = {};
    assert.equal(r.exitCode, 1, r.text);
    assert.equal(slowAsks, 2, 'the slow answer timed out and was asked again');
    assert.equal(r.report.status, 'partial');
    const nov8Ingest = r.report.ingests.find((i) => i.date === NIGHT1);
    assert.equal(nov8Ingest?.status, 'failed');
    assert.match(nov8Ingest?.error ?? '', new RegExp(`nba-pbp/2021-11-08/${broken}\\.json: is truncated JSON`));
    const slate = r.report.ingests.find((i) => i.date === NIGHT2);
    assert.equal(slate?.status, 'ingested');
    assert.equal(slate?.games.notFinal.length, fixture.games.filter((g) => g.date === NIGHT2).length);
    assert.equal(r.report.phase4.decision, 'ran');
    assert.equal((await statuses(wh.wh, NIGHT2)).length, PROCESSORS.length);
    assert.equal(Number((await wh.wh.query(`SELECT count(*) AS n FROM nba_processing.registry_failures WHERE player_lookup = 'quentinneverseen' AND game_date = $d`, { d: NIGHT2 }))[0]?.['n']), 1);

    const titles = r.report.alerts.map((a) => a.title);
    assert.ok(titles.includes(`ingest of ${NIGHT1} rolled back`), titles.join('; '));
    assert.ok(titles.includes(`game ${live} (${NIGHT1}) not final yet`), titles.join('; '));
    assert.equal(slack.length, 1, 'the alerts go out in one message');
    assert.match(slack[0] ?? '', new RegExp(`ingest of ${NIGHT1} rolled back[\\s\\S]*${broken}\\.json: is truncated JSON`));
    assert.doesNotMatch(slack[0] ?? '', /: success/, 'no success summary on a night with failures');
    assert.deepEqual(historyAtSend.map((h) => h.get(r.report.runId)), ['partial'], 'the run is recorded before its alerts go out');
    const fetchStep = await wh.wh.query<{ status: string }>(`SELECT status FROM nba_processing.run_steps WHERE run_id = $id AND processor_name = 'fetch'`, { id: r.report.runId });
    assert.deepEqual(fetchStep, [{ status: 'success' }], 'every request eventually answered (the truncated body landed as received)');
  });

  it('night 3: picks up the unfinished and the broken game, rebuilds what they made stale, and equals a bulk ingest + backfill', async () => {
    server.overrides.clear();
    const postponed = fixture.games.find((g) => g.date === NIGHT3)?.gameId as string;
    server.overrides.set(postponed, 'postponed');
    const r = await night(NIGHT3);
    assert.equal(r.exitCode, 0, r.text);
    const slate = r.report.ingests.find((i) => i.date === NIGHT3);
    assert.deepEqual(slate?.games.postponed, [postponed]);
    assert.equal(Number((await wh.wh.query(`SELECT count(*) AS n FROM nba_reference.schedule WHERE game_id = $g`, { g: postponed }))[0]?.['n']), 0, 'a postponed game is not on the slate');
    assert.match(r.text, new RegExp(`1 postponed \\(${postponed}\\)`));
    const nov8 = r.report.ingests.find((i) => i.date === NIGHT1);
    assert.equal(nov8?.status, 'ingested');
    assert.equal(nov8?.games.loaded, fixture.games.filter((g) => g.date === NIGHT1).length);
    assert.ok(r.report.phase4.catchUp, 'Nov 9 had been built without Nov 8: rebuilt');
    const rebuilt = r.report.phase4.catchUp?.processors.reduce((n, p) => n + p.complete, 0) ?? 0;
    assert.equal(rebuilt, PROCESSORS.length, 'exactly the stale day (Nov 9), every processor');

    const bulk = await seasonSoFar(NIGHT2, { backfill: true });
    try {
      const phase3 = ['nba_reference.schedule', 'nba_analytics.player_game_summary', 'nba_analytics.team_offense_game_summary', 'nba_analytics.team_defense_game_summary', 'nba_analytics.upcoming_player_game_context', 'nba_analytics.upcoming_team_game_context'];
      for (const t of phase3) {
        const where = `game_date <= DATE '${NIGHT2}'`;
        assert.deepEqual(await tableHash(wh.wh, t, where), await tableHash(bulk.wh, t, where), t);
      }
      for (const p of PROCESSORS) {
        const where = `${p.dateColumn} <= DATE '${NIGHT2}'`;
        assert.deepEqual(await tableHash(wh.wh, p.outputTable, where), await tableHash(bulk.wh, p.outputTable, where), p.outputTable);
      }
    } finally {
      await bulk.cleanup();
    }
  });
});
