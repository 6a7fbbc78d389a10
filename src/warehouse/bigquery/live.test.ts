// The live suite: the same calls against a real BigQuery project, in datasets of its own that it
// drops at the end. It runs only when COURTSIDE_BQ_PROJECT is set (Application Default Credentials,
// optional COURTSIDE_BQ_LOCATION); without it every test is skipped, saying why. It costs a few
// on-demand queries over a handful of rows (billed at the 10 MiB minimum each).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BigQuery } from '@google-cloud/bigquery';
import { QueryTimeoutError, UsageError } from '../../core/errors.js';
import { BigQueryWarehouse } from './bigquery-warehouse.js';
import { DEFAULT_PRICE_PER_TIB_USD } from './bigquery-config.js';

const project = process.env['COURTSIDE_BQ_PROJECT'];
const skip = project ? false : 'COURTSIDE_BQ_PROJECT is not set: the live BigQuery suite needs a real project (and Application Default Credentials); the fake-server and ZetaSQL suites cover the rest';
const location = process.env['COURTSIDE_BQ_LOCATION'];

describe('BigQuery live suite', { skip }, () => {
  const prefix = `courtside_live_${randomBytes(4).toString('hex')}_`;
  const dir = mkdtempSync(join(tmpdir(), 'bq-live-'));
  let wh: BigQueryWarehouse;
  before(async () => {
    wh = BigQueryWarehouse.open({ projectId: project as string, datasetPrefix: prefix, pricePerTiBUsd: DEFAULT_PRICE_PER_TIB_USD, labels: { command: 'live_test' }, defaultTimeoutMs: 120_000, ...(location ? { location } : {}) });
    await wh.applyDdl(`CREATE SCHEMA IF NOT EXISTS nba_processing;
CREATE TABLE IF NOT EXISTS nba_processing.partition_status (processor_name VARCHAR NOT NULL, partition_date DATE NOT NULL, status VARCHAR NOT NULL, rows_written BIGINT NOT NULL, PRIMARY KEY (processor_name, partition_date));`,
    { 'nba_processing.partition_status': { partitionBy: 'partition_date', clusterBy: ['processor_name'] } });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!project) return;
    const client = new BigQuery({ projectId: project, ...(location ? { location } : {}) });
    await client.dataset(`${prefix}nba_processing`).delete({ force: true }).catch(() => undefined);
  });

  it('loads a CSV with a load job, queries it with typed parameters', async () => {
    const file = join(dir, 'status.csv');
    writeFileSync(file, 'processor_name,partition_date,status,rows_written\npsza,2021-11-01,complete,120\npsza,2021-11-02,failed,0\n');
    assert.deepEqual(await wh.load('nba_processing.partition_status', file, 'csv'), { rows: 2 });
    const rows = await wh.query(`SELECT partition_date, status, rows_written FROM nba_processing.partition_status WHERE processor_name = $p AND partition_date >= CAST($d AS DATE) ORDER BY partition_date`, { p: 'psza', d: '2021-11-01' });
    assert.deepEqual(rows, [{ partition_date: '2021-11-01', status: 'complete', rows_written: 120 }, { partition_date: '2021-11-02', status: 'failed', rows_written: 0 }]);
  });

  it('runs a transaction script as one job and returns its final SELECT', async () => {
    const before = wh.jobs.count;
    const rows = await wh.script([
      `CREATE TEMP TABLE staged AS SELECT 'psza' AS processor_name, DATE '2021-11-02' AS partition_date, 'complete' AS status, 99 AS rows_written`,
      `DELETE FROM nba_processing.partition_status WHERE processor_name = $p AND partition_date = CAST($d AS DATE)`,
      `INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written) SELECT processor_name, partition_date, status, rows_written FROM staged`,
      `SELECT status, rows_written FROM nba_processing.partition_status WHERE processor_name = $p AND partition_date = CAST($d AS DATE)`,
    ], { p: 'psza', d: '2021-11-02' });
    assert.deepEqual(rows, [{ status: 'complete', rows_written: 99 }]);
    assert.equal(wh.jobs.count - before, 1);
  });

  it('dry-runs for bytes, refuses writes in readOnlyQuery, cancels a query past its timeout', async () => {
    const dry = await wh.dryRun(`SELECT * FROM nba_processing.partition_status`);
    assert.equal(dry.statementType, 'SELECT');
    assert.ok((dry.totalBytesProcessed ?? -1) >= 0);
    await assert.rejects(wh.readOnlyQuery(`DELETE FROM nba_processing.partition_status WHERE true`), UsageError);
    await assert.rejects(
      wh.query(`SELECT COUNT(*) AS n FROM UNNEST(GENERATE_ARRAY(1, 1000000)) a CROSS JOIN UNNEST(GENERATE_ARRAY(1, 100000)) b`, undefined, { timeoutMs: 1_500 }),
      QueryTimeoutError,
    );
  });
});
