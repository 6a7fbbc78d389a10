// A timed-out batch is recorded as QUERY_TIMEOUT and the run goes on with other work (SYSTEM.md §4),
// wherever in the batch the timeout hits: its compute, its write step (the statements that store
// the outputs, failure rows and statuses), the read of its upstream windows before it — and however
// small the timeout is next to the bookkeeping that records the failure. Real DuckDB file, real
// interrupts; the faults are slow SQL in the processors or, for the engine's own statements, slow
// SQL added to them by a wrapper around the warehouse.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readsOutput } from '../processors/dependency.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import type { QueryOptions, Row, SqlParams, Warehouse } from '../warehouse/warehouse.js';
import { DELETE_STATUSES_OF_DATES_SQL } from './partitions.js';
import { runBackfill } from './run.js';
import { fakePdc, fakePsza, fakeTdza, seedWorld } from './testing/fakes.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };
const NO_RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

/** SQL that runs for minutes unless interrupted, but only in the batch that holds `date` (else at once). */
const forever = (date: string) =>
  `(SELECT count(*) FROM range(CASE WHEN CAST($from AS DATE) <= DATE '${date}' AND CAST($to AS DATE) >= DATE '${date}' THEN 100000000000 ELSE 1 END)) > 0`;

/** psza whose write step (the merge of its entity failures, after the outputs are inserted) never ends in the batch of 10-24. */
const slowWritePsza: ProcessorDefinition = { ...fakePsza, failuresSql: `${fakePsza.failuresSql}\n  AND ${forever('2021-10-24')}` };
/** tdza whose compute never ends in the batch of 10-20. */
const slowComputeTdza: ProcessorDefinition = { ...fakeTdza, computeSql: `${fakeTdza.computeSql.replace('GROUP BY ALL', '')} AND ${forever('2021-10-20')} GROUP BY ALL` };

/**
 * `wh`, slowed where a test says: a script that `script.when` picks runs `script.statement` first
 * (in the same unit, under the same timeout); a query that `query.when` picks is joined to the
 * scalar `query.slow`. Real DuckDB work, really timed and interrupted.
 */
interface Slowdown {
  readonly script?: { readonly when: (statements: readonly string[]) => boolean; readonly statement: string };
  readonly query?: { readonly when: (sql: string) => boolean; readonly slow: string };
}

