// Job economy (issue 8 item 5): a full-season backfill of all five processors through the official
// client against the fake BigQuery server submits at most 50 jobs, each batch ONE transaction script,
// and writes the tables a DuckDB run writes. The fake executes jobs on DuckDB, so the processors'
// SQL — still DuckDB's own until their portable rewrite — runs there too: right for counting jobs and
// for the engine's scripts, no proof that the processors' SQL is BigQuery's (ZetaSQL's part).
// `backfill --dry-run`'s estimate: one dry run per statement of each planned script, none counted as a job.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { estimateBackfill, estimateRows } from '../../../engine/estimate.js';
import { planBackfill, runBackfill } from '../../../engine/run.js';
import { ENGINE_DDL } from '../../../engine/schema.js';
import { PROCESSORS } from '../../../processors/index.js';
import { realSeasonCopy, type RealSeasonCopy } from '../../../testing/real-season.js';
import { tableHash } from '../../../testing/table-hash.js';
import { DuckDBWarehouse } from '../../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse.js';
import { BigQueryWarehouse } from '../bigquery-warehouse.js';
import { SHARED_TABLE_LAYOUTS } from '../table-layouts.js';
import { FakeBigQuery } from './fake-bigquery-server.js';

const SEASON = { from: '2021-10-19', to: '2022-04-10', force: true };

/** What both engines must agree on: outputs, failures and statuses without run ids, times and hashes. */
async function content(wh: Warehouse): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of PROCESSORS) out[p.key] = await tableHash(wh, p.outputTable);
  out['failures'] = await wh.query(`SELECT processor_name, failure_category, is_expected, count(*) AS n, sum(occurrence_count) AS occurrences, count(DISTINCT entity_id) AS entities
FROM nba_processing.precompute_failures GROUP BY ALL ORDER BY ALL`);
  out['statuses'] = await wh.query(`SELECT processor_name, status, count(*) AS n, sum(rows_written) AS rows_written, sum(entity_failures) AS entity_failures
FROM nba_processing.partition_status GROUP BY ALL ORDER BY ALL`);
  return out;
}

describe('a full-season backfill through the official client and the fake BigQuery server', () => {
  let onFake: RealSeasonCopy;
  let onDuck: RealSeasonCopy;
  let fake: FakeBigQuery;
  let fakeStopped = false;
  let wh: BigQueryWarehouse;
  before(async () => {
    [onFake, onDuck] = await Promise.all([realSeasonCopy(), realSeasonCopy()]);
    await onFake.release();
    fake = await FakeBigQuery.start({ duckdbPath: onFake.path, datasetPrefix: 'ci_' });
    wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: 'ci_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
  });
  after(async () => {
    if (!fakeStopped) await fake?.stop();
    await Promise.all([onFake?.cleanup(), onDuck?.cleanup()]);
  });

  it('the dry run estimates each planned batch job (bytes and on-demand cost) without submitting a job', async (t) => {
    const jobsBefore = wh.jobs.count;
    const planned = await planBackfill(wh, PROCESSORS, SEASON);
    const planJobs = wh.jobs.count - jobsBefore;
    const estimates = await estimateBackfill(wh, planned, { pricePerTiBUsd: 6.25 });
    assert.equal(wh.jobs.count - jobsBefore, planJobs, 'dry runs are not jobs');
    assert.ok(wh.jobs.dryRuns >= estimates.length * 5);
    assert.deepEqual(estimates.map((e) => [e.processor, e.from, e.to, e.partitions]).sort(), PROCESSORS.map((p) => [p.key, SEASON.from, SEASON.to, 165]).sort());
    for (const e of estimates) {
      assert.ok(e.bytes > 0, `${e.processor} scans something`);
      // Each statement of the script is billed on its own, at least 10 MiB: never less than that per statement scanning.
      assert.ok(e.costUsd >= (10 * 1024 ** 2 / 1024 ** 4) * 6.25, `${e.processor} cost`);
    }
    const rows = estimateRows(estimates);
    assert.deepEqual(rows.at(-1), { job: 'total', processor: null, from: null, to: null, partitions: PROCESSORS.length * 165, statements: estimates.reduce((n, e) => n + e.statements, 0), scan_mib: Math.round((estimates.reduce((n, e) => n + e.bytes, 0) / 1024 ** 2) * 10) / 10, cost_usd: Math.round(estimates.reduce((n, e) => n + e.costUsd, 0) * 1e6) / 1e6 });
    t.diagnostic(`plan: ${planJobs} jobs; estimate: ${JSON.stringify(rows)}`);
  });

  it('submits at most 50 jobs in all, one transaction script per batch, and writes what DuckDB writes', async (t) => {
    const before = wh.jobs.count;
    const firstJob = fake.jobs.length;
    // What migrate can do on BigQuery today (the ingest DDL waits for its portable rewrite): the engine's tables.
    await wh.applyDdl(ENGINE_DDL, SHARED_TABLE_LAYOUTS);
    const summary = await runBackfill(wh, PROCESSORS, SEASON);
    const jobs = wh.jobs.jobs.slice(before);
    assert.equal(summary.exitCode, 0, JSON.stringify(summary.failedPartitions.slice(0, 3)));
    assert.ok(jobs.length <= 50, `${jobs.length} jobs`);
    const scripts = fake.jobs.slice(firstJob).filter((j) => /^BEGIN TRANSACTION;/.test(j.query ?? ''));
    // A processor with a JS prepare step (pred fits its models) runs its batch in a session
    // transaction instead: the step's queries, then the batch's statements, then COMMIT.
    assert.equal(scripts.length, PROCESSORS.filter((p) => !p.prepare).length, 'one script job per processor batch');
    assert.ok(scripts.every((s) => /COMMIT TRANSACTION;$/.test(s.query ?? '') && /MERGE INTO ci_nba_processing\.precompute_failures AS t/.test(s.query ?? '')));
    const kinds = jobs.reduce<Record<string, number>>((k, j) => ({ ...k, [j.kind]: (k[j.kind] ?? 0) + 1 }), {});
    const file = join(tmpdir(), 'courtside-season-scripts.sql');
    writeFileSync(file, scripts.map((s) => `-- job ${s.id} (${(s.configuration['labels'] as Record<string, string>)['processor']})\n${s.query}\n`).join('\n'));
    t.diagnostic(`full-season backfill of ${PROCESSORS.length} processors: ${jobs.length} jobs ${JSON.stringify(kinds)}; the ${scripts.length} transaction scripts are in ${file}`);

    await fake.stop();
    fakeStopped = true;
    const after = await DuckDBWarehouse.open(onFake.path);
    try {
      const duck = await runBackfill(onDuck.wh, PROCESSORS, SEASON);
      assert.equal(duck.exitCode, 0);
      assert.deepEqual(await content(after), await content(onDuck.wh));
    } finally {
      await after.close();
    }
  });
});
