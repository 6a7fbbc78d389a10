// A run that stopped in Phase 4 after ingesting a late change: the next run resumes from the
// partition table (what is missing, failed or stale in the look-back window and on the date itself),
// not only from what it ingested itself.
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
    const night = (e: typeof engine) => runDailyLoop(wh.wh, { date: NIGHT, feed, engine: e, processors: PROCESSORS, log: () => undefined });

    // Phase 4 queries time out this first time: the planning's reads stop the run, or its batches are
    // recorded failed (QUERY_TIMEOUT); either way Nov 7 is left to rebuild.
    await night({ ...engine, timeoutMs: { ...engine.timeoutMs, daily: 1 }, retry: { ...engine.retry, attempts: 1 } }).catch(() => undefined);
    // (the postponement itself was ingested: the night stopped in Phase 4, not before)
    const [left] = await wh.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_reference.schedule WHERE game_id = $g`, { g: postponed });
    assert.equal(left?.n, 0, 'the postponed game left the schedule');
    const stale = async () => (await planBackfill(wh.wh, PROCESSORS, { from: EARLIER, to: EARLIER })).plan.partitions.length;
    assert.ok((await stale()) > 0, 'Nov 7 left stale');

    const second = await night(engine);
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
    const night = (e: typeof engine) => runDailyLoop(wh.wh, { date: d, feed, engine: e, processors: PROCESSORS, log: () => undefined });
    // The run of Nov 9 while a Nov 8 game is still going: Nov 9 built without it.
    server.today = d;
    server.overrides.clear();
    server.overrides.set(lateGame, 'in_progress');
    const first = await night(engine);
    assert.equal(first.report.ingests.find((i) => i.date === NIGHT)?.games.loaded, fixture.games.filter((g) => g.date === NIGHT).length - 1, first.text);
    assert.deepEqual(await statuses(d), PROCESSORS.map(() => 'complete'));
    // Run again once it is final: its play-by-play is ingested, then Phase 4 fails (a 1 ms timeout).
    server.overrides.clear();
    await night({ ...engine, timeoutMs: { ...engine.timeoutMs, daily: 1 }, retry: { ...engine.retry, attempts: 1 } }).catch(() => undefined);
    const stale = async () => (await planBackfill(wh.wh, PROCESSORS, { from: d, to: d })).plan.partitions.length;
    assert.ok((await stale()) > 0, 'Nov 9 now stale');
    const third = await night(engine);
    assert.equal(third.exitCode, 0, third.text);
    assert.equal(await stale(), 0, `Nov 9 rebuilt with the late game: ${third.report.phase4.decision}`);
  });
});
