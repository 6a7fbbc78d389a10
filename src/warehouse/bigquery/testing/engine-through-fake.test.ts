// The engine through the official client and the fake BigQuery server: each batch is ONE script job
// (BEGIN … COMMIT TRANSACTION), a level's processors side by side never collide on the shared
// bookkeeping tables, an audit fails its script (ASSERT) and the batch rolls back, a script past its
// timeout is cancelled and recorded QUERY_TIMEOUT, and the tables come out as on DuckDB.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINE_DDL } from '../../../engine/schema.js';
import { runBatch } from '../../../engine/batch.js';
import { DEFAULT_RETRY } from '../../../engine/retry.js';
import { runBackfill } from '../../../engine/run.js';
import { FAKE_PROCESSORS, fakePdc, fakePsza, fakeTdza, seedWorld, snapshot } from '../../../engine/testing/fakes.js';
import { INGEST_DDL } from '../../../ingest/schema.js';
import { tempWarehouse, type TempWarehouse } from '../../../testing/memory-warehouse.js';
import { BigQueryWarehouse } from '../bigquery-warehouse.js';
import { SHARED_TABLE_LAYOUTS } from '../table-layouts.js';
import { FakeBigQuery } from './fake-bigquery-server.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };

/** Statuses and failures without the columns that differ by engine (hashes) or by run. */
async function comparable(wh: BigQueryWarehouse | TempWarehouse['wh']): Promise<Record<string, string>> {
  const s = await snapshot(wh);
  const statuses = await wh.query(`SELECT processor_name, partition_date, status, failure_category, rows_written, entity_failures, processor_version, detail FROM nba_processing.partition_status ORDER BY ALL`);
  return { ...s, statuses: JSON.stringify(statuses) };
}

