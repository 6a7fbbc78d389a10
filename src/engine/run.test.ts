import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import type { QueryOptions, SqlParams } from '../warehouse/warehouse.js';
import { planBackfill, runBackfill } from './run.js';
import { FAKE_PROCESSORS, fakeTdza, seedWorld, snapshot } from './testing/fakes.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };
const HOLE = '2021-10-24';

describe('missing upstream on one date', () => {
  let t: TempWarehouse;
  let clean: TempWarehouse;
  before(async () => {
    [t, clean] = await Promise.all([tempWarehouse(), tempWarehouse()]);
    await Promise.all([seedWorld(t.wh), seedWorld(clean.wh)]);
    await t.wh.exec(`CREATE TABLE fake.held_back AS SELECT * FROM fake.player_games WHERE game_date = '${HOLE}'; DELETE FROM fake.player_games WHERE game_date = '${HOLE}'`);
  });
  after(() => Promise.all([t.cleanup(), clean.cleanup()]));

  it('fails that date (MISSING_DEPENDENCIES), skips its downstream, completes the rest, exit code 1', async () => {
    const s = await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    assert.equal(s.exitCode, 1);
    assert.equal(s.status, 'partial');
    const rows = await t.wh.query(`SELECT processor_name, status, failure_category, count(*)::INT AS n FROM nba_processing.partition_status GROUP BY ALL ORDER BY ALL`);
    assert.deepEqual(rows, [
      { processor_name: 'FakeDailyCacheProcessor', status: 'bootstrap_empty', failure_category: null, n: 2 },
      { processor_name: 'FakeDailyCacheProcessor', status: 'complete', failure_category: null, n: 9 },
      { processor_name: 'FakeDailyCacheProcessor', status: 'skipped_upstream', failure_category: null, n: 1 },
      { processor_name: 'FakeShotZoneProcessor', status: 'bootstrap_empty', failure_category: null, n: 2 },
      { processor_name: 'FakeShotZoneProcessor', status: 'complete', failure_category: null, n: 9 },
      { processor_name: 'FakeShotZoneProcessor', status: 'failed', failure_category: 'MISSING_DEPENDENCIES', n: 1 },
      { processor_name: 'FakeTeamDefenseProcessor', status: 'bootstrap_empty', failure_category: null, n: 2 },
      { processor_name: 'FakeTeamDefenseProcessor', status: 'complete', failure_category: null, n: 9 },
      { processor_name: 'FakeTeamDefenseProcessor', status: 'failed', failure_category: 'MISSING_DEPENDENCIES', n: 1 },
    ]);
    const dateLevel = await t.wh.query(`SELECT processor_name, analysis_date, failure_reason FROM nba_processing.precompute_failures WHERE entity_id = 'DATE_LEVEL' ORDER BY 1`);
    assert.deepEqual(dateLevel.map((r) => [r['processor_name'], r['analysis_date']]), [['FakeShotZoneProcessor', HOLE], ['FakeTeamDefenseProcessor', HOLE]]);
    assert.match(String(dateLevel[0]?.['failure_reason']), /fake\.player_games: 0 rows < 1/);
  });

  it('once upstream is back, a backfill without --force runs only that date, and matches a clean run', async () => {
    await t.wh.exec(`INSERT INTO fake.player_games SELECT * FROM fake.held_back`);
    const dry = await planBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    assert.deepEqual(dry.plan.partitions.map((p) => `${p.processor} ${p.date} ${p.reason} ${p.action}`), [
      `psza ${HOLE} failed run`,
      `tdza ${HOLE} failed run`,
      `pdc ${HOLE} skipped_upstream run`,
    ]);
    const s = await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    assert.equal(s.exitCode, 0);
    assert.deepEqual(s.processors.map((p) => [p.processor, p.planned, p.complete]), [['psza', 1, 1], ['tdza', 1, 1], ['pdc', 1, 1]]);
    await runBackfill(clean.wh, FAKE_PROCESSORS, RANGE);
    assert.deepEqual(await snapshot(t.wh), await snapshot(clean.wh));
  });
});

describe('per-date mode', () => {
  it('--batch-days 1 and 4 produce the same tables as one whole-range batch', async () => {
    const whs = await Promise.all([tempWarehouse(), tempWarehouse(), tempWarehouse()]);
    try {
      await Promise.all(whs.map((w) => seedWorld(w.wh)));
      const sizes = [null, 1, 4];
      const summaries = await Promise.all(whs.map((w, i) => runBackfill(w.wh, FAKE_PROCESSORS, { ...RANGE, batchDays: sizes[i] ?? null })));
      assert.deepEqual(summaries.map((s) => s.processors.find((p) => p.processor === 'psza')?.batches), [1, 12, 5]);
      const [a, b, c] = await Promise.all(whs.map((w) => snapshot(w.wh)));
      assert.deepEqual(b, a);
      assert.deepEqual(c, a);
    } finally {
      await Promise.all(whs.map((w) => w.cleanup()));
    }
  });
});

describe('timeouts', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
  });
  after(() => t.cleanup());

  // A hang here (no test-level answer within 2 minutes) means the slow query was not interrupted.
  it('interrupts a slow batch: QUERY_TIMEOUT recorded, the run goes on, exit code 1', { timeout: 120_000 }, async () => {
    // A scalar subquery over 10^11 rows: minutes of work unless really interrupted.
    const slow = 'SELECT sum(range) FROM range(100000000000)';
    const slowTdza = {
      ...fakeTdza,
      computeSql: `SELECT 'AAA' AS team_abbr, CAST($from AS DATE) AS analysis_date, (${slow})::BIGINT AS points, now()::TIMESTAMP AS processed_at, $run_id AS run_id`,
    };
    // The run's 1 s timeout reaches every query as before, but only the slow batch keeps it: the
    // others (plans, psza and pdc batches, status writes, each a commit on a real file) run without
    // a timer, so a loaded machine or a slow fsync cannot time one of them out too.
    const timed = (statements: readonly string[]) => statements.some((x) => x.includes(slow));
    const onlySlowTimed = new Proxy(t.wh, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'query' || prop === 'exec' || prop === 'script') {
          return (sql: string | readonly string[], params?: SqlParams, options?: QueryOptions) =>
            (value as (...a: unknown[]) => unknown).call(target, sql, params, timed(typeof sql === 'string' ? [sql] : sql) ? options : { ...options, timeoutMs: 0 });
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    const s = await runBackfill(onlySlowTimed, [FAKE_PROCESSORS[0]!, slowTdza, FAKE_PROCESSORS[2]!], { ...RANGE, timeoutMs: 1000 });
    assert.equal(s.exitCode, 1);
    const byProc = Object.fromEntries(s.processors.map((p) => [p.processor, [p.complete + p.bootstrapEmpty, p.failed]]));
    assert.deepEqual(byProc, { psza: [12, 0], tdza: [0, 12], pdc: [12, 0] });
    const dateLevel = await t.wh.query(`SELECT DISTINCT failure_category FROM nba_processing.precompute_failures WHERE processor_name = 'FakeTeamDefenseProcessor'`);
    assert.deepEqual(dateLevel, [{ failure_category: 'QUERY_TIMEOUT' }]);
    const steps = await t.wh.query(`SELECT processor_name, status FROM nba_processing.run_steps WHERE run_id = $r ORDER BY 1`, { r: s.runId });
    assert.deepEqual(steps.map((r) => `${r['processor_name']} ${r['status']}`), ['FakeDailyCacheProcessor success', 'FakeShotZoneProcessor success', 'FakeTeamDefenseProcessor failed']);
  });
});
