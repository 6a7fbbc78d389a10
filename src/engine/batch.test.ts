import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { runBatch } from './batch.js';
import { DEFAULT_RETRY } from './retry.js';
import { runBackfill } from './run.js';
import { FAKE_PROCESSORS, fakePsza, seedWorld, tableContent } from './testing/fakes.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };

describe('atomic batch writes', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
  });
  after(() => t.cleanup());

  it('rolls the whole batch back when an audit returns rows', async () => {
    const output = await tableContent(t.wh, 'fake.psza');
    const failures = await tableContent(t.wh, 'nba_processing.precompute_failures');
    const statuses = await tableContent(t.wh, 'nba_processing.partition_status');
    // Same output rows but a v2 computation whose audit finds a bad row: nothing of it may stick.
    const broken = { ...fakePsza, version: 'v2', computeSql: fakePsza.computeSql.replace('g.points,', '-g.points AS points,') };
    const outcome = await runBatch(t.wh, broken, { from: '2021-10-20', to: '2021-10-22', dates: ['2021-10-20', '2021-10-21', '2021-10-22'].map((date) => ({ date, isBootstrap: false })), fingerprints: ['a', 'b', 'c'] }, { runId: 'run_audit', timeoutMs: 10_000, retry: DEFAULT_RETRY, thresholds: broken.thresholds });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.category, 'PROCESSING_ERROR');
    assert.match(outcome.error ?? '', /audit 'points_non_negative' failed/);
    assert.equal(await tableContent(t.wh, 'fake.psza'), output, 'output rows unchanged');
    // The attempt is recorded (status failed + one DATE_LEVEL row per date); nothing else moved.
    assert.equal(await tableContent(t.wh, `(SELECT * FROM nba_processing.precompute_failures WHERE entity_id <> 'DATE_LEVEL')`), failures);
    const dateLevel = await t.wh.query(`SELECT analysis_date, failure_category FROM nba_processing.precompute_failures WHERE entity_id = 'DATE_LEVEL' ORDER BY 1`);
    assert.deepEqual(dateLevel, ['2021-10-20', '2021-10-21', '2021-10-22'].map((d) => ({ analysis_date: d, failure_category: 'PROCESSING_ERROR' })));
    const st = await t.wh.query(`SELECT status, failure_category, count(*)::INT AS n FROM nba_processing.partition_status WHERE processor_name = 'FakeShotZoneProcessor' AND partition_date BETWEEN '2021-10-20' AND '2021-10-22' GROUP BY ALL`);
    assert.deepEqual(st, [{ status: 'failed', failure_category: 'PROCESSING_ERROR', n: 3 }]);
    assert.notEqual(await tableContent(t.wh, 'nba_processing.partition_status'), statuses);
  });

  it('a rerun then repairs the failed partitions and clears their failure rows', async () => {
    const summary = await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    const psza = summary.processors.find((p) => p.processor === 'psza');
    assert.equal(psza?.planned, 3);
    assert.equal(psza?.complete, 3);
    assert.equal(summary.exitCode, 0);
    const dateLevel = await t.wh.query(`SELECT * FROM nba_processing.precompute_failures WHERE entity_id = 'DATE_LEVEL'`);
    assert.deepEqual(dateLevel, []);
  });
});

describe('failure tracking', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
  });
  after(() => t.cleanup());

  const catFailures = () =>
    t.wh.query(`SELECT analysis_date, failure_category, occurrence_count FROM nba_processing.precompute_failures WHERE processor_name = 'FakeShotZoneProcessor' ORDER BY 1`);

  it('upserts on (processor, date, entity, category): a rerun raises occurrence_count, no new rows', async () => {
    await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    const first = await catFailures();
    // 'cat' scores 0 on the even game days 20, 22, 24, 26, 28.
    assert.deepEqual(first.map((r) => [r['analysis_date'], r['failure_category'], r['occurrence_count']]), [20, 22, 24, 26, 28].map((d) => [`2021-10-${d}`, 'INSUFFICIENT_DATA', 1]));
    await runBackfill(t.wh, FAKE_PROCESSORS, { ...RANGE, force: true });
    const second = await catFailures();
    assert.equal(second.length, 5);
    assert.ok(second.every((r) => r['occurrence_count'] === 2));
  });

  it('clears a partition’s failure rows when it later succeeds', async () => {
    await t.wh.exec(`UPDATE fake.player_games SET points = 7 WHERE player_lookup = 'cat' AND game_date = '2021-10-22'`);
    const summary = await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    // Only the changed date is stale (its upstream fingerprint moved), for psza/tdza and downstream pdc.
    assert.deepEqual(summary.processors.map((p) => [p.processor, p.planned]), [['psza', 1], ['tdza', 1], ['pdc', 1]]);
    const left = await catFailures();
    assert.deepEqual(left.map((r) => r['analysis_date']), ['2021-10-20', '2021-10-24', '2021-10-26', '2021-10-28']);
    const cat = await t.wh.query(`SELECT points FROM fake.psza WHERE player_lookup = 'cat' AND analysis_date = '2021-10-22'`);
    assert.deepEqual(cat, [{ points: 7 }]);
  });
});