describe('the engine through the official client and the fake BigQuery server', () => {
  let fake: FakeBigQuery;
  let duck: TempWarehouse;
  let wh: BigQueryWarehouse;
  before(async () => {
    fake = await FakeBigQuery.start();
    duck = await tempWarehouse();
    wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: '', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
    // The tables as migrate makes them on BigQuery (the ingest's views rendered with their dialect pieces).
    await wh.applyDdl(`${INGEST_DDL}\n${ENGINE_DDL}`, SHARED_TABLE_LAYOUTS);
    await seedWorld(wh);
    await seedWorld(duck.wh);
  });
  after(async () => {
    await fake?.stop();
    await duck?.cleanup();
  });

  it('a backfill is one script job per batch, writes the same tables as on DuckDB, and counts its jobs', async (t) => {
    const before = wh.jobs.count;
    const summary = await runBackfill(wh, FAKE_PROCESSORS, RANGE);
    const jobs = wh.jobs.jobs.slice(before);
    const fakeJobs = fake.jobs.slice(before);
    assert.equal(summary.exitCode, 0);
    await runBackfill(duck.wh, FAKE_PROCESSORS, RANGE);
    assert.deepEqual(await comparable(wh), await comparable(duck.wh));
    assert.equal(wh.jobs.count, fake.jobCount);
    const scripts = fakeJobs.filter((j) => /^BEGIN TRANSACTION;/.test(j.query ?? ''));
    // One per batch: psza, tdza, pdc (whole range), each with the processor's label.
    assert.deepEqual(scripts.map((j) => (j.configuration['labels'] as Record<string, string>)['processor']).sort(), ['pdc', 'psza', 'tdza']);
    assert.equal(jobs.filter((j) => j.kind === 'session').length, 0, 'no session transactions: a batch is one script');
    for (const s of scripts) {
      assert.match(s.query ?? '', /CREATE OR REPLACE TEMP TABLE|DELETE FROM fake\./);
      assert.match(s.query ?? '', /MERGE INTO nba_processing\.precompute_failures AS t/);
      assert.match(s.query ?? '', /FROM UNNEST\(@partitions\) AS e/);
      assert.match(s.query ?? '', /COMMIT TRANSACTION;$/);
    }
    assert.match(scripts.find((j) => /FakeShotZoneProcessor|fake\.psza/.test(j.query ?? ''))?.query ?? '', /ASSERT NOT EXISTS \([\s\S]*\) AS 'FakeShotZoneProcessor: audit \\'points_non_negative\\' failed'/);
    // Per batch ONE script (+ its run_steps row); the rest is the run's fixed cost, whatever the range:
    // output-table DDL 1, run history start/finish 2, game dates 1, stored statuses 1, dependency checks 1.
    const kinds = jobs.reduce<Record<string, number>>((k, j) => ({ ...k, [j.kind]: (k[j.kind] ?? 0) + 1 }), {});
    assert.equal(kinds['script'], 3);
    assert.equal(kinds['ddl'], 1);
    assert.ok(jobs.length <= 3 * 2 + 8, `${jobs.length} jobs: ${JSON.stringify(kinds)}`);
    t.diagnostic(`backfill of ${FAKE_PROCESSORS.length} processors × 1 batch: ${jobs.length} jobs (${JSON.stringify(kinds)})`);
  });

  it("a level's processors side by side: their scripts never overlap, and a script BigQuery aborts for a concurrent update is resubmitted", async () => {
    const before = fake.jobs.length;
    fake.failJobs({ match: /DELETE FROM fake\.tdza/, reason: 'invalidQuery', message: 'Transaction is aborted due to concurrent update against table nba_processing.partition_status' });
    const summary = await runBackfill(wh, FAKE_PROCESSORS, { ...RANGE, force: true });
    assert.equal(summary.exitCode, 0);
    await runBackfill(duck.wh, FAKE_PROCESSORS, { ...RANGE, force: true });
    assert.deepEqual(await comparable(wh), await comparable(duck.wh));
    const scripts = fake.jobs.slice(before).filter((j) => /^BEGIN TRANSACTION;/.test(j.query ?? ''));
    assert.equal(scripts.filter((j) => /DELETE FROM fake\.tdza/.test(j.query ?? '')).length, 2, 'the aborted tdza script ran again');
    assert.equal(scripts.filter((j) => j.errorResult).length, 1);
    for (let i = 1; i < scripts.length; i++) {
      assert.ok(Number(scripts[i]?.statistics['creationTime']) >= Number(scripts[i - 1]?.statistics['endTime']), `script ${i + 1} started after script ${i} ended`);
    }
  });

  it('an audit that finds a row fails the script: nothing of the batch sticks, the partitions are recorded failed', async () => {
    const output = await snapshot(wh);
    const broken = { ...fakePsza, version: 'v2', computeSql: fakePsza.computeSql.replace('g.points,', '-g.points AS points,') };
    const dates = ['2021-10-20', '2021-10-21', '2021-10-22'].map((date) => ({ date, isBootstrap: false }));
    const outcome = await runBatch(wh, broken, { from: '2021-10-20', to: '2021-10-22', dates, fingerprints: ['a', 'b', 'c'] }, { runId: 'run_audit', timeoutMs: 10_000, retry: DEFAULT_RETRY, thresholds: broken.thresholds });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.category, 'PROCESSING_ERROR');
    assert.match(outcome.error ?? '', /FakeShotZoneProcessor: audit 'points_non_negative' failed/);
    assert.equal((await snapshot(wh)).psza, output.psza, 'output rows unchanged');
    const st = await wh.query(`SELECT status, failure_category, count(*) AS n FROM nba_processing.partition_status WHERE processor_name = 'FakeShotZoneProcessor' AND partition_date BETWEEN '2021-10-20' AND '2021-10-22' GROUP BY status, failure_category`);
    assert.deepEqual(st, [{ status: 'failed', failure_category: 'PROCESSING_ERROR', n: 3 }]);
  });

  /** tdza whose batch script stays RUNNING on the fake until cancelled. */
  const hungTdza = { ...fakeTdza, computeSql: fakeTdza.computeSql.replace('GROUP BY ALL', `AND 'hang' = 'hang' GROUP BY ALL`) };
  const tdzaStatuses = (from: string, to: string) =>
    wh.query(`SELECT status, failure_category, count(*) AS n FROM nba_processing.partition_status WHERE processor_name = 'FakeTeamDefenseProcessor' AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) GROUP BY status, failure_category`, { from, to });

  it('a batch script past its timeout is cancelled and recorded QUERY_TIMEOUT, even when the timeout is shorter than the recording job', async () => {
    fake.hangJobs(/'hang' = 'hang'/);
    const output = await snapshot(wh);
    const dates = ['2021-10-20', '2021-10-21'].map((date) => ({ date, isBootstrap: false }));
    // 1 ms: shorter than any job takes, the recording's own script included (which then timed out too, and runBatch threw).
    const outcome = await runBatch(wh, hungTdza, { from: '2021-10-20', to: '2021-10-21', dates, fingerprints: ['a', 'b'] }, { runId: 'run_timeout', timeoutMs: 1, retry: DEFAULT_RETRY, thresholds: {} });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.category, 'QUERY_TIMEOUT');
    assert.match(outcome.error ?? '', /^tdza 2021-10-20\.\.2021-10-21: query interrupted after 1 ms: BEGIN TRANSACTION;/);
    const hung = fake.jobs.filter((j) => /'hang' = 'hang'/.test(j.query ?? ''));
    assert.deepEqual(hung.map((j) => j.cancelled), [true], 'the script job was cancelled (jobs.cancel), not left running');
    assert.equal((await snapshot(wh)).tdza, output.tdza, 'output rows unchanged');
    assert.deepEqual(await tdzaStatuses('2021-10-20', '2021-10-21'), [{ status: 'failed', failure_category: 'QUERY_TIMEOUT', n: 2 }]);
    const dateLevel = await wh.query(`SELECT failure_category, count(*) AS n FROM nba_processing.precompute_failures WHERE processor_name = 'FakeTeamDefenseProcessor' AND entity_id = 'DATE_LEVEL' GROUP BY failure_category`);
    assert.deepEqual(dateLevel, [{ failure_category: 'QUERY_TIMEOUT', n: 2 }]);
  });

  it('a backfill with a batch past its timeout goes on with the other batches and processors', async () => {
    fake.hangJobs(/'hang' = 'hang'/);
    const summary = await runBackfill(wh, [fakePsza, hungTdza, fakePdc], { ...RANGE, force: true, timeoutMs: 3_000, runId: 'run_bq_timeout' });
    assert.equal(summary.exitCode, 1);
    assert.equal(summary.status, 'partial');
    assert.deepEqual(summary.processors.map((p) => `${p.processor} ${p.complete + p.bootstrapEmpty} ${p.failed}`), ['psza 12 0', 'tdza 0 12', 'pdc 12 0']);
    assert.deepEqual(await tdzaStatuses(RANGE.from, RANGE.to), [{ status: 'failed', failure_category: 'QUERY_TIMEOUT', n: 12 }]);
    const [run] = await wh.query(`SELECT status FROM nba_processing.run_history WHERE run_id = 'run_bq_timeout'`);
    assert.equal(run?.['status'], 'partial');
  });
});