function slowing(wh: Warehouse, s: Slowdown): Warehouse {
  return new Proxy(wh, {
    get(target, prop) {
      if (prop === 'script') {
        return (statements: readonly string[], params?: SqlParams, options?: QueryOptions) =>
          target.script(s.script?.when(statements) ? [s.script.statement, ...statements] : statements, params, options);
      }
      if (prop === 'query') {
        return <T extends Row>(sql: string, params?: SqlParams, options?: QueryOptions) =>
          target.query<T>(s.query?.when(sql) ? `SELECT q.* FROM (${sql}) AS q WHERE (${s.query.slow}) >= 0` : sql, params, options);
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

type StatusRow = { p: string; d: string; status: string; category: string | null; run: string };

async function statuses(wh: Warehouse): Promise<StatusRow[]> {
  return wh.query<StatusRow>(
    `SELECT processor_name AS p, CAST(partition_date AS VARCHAR) AS d, status, failure_category AS category, run_id AS run FROM nba_processing.partition_status ORDER BY 1, 2`,
  );
}

async function dateLevel(wh: Warehouse): Promise<{ p: string; d: string; category: string; reason: string }[]> {
  return wh.query(
    `SELECT processor_name AS p, CAST(analysis_date AS VARCHAR) AS d, failure_category AS category, failure_reason AS reason FROM nba_processing.precompute_failures WHERE entity_id = 'DATE_LEVEL' ORDER BY 1, 2`,
  );
}

describe('a batch that times out', () => {
  let t: TempWarehouse;
  let first: string;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    // Everything built once: a timed-out rebuild must leave these rows exactly as they are.
    first = (await runBackfill(t.wh, [fakePsza, fakeTdza, fakePdc], { ...RANGE, runId: 'run_first' })).runId;
  });
  after(() => t.cleanup());

  it('in its write step or its compute: rolled back whole, recorded QUERY_TIMEOUT for its dates, the run goes on', async () => {
    const s = await runBackfill(t.wh, [slowWritePsza, slowComputeTdza, fakePdc], { ...RANGE, force: true, batchDays: 4, timeoutMs: 1000, retry: NO_RETRY, runId: 'run_timeouts' });
    assert.equal(s.exitCode, 1);
    assert.equal(s.status, 'partial');
    const byProcessor = Object.fromEntries(s.processors.map((p) => [p.processor, { built: p.complete + p.bootstrapEmpty, failed: p.failed, skipped: p.skippedUpstream, batches: p.batches }]));
    assert.deepEqual(byProcessor, {
      psza: { built: 8, failed: 4, skipped: 0, batches: 5 }, // batch 10-21..10-24 timed out in its write step
      tdza: { built: 11, failed: 1, skipped: 0, batches: 5 }, // batch 10-20 (its window 10-17..10-20) timed out in its compute
      pdc: { built: 8, failed: 0, skipped: 4, batches: 4 }, // the dates whose psza failed are skipped; its other batches ran
    });

    const st = await statuses(t.wh);
    const failed = st.filter((r) => r.status === 'failed');
    assert.deepEqual(failed.map((r) => `${r.p} ${r.d} ${r.category} ${r.run}`), [
      ...['21', '22', '23', '24'].map((d) => `FakeShotZoneProcessor 2021-10-${d} QUERY_TIMEOUT run_timeouts`),
      'FakeTeamDefenseProcessor 2021-10-20 QUERY_TIMEOUT run_timeouts',
    ]);
    assert.ok(st.filter((r) => r.status !== 'failed' && r.status !== 'skipped_upstream').every((r) => r.run === 'run_timeouts'), 'every other batch was rebuilt by this run');

    const dl = await dateLevel(t.wh);
    assert.deepEqual(dl.map((r) => `${r.p} ${r.d} ${r.category}`), failed.map((r) => `${r.p} ${r.d} QUERY_TIMEOUT`));
    assert.match(dl[0]?.reason ?? '', /^psza 2021-10-21\.\.2021-10-24: query interrupted after 1000 ms: MERGE INTO nba_processing\.precompute_failures/);
    assert.match(dl.at(-1)?.reason ?? '', /^tdza 2021-10-20\.\.2021-10-20: query interrupted after 1000 ms: INSERT INTO fake\.tdza/);

    // Nothing of the timed-out batches stuck: their dates keep the first run's outputs and entity failures.
    const outputs = await t.wh.query<{ t: string; d: string; run: string; n: number }>(
      `SELECT 'psza' AS t, CAST(analysis_date AS VARCHAR) AS d, run_id AS run, count(*) AS n FROM fake.psza WHERE analysis_date BETWEEN '2021-10-21' AND '2021-10-24' GROUP BY ALL
       UNION ALL SELECT 'tdza', CAST(analysis_date AS VARCHAR), run_id, count(*) FROM fake.tdza WHERE analysis_date = '2021-10-20' GROUP BY ALL ORDER BY 1, 2`,
    );
    assert.deepEqual(outputs.map((r) => `${r.t} ${r.d} ${r.run} ${r.n}`), [
      `psza 2021-10-21 ${first} 3`, `psza 2021-10-22 ${first} 2`, `psza 2021-10-23 ${first} 3`, `psza 2021-10-24 ${first} 2`, `tdza 2021-10-20 ${first} 2`,
    ]);
    const entityRows = await t.wh.query(`SELECT CAST(analysis_date AS VARCHAR) AS d, entity_id AS e, run_id AS run FROM nba_processing.precompute_failures WHERE entity_id <> 'DATE_LEVEL' AND analysis_date BETWEEN '2021-10-21' AND '2021-10-24' ORDER BY 1`);
    assert.deepEqual(entityRows, [{ d: '2021-10-22', e: 'cat', run: first }, { d: '2021-10-24', e: 'cat', run: first }]);

    // The run history says what happened.
    const [run] = await t.wh.query<{ status: string; summary: string }>(`SELECT status, summary FROM nba_processing.run_history WHERE run_id = 'run_timeouts'`);
    assert.equal(run?.status, 'partial');
    assert.equal(JSON.parse(run?.summary ?? '{}').failed, 9);
    const steps = await t.wh.query<{ p: string; f: string; status: string; error: string | null }>(
      `SELECT processor_name AS p, CAST(batch_from AS VARCHAR) AS f, status, error FROM nba_processing.run_steps WHERE run_id = 'run_timeouts' AND status = 'failed' ORDER BY 1`,
    );
    assert.deepEqual(steps.map((r) => `${r.p} ${r.f}`), ['FakeShotZoneProcessor 2021-10-21', 'FakeTeamDefenseProcessor 2021-10-20']);
    assert.ok(steps.every((r) => /query interrupted after 1000 ms/.test(r.error ?? '')));
  });

  it('is recorded even when recording it takes longer than the batch timeout: the bookkeeping has a bound of its own', async () => {
    // The first recording of a failure (tdza's timed-out batch) does ~1 s of real work more, which the
    // batch's 300 ms timeout would interrupt: the run then stopped, failed, with nothing recorded.
    let slowedOnce = false;
    const wh = slowing(t.wh, {
      script: {
        when: (statements) => statements[0] === DELETE_STATUSES_OF_DATES_SQL && !slowedOnce && (slowedOnce = true),
        statement: 'CREATE OR REPLACE TEMP TABLE courtside_slow AS SELECT count(*) AS n FROM range(200000000) WHERE hash(range) % 7 = 0',
      },
    });
    const s = await runBackfill(wh, [fakePsza, slowComputeTdza], { ...RANGE, force: true, batchDays: 4, timeoutMs: 300, retry: NO_RETRY, runId: 'run_slow_bookkeeping' });
    assert.ok(slowedOnce);
    assert.equal(s.exitCode, 1);
    assert.equal(s.status, 'partial');
    assert.deepEqual(s.failedPartitions.map((f) => `${f.processor} ${f.date} ${f.category}`), ['tdza 2021-10-20 QUERY_TIMEOUT']);
    const st = (await statuses(t.wh)).filter((r) => r.run === 'run_slow_bookkeeping');
    assert.equal(st.length, 12 + 12);
    assert.deepEqual(st.filter((r) => r.status === 'failed').map((r) => `${r.p} ${r.d} ${r.category}`), ['FakeTeamDefenseProcessor 2021-10-20 QUERY_TIMEOUT']);
    const [run] = await t.wh.query(`SELECT status FROM nba_processing.run_history WHERE run_id = 'run_slow_bookkeeping'`);
    assert.equal(run?.['status'], 'partial');
  });

  it('while reading its upstream windows: its batches recorded QUERY_TIMEOUT, the run goes on', async () => {
    // pdc reads the psza partitions of the 3 days before D: re-read after psza's batches rebuilt them.
    const reader: ProcessorDefinition = { ...fakePdc, reads: [readsOutput('psza', { days: 3, anchor: 'date' }, "the form processor's last 3 days")] };
    let slowed = 0;
    const wh = slowing(t.wh, {
      // The planning's one check query also checks psza's upstream table; the re-read reads only partitions.
      query: { when: (sql) => sql.includes('check_index') && !sql.includes('fake.player_games') && ++slowed > 0, slow: 'SELECT count(*) FROM range(100000000000)' },
    });
    const started = Date.now();
    const s = await runBackfill(wh, [fakePsza, reader], { ...RANGE, force: true, batchDays: 4, timeoutMs: 1000, retry: NO_RETRY, runId: 'run_window_timeout' });
    assert.ok(Date.now() - started < 60_000, 'the window query was interrupted');
    assert.equal(slowed, 1, 'one re-read of the windows');
    assert.equal(s.exitCode, 1);
    assert.deepEqual(s.processors.map((p) => `${p.processor} built ${p.complete + p.bootstrapEmpty} failed ${p.failed} batches ${p.batches}`), ['psza built 12 failed 0 batches 5', 'pdc built 0 failed 12 batches 5']);
    assert.ok(s.failedPartitions.every((f) => f.category === 'QUERY_TIMEOUT' && /^pdc 2021-10-\d\d\.\.2021-10-\d\d: query interrupted after 1000 ms/.test(f.reason)));
    const dl = (await dateLevel(t.wh)).filter((r) => r.p === 'FakeDailyCacheProcessor');
    assert.equal(dl.length, 12);
    assert.ok(dl.every((r) => r.category === 'QUERY_TIMEOUT'));
    const [run] = await t.wh.query(`SELECT status FROM nba_processing.run_history WHERE run_id = 'run_window_timeout'`);
    assert.equal(run?.['status'], 'partial');
  });
});
