// A run that stopped in Phase 4 after ingesting a late change: the next run resumes from the
// partition table (what is missing, failed or stale in the look-back window and on the date itself),
// not only from what it ingested itself.
//
// The stop is a fault injected into the processor list (psza's batches fail inside their
// transaction), not a tiny query timeout: a 1 ms timer may fire after a fast query has already
// finished, so under load the 'crash' sometimes did not happen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../engine/config.js';
import { planBackfill } from '../engine/run.js';
import { DEFAULT_FEED_CONFIG } from '../fetch/feed-config.js';
import { loadFeedFixture, type FeedFixture } from '../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from '../fetch/testing/feed-server.js';
import { PROCESSORS } from '../processors/index.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { TempWarehouse } from '../testing/memory-warehouse.js';
import { runDailyLoop } from './run-daily-loop.js';
import { seasonSoFar } from './testing/season-so-far.js';

const NIGHT = '2021-11-08';
const EARLIER = '2021-11-07';
let fixture: FeedFixture;
let server: FeedServer;
let wh: TempWarehouse;
let cwd: string;

before(async () => {
  [fixture, wh] = await Promise.all([loadFeedFixture({ from: '2021-11-05', to: '2021-11-09' }), seasonSoFar(EARLIER, { backfill: true })]);
  server = await startFeedServer(fixture, { today: NIGHT });
  cwd = mkdtempSync(join(tmpdir(), 'courtside-daily-catchup-'));
});
after(async () => {
  await server.close();
  await fixture.close();
  await wh.cleanup();
  rmSync(cwd, { recursive: true, force: true });
});

/**
 * The real processors with a broken copy of psza: an output table that does not exist and whose DDL
 * does not parse. Phase 4's first step (planning, which creates missing output tables) throws, so
 * the night stops there like a crash: after the ingest, before any partition is built or marked.
 * Deterministic: it fails the same way on every run, however loaded the machine.
 */
const CRASHING: readonly ProcessorDefinition[] = PROCESSORS.map((p) =>
  p.key === 'psza' ? { ...p, outputTable: 'nba_precompute.psza_crash', ddl: 'CREATE TABLE nba_precompute.psza_crash (broken' } : p,
);
const CRASH = /Parser Error: syntax error at end of input/;

const statuses = async (date: string) =>
  (await wh.wh.query<{ status: string }>(`SELECT status FROM nba_processing.partition_status WHERE partition_date = CAST($date AS DATE) ORDER BY processor_name`, { date })).map((r) => r.status);

describe('courtside daily, a failed catch-up', () => {
  it('is resumed by the next run', async () => {
    // A game of Nov 7 called off after the bulk load: Nov 7's slate changes, its partitions go stale.
    const postponed = fixture.games.find((g) => g.date === EARLIER)?.gameId as string;
    server.overrides.set(postponed, 'postponed');
    const feed = {
      ...DEFAULT_FEED_CONFIG,
      ...server.urls,
      landingDir: join(cwd, 'landing'),
      http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 20_000, attempts: 2, baseDelayMs: 10, maxDelayMs: 50, minIntervalMs: 0 },
    };
    const engine = loadConfig({ cwd, env: {} });
    const night = (processors: readonly ProcessorDefinition[]) => runDailyLoop(wh.wh, { date: NIGHT, feed, engine, processors, log: () => undefined });

    // This first time Phase 4 stops at its first step, the catch-up's plan (the run fails, like a crash).
    await assert.rejects(night(CRASHING), CRASH);
    // (the postponement itself was ingested: the night stopped in Phase 4, not before)
    const [left] = await wh.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_reference.schedule WHERE game_id = $g`, { g: postponed });
    assert.equal(left?.n, 0, 'the postponed game left the schedule');
    const stale = async () => (await planBackfill(wh.wh, PROCESSORS, { from: EARLIER, to: EARLIER })).plan.partitions.length;
    assert.ok((await stale()) > 0, 'Nov 7 left stale');

    const second = await night(PROCESSORS);
    assert.equal(second.exitCode, 0, second.text);
    assert.deepEqual(await statuses(NIGHT), PROCESSORS.map(() => 'complete'));
    assert.equal(await stale(), 0, 'the catch-up is resumed: nothing of Nov 7 left stale');
    assert.ok(second.report.phase4.catchUp, second.text);
  });

  it('rebuilds the date itself when an earlier run ingested a late game and stopped before building it', async () => {
    const d = '2021-11-09';
    const lateGame = fixture.games.find((g) => g.date === NIGHT)?.gameId as string;
    const feed = { ...DEFAULT_FEED_CONFIG, ...server.urls, landingDir: join(cwd, 'landing-2'), http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 20_000, attempts: 2, baseDelayMs: 10, maxDelayMs: 50, minIntervalMs: 0 } };
    const engine = loadConfig({ cwd, env: {} });
    const night = (processors: readonly ProcessorDefinition[]) => runDailyLoop(wh.wh, { date: d, feed, engine, processors, log: () => undefined });
    // The run of Nov 9 while a Nov 8 game is still going: Nov 9 built without it.
    server.today = d;
    server.overrides.clear();
    server.overrides.set(lateGame, 'in_progress');
    const first = await night(PROCESSORS);
    assert.equal(first.report.ingests.find((i) => i.date === NIGHT)?.games.loaded, fixture.games.filter((g) => g.date === NIGHT).length - 1, first.text);
    assert.deepEqual(await statuses(d), PROCESSORS.map(() => 'complete'));
    // Run again once it is final: its play-by-play is ingested (it reaches Nov 9 only: a partition
    // dated D reads games before D), then Phase 4 stops before building anything (like a crash).
    const lateEvents = async () => (await wh.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.play_by_play WHERE game_id = $g`, { g: lateGame }))[0]?.n ?? 0;
    assert.equal(await lateEvents(), 0);
    server.overrides.clear();
    await assert.rejects(night(CRASHING), CRASH);
    assert.ok((await lateEvents()) > 0, 'the late game was ingested: the night stopped in Phase 4, not before');
    const stale = async () => (await planBackfill(wh.wh, PROCESSORS, { from: d, to: d })).plan.partitions.length;
    assert.ok((await stale()) > 0, 'Nov 9 now stale');
    // Nothing new lands and nothing before Nov 9 is stale: only Nov 9's own partitions (complete, but
    // stale) say it must be built.
    const third = await night(PROCESSORS);
    assert.equal(third.exitCode, 0, third.text);
    assert.equal(third.report.phase4.catchUp, null, third.text);
    assert.equal(third.report.phase4.decision, 'ran', third.text);
    assert.equal(await stale(), 0, `Nov 9 rebuilt with the late game: ${third.report.phase4.decision}`);
  });
});
