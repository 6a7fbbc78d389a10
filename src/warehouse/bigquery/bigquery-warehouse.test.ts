// The client wiring: the official @google-cloud/bigquery client against the fake REST server on
// 127.0.0.1, asserting what reaches the wire (parameters and their types, labels, jobTimeoutMs,
// uploads, script text) and how failures are handled (429/500 retried, a hung job cancelled).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QueryTimeoutError, UsageError } from '../../core/errors.js';
import { isTransient } from '../../engine/retry.js';
import { BigQueryWarehouse, loopbackAuth } from './bigquery-warehouse.js';
import { TransactionConflictError } from './bigquery-errors.js';
import { ParameterError } from './query-parameters.js';
import { FakeBigQuery, type RecordedRequest } from './testing/fake-bigquery-server.js';

const PROJECT = 'courtside-test';
const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe('BigQueryWarehouse through the official client (fake REST server on loopback)', () => {
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  const dir = mkdtempSync(join(tmpdir(), 'bq-wiring-'));
  let seen = 0;
  const newRequests = (): RecordedRequest[] => {
    const out = fake.requests.slice(seen);
    seen = fake.requests.length;
    return out;
  };
  const inserts = (rs: RecordedRequest[]) => rs.filter((r) => r.method === 'POST' && /\/jobs$/.test(r.path));

  before(async () => {
    fake = await FakeBigQuery.start({ datasetPrefix: 'test_' });
    wh = BigQueryWarehouse.open({ projectId: PROJECT, location: 'EU', datasetPrefix: 'test_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2, retry: FAST_RETRY, labels: { command: 'backfill' }, defaultTimeoutMs: 60_000 });
    await wh.applyDdl(`CREATE SCHEMA IF NOT EXISTS nba_processing;
CREATE TABLE IF NOT EXISTS nba_processing.partition_status (processor_name VARCHAR NOT NULL, partition_date DATE NOT NULL, status VARCHAR NOT NULL, rows_written BIGINT NOT NULL, PRIMARY KEY (processor_name, partition_date));
CREATE SCHEMA IF NOT EXISTS nba_raw;
CREATE TABLE IF NOT EXISTS nba_raw.odds (game_date DATE NOT NULL, home VARCHAR NOT NULL, total DOUBLE, tags VARCHAR[]);`,
    { 'nba_processing.partition_status': { partitionBy: 'partition_date', clusterBy: ['processor_name'] } });
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => void newRequests());

  it('creates missing datasets in the configured location, then the tables in one DDL job', () => {
    const datasetCalls = fake.requests.filter((r) => r.path.includes('/datasets'));
    assert.deepEqual(datasetCalls.map((r) => `${r.method} ${r.path.replace(/^.*projects\//, '')} ${r.status}`), [
      `GET ${PROJECT}/datasets/test_nba_processing 404`,
      `POST ${PROJECT}/datasets 200`,
      `GET ${PROJECT}/datasets/test_nba_raw 404`,
      `POST ${PROJECT}/datasets 200`,
    ]);
    assert.equal((datasetCalls[1]?.body as { location?: string }).location, 'EU');
    const ddl = fake.jobs[0]?.query ?? '';
    assert.equal(fake.jobs.length, 1);
    assert.match(ddl, /CREATE TABLE IF NOT EXISTS test_nba_processing\.partition_status \(\n {2}processor_name STRING NOT NULL,\n {2}partition_date DATE NOT NULL,\n {2}status STRING NOT NULL,\n {2}rows_written INT64 NOT NULL,\n {2}PRIMARY KEY \(processor_name, partition_date\) NOT ENFORCED\n\)\nPARTITION BY partition_date\nCLUSTER BY processor_name;/);
    assert.match(ddl, /CREATE TABLE IF NOT EXISTS test_nba_raw\.odds \(\n {2}game_date DATE NOT NULL,\n {2}home STRING NOT NULL,\n {2}total FLOAT64,\n {2}tags ARRAY<STRING>\n\);/);
    assert.equal(fake.requests[0]?.headers.authorization, 'Bearer courtside-loopback');
  });

  it('sends @params with explicit types (NULLs and DATE/TIMESTAMP declared), labels and jobTimeoutMs', async () => {
    const rows = await wh.query(
      `SELECT $s AS s, $i AS i, $f AS f, $b AS b, CAST($d AS DATE) AS d, CAST($t AS TIMESTAMP) AS t, $n AS n, $names AS names, $ids AS ids,
        '$not_a_param' AS literal -- $nor_this
      `,
      { s: "O'Neal", i: 42, f: 0.95, b: true, d: '2021-10-19', t: '2021-10-19T23:00:00Z', n: null, names: ['ann', 'bob'], ids: [1, 2], unused: 'x' },
      { paramTypes: { d: 'DATE', t: 'TIMESTAMP', n: 'INT64' }, labels: { run_id: 'Run-2021/10 A', processor: 'PlayerShotZoneAnalysisProcessor' }, timeoutMs: 60_000 },
    );
    assert.deepEqual(rows, [{ s: "O'Neal", i: 42, f: 0.95, b: true, d: '2021-10-19', t: '2021-10-19T23:00:00.000Z', n: null, names: ['ann', 'bob'], ids: [1, 2], literal: '$not_a_param' }]);
    const [insert] = inserts(newRequests());
    const configuration = (insert?.body as { configuration: Record<string, unknown> }).configuration;
    const query = configuration['query'] as { query: string; parameterMode: string; queryParameters: unknown[]; useLegacySql: boolean };
    assert.match(query.query, /SELECT @s AS s, @i AS i, @f AS f, @b AS b, CAST\(@d AS DATE\)/);
    assert.match(query.query, /'\$not_a_param' AS literal -- \$nor_this/);
    assert.equal(query.useLegacySql, false);
    assert.equal(query.parameterMode, 'NAMED');
    assert.deepEqual(query.queryParameters, [
      { name: 's', parameterType: { type: 'STRING' }, parameterValue: { value: "O'Neal" } },
      { name: 'i', parameterType: { type: 'INT64' }, parameterValue: { value: '42' } },
      { name: 'f', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '0.95' } },
      { name: 'b', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
      { name: 'd', parameterType: { type: 'DATE' }, parameterValue: { value: '2021-10-19' } },
      { name: 't', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2021-10-19T23:00:00Z' } },
      { name: 'n', parameterType: { type: 'INT64' }, parameterValue: {} },
      { name: 'names', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [{ value: 'ann' }, { value: 'bob' }] } },
      { name: 'ids', parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } }, parameterValue: { arrayValues: [{ value: '1' }, { value: '2' }] } },
    ]);
    assert.deepEqual(configuration['labels'], { command: 'backfill', run_id: 'run-2021_10_a', processor: 'playershotzoneanalysisprocessor' });
    assert.equal(configuration['jobTimeoutMs'], '60000');
    assert.equal((insert?.body as { jobReference: { location: string } }).jobReference.location, 'EU');
  });

  it('refuses a NULL parameter without a declared type before sending anything', async () => {
    await assert.rejects(wh.query('SELECT $x AS x', { x: null }), (err) => err instanceof ParameterError && /\$x: is NULL: declare its type/.test(err.message));
    await assert.rejects(wh.query('SELECT $missing AS x', {}), /\$missing: is used by the SQL but was not given/);
    assert.equal(inserts(newRequests()).length, 0);
  });

  it('retries a 429 on jobs.insert (same job id) and a 500 on jobs.get, then succeeds', async () => {
    fake.failHttp({ method: 'POST', path: /\/jobs$/, status: 429, reason: 'rateLimitExceeded' });
    fake.failHttp({ method: 'GET', path: /\/jobs\/courtside_query_/, status: 500, reason: 'backendError' });
    const before = wh.jobs.count;
    assert.deepEqual(await wh.query('SELECT 7 AS seven'), [{ seven: 7 }]);
    const rs = newRequests();
    const posts = inserts(rs);
    assert.deepEqual(posts.map((r) => r.status), [429, 200]);
    const ids = posts.map((r) => (r.body as { jobReference: { jobId: string } }).jobReference.jobId);
    assert.equal(ids[0], ids[1], 'the retried insert reuses its job id, so it cannot start a second job');
    assert.ok(rs.some((r) => r.method === 'GET' && r.status === 500));
    assert.equal(wh.jobs.count - before, 1);
  });

  it('resubmits a job that failed with backendError (a new job id), bounded', async () => {
    fake.failJobs({ match: /SELECT 8 AS eight/, reason: 'backendError', message: 'Backend error. Please try again.' });
    assert.deepEqual(await wh.query('SELECT 8 AS eight'), [{ eight: 8 }]);
    const ids = inserts(newRequests()).map((r) => (r.body as { jobReference: { jobId: string } }).jobReference.jobId);
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
    fake.failJobs({ match: /SELECT 9 AS nine/, reason: 'backendError', message: 'Backend error.', times: 10 });
    await assert.rejects(wh.query('SELECT 9 AS nine'), /backendError/);
    assert.equal(inserts(newRequests()).length, FAST_RETRY.attempts);
  });

  it('cancels a job that never finishes when its timeout passes, and raises QueryTimeoutError', async () => {
    fake.hangJobs(/SELECT 'forever'/);
    const started = Date.now();
    await assert.rejects(wh.query(`SELECT 'forever' AS f`, undefined, { timeoutMs: 300 }), (err) => err instanceof QueryTimeoutError && err.timeoutMs === 300);
    assert.ok(Date.now() - started < 5_000);
    const rs = newRequests();
    const insert = inserts(rs)[0];
    const jobId = (insert?.body as { jobReference: { jobId: string } }).jobReference.jobId;
    assert.equal((insert?.body as { configuration: { jobTimeoutMs: string } }).configuration.jobTimeoutMs, '300');
    assert.ok(rs.some((r) => r.method === 'POST' && r.path.endsWith(`/jobs/${jobId}/cancel`)), 'jobs.cancel was called');
    assert.equal(fake.jobs.find((j) => j.id === jobId)?.errorResult?.reason, 'stopped');
  });

  it('loads a local Parquet file with one load job (multipart upload), never row by row', async () => {
    const file = join(dir, 'odds.parquet');
    await fake.sql(`COPY (SELECT DATE '2021-10-19' AS game_date, 'MIL' AS home, 229.5 AS total, ['opening'] AS tags UNION ALL SELECT DATE '2021-10-19', 'LAL', 226.0, []) TO '${file}' (FORMAT parquet)`);
    assert.deepEqual(await wh.load('nba_raw.odds', file, 'parquet', { labels: { run_id: 'ingest-1' } }), { rows: 2 });
    const upload = newRequests().find((r) => r.path.startsWith('/upload/'));
    assert.equal(upload?.query['uploadType'], 'multipart');
    assert.ok((upload?.uploadBytes ?? 0) > 100);
    const body = upload?.body as { configuration: { load: Record<string, unknown>; labels: Record<string, string> } };
    assert.deepEqual(body.configuration.load['destinationTable'], { projectId: PROJECT, datasetId: 'test_nba_raw', tableId: 'odds' });
    assert.equal(body.configuration.load['sourceFormat'], 'PARQUET');
    assert.equal(body.configuration.load['writeDisposition'], 'WRITE_APPEND');
    assert.deepEqual(body.configuration.labels, { command: 'backfill', run_id: 'ingest-1' });
    assert.deepEqual(await wh.query('SELECT home, total, tags FROM nba_raw.odds ORDER BY home'), [
      { home: 'LAL', total: 226, tags: [] },
      { home: 'MIL', total: 229.5, tags: ['opening'] },
    ]);
  });

  it('runs a batch as ONE script job: BEGIN TRANSACTION … COMMIT TRANSACTION with the final SELECT as its result', async () => {
    const before = wh.jobs.count;
    const rows = await wh.script(
      [
        `DELETE FROM nba_processing.partition_status WHERE processor_name = $p AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
        `INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written) VALUES ($p, CAST($from AS DATE), 'complete', 12)`,
        `SELECT partition_date, status, rows_written FROM nba_processing.partition_status WHERE processor_name = $p ORDER BY partition_date`,
      ],
      { p: 'psza', from: '2021-11-01', to: '2021-11-30' },
      { labels: { processor: 'psza' } },
    );
    assert.deepEqual(rows, [{ partition_date: '2021-11-01', status: 'complete', rows_written: 12 }]);
    assert.equal(wh.jobs.count - before, 1);
    const job = fake.jobs[fake.jobs.length - 1];
    assert.equal(job?.query, `BEGIN TRANSACTION;
DELETE FROM test_nba_processing.partition_status WHERE processor_name = @p AND partition_date BETWEEN CAST(@from AS DATE) AND CAST(@to AS DATE);
INSERT INTO test_nba_processing.partition_status (processor_name, partition_date, status, rows_written) VALUES (@p, CAST(@from AS DATE), 'complete', 12);
SELECT partition_date, status, rows_written FROM test_nba_processing.partition_status WHERE processor_name = @p ORDER BY partition_date;
COMMIT TRANSACTION;`);
    assert.deepEqual((job?.configuration['query'] as { scriptOptions: unknown }).scriptOptions, { keyResultStatement: 'FIRST_SELECT' });
  });

  it('a statement ending in a line comment keeps its place in the script (the comment does not swallow the ";")', async () => {
    // DuckDB runs a script's statements one by one, so a trailing comment is harmless there.
    const rows = await wh.script([
      `INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written) VALUES ('commented', DATE '2021-11-04', 'complete', 3) -- one row`,
      `SELECT rows_written FROM nba_processing.partition_status WHERE processor_name = 'commented' -- and read it back`,
    ]);
    assert.deepEqual(rows, [{ rows_written: 3 }]);
    assert.match(fake.jobs[fake.jobs.length - 1]?.query ?? '', /-- one row\n;\nSELECT rows_written .* -- and read it back\n;\nCOMMIT TRANSACTION;$/);
  });

  it('resubmits a script BigQuery aborted for a concurrent transaction; a lasting conflict is transient for the engine', async () => {
    const conflict = 'Transaction is aborted due to concurrent update against table courtside-test:test_nba_processing.partition_status';
    fake.failJobs({ match: /VALUES \('pcf'/, reason: 'invalidQuery', message: conflict });
    await wh.script([`INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written) VALUES ('pcf', DATE '2021-11-02', 'complete', 1)`]);
    assert.equal(inserts(newRequests()).length, 2);
    fake.failJobs({ match: /VALUES \('mlfs'/, reason: 'invalidQuery', message: conflict, times: 10 });
    const err = await wh.script([`INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written) VALUES ('mlfs', DATE '2021-11-02', 'complete', 1)`]).catch((e: unknown) => e);
    assert.ok(err instanceof TransactionConflictError, String(err));
    assert.equal(isTransient(err), true);
    const [n] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_processing.partition_status WHERE processor_name IN ('pcf', 'mlfs')`);
    assert.equal(n?.n, 1);
  });

  it('runs concurrent scripts one after another, so that batches side by side never collide on shared tables', async () => {
    const write = (p: string) => wh.script([`INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written) VALUES ('${p}', DATE '2021-11-03', 'complete', 1)`]);
    await Promise.all([write('serial_a'), write('serial_b'), write('serial_c')]);
    const scripts = fake.jobs.filter((j) => /serial_/.test(j.query ?? ''));
    assert.equal(scripts.length, 3);
    for (let i = 1; i < scripts.length; i++) {
      const prevEnd = Number(scripts[i - 1]?.statistics['endTime']);
      const created = Number(scripts[i]?.statistics['creationTime']);
      assert.ok(created >= prevEnd, `script ${i + 1} was submitted after script ${i} finished`);
    }
  });

  it('courtside sql stays read-only: a dry run decides, and only SELECT runs', async () => {
    assert.deepEqual(await wh.readOnlyQuery(`SELECT count(*) AS n FROM nba_raw.odds`), [{ n: 2 }]);
    const dry = inserts(newRequests()).find((r) => (r.body as { configuration: { dryRun?: boolean } }).configuration.dryRun === true);
    assert.ok(dry, 'a dry run was sent first');
    await assert.rejects(wh.readOnlyQuery(`DELETE FROM nba_raw.odds WHERE true`), (e) => e instanceof UsageError && /read-only: a DELETE statement is refused/.test(e.message));
    await assert.rejects(wh.readOnlyQuery(`SELECT FROM WHERE`), (e) => e instanceof UsageError && /invalid SQL/.test(e.message));
    const [n] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.odds`);
    assert.equal(n?.n, 2);
  });

  it('dryRun() returns bytes and is not counted as a job', async () => {
    const before = wh.jobs.count;
    const r = await wh.dryRun(`SELECT * FROM nba_raw.odds WHERE game_date = CAST($d AS DATE)`, { d: '2021-10-19' });
    assert.equal(r.statementType, 'SELECT');
    assert.ok((r.totalBytesProcessed ?? 0) > 0);
    assert.equal(wh.jobs.count, before);
    assert.ok(wh.jobs.dryRuns > 0);
  });

  it('the fake answers tables.insert and tables.get as the client library calls them', async () => {
    const { BigQuery } = await import('@google-cloud/bigquery');
    const client = new BigQuery({ projectId: PROJECT, apiEndpoint: fake.url, authClient: loopbackAuth as never, retryOptions: { autoRetry: false } });
    await client.dataset('test_nba_raw').createTable('via_api', {
      schema: { fields: [{ name: 'game_date', type: 'DATE', mode: 'REQUIRED' }, { name: 'ids', type: 'INTEGER', mode: 'REPEATED' }, { name: 'total', type: 'FLOAT' }] },
      timePartitioning: { type: 'DAY', field: 'game_date' },
      clustering: { fields: ['total'] },
    });
    const [metadata] = await client.dataset('test_nba_raw').table('via_api').getMetadata();
    assert.deepEqual(metadata.schema.fields, [{ name: 'game_date', type: 'DATE', mode: 'REQUIRED' }, { name: 'ids', type: 'INTEGER', mode: 'REPEATED' }, { name: 'total', type: 'FLOAT', mode: 'NULLABLE' }]);
    assert.deepEqual(metadata.timePartitioning, { type: 'DAY', field: 'game_date' });
    assert.deepEqual(metadata.clustering, { fields: ['total'] });
    assert.deepEqual(newRequests().map((r) => `${r.method} ${r.path.replace(/^.*projects\/[^/]+/, '')} ${r.status}`), ['POST /datasets/test_nba_raw/tables 200', 'GET /datasets/test_nba_raw/tables/via_api 200']);
  });

  it('counts every job by kind', () => {
    const byKind = wh.jobs.countByKind();
    assert.equal(byKind['ddl'], 1);
    assert.equal(byKind['load'], 1);
    assert.equal(wh.jobs.count, fake.jobCount);
  });
});
