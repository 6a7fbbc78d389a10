// A job that BigQuery accepted is never submitted a second time because the client lost sight of
// it: jobs.get or getQueryResults failing (after their own retries) says nothing about the job, which
// may have run. Resubmitting it appended a load twice and ran a non-idempotent DML twice. Only a job
// that finished with a retryable errorResult (it did not run) is resubmitted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueryTimeoutError } from '../../core/errors.js';
import { BigQueryWarehouse } from './bigquery-warehouse.js';
import { JobStateUnknownError } from './bigquery-errors.js';
import { FakeBigQuery } from './testing/fake-bigquery-server.js';

const RETRY = { attempts: 3, baseDelayMs: 2, maxDelayMs: 5 };

describe('JobRunner: a submitted job is never run twice', () => {
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  const dir = mkdtempSync(join(tmpdir(), 'bq-job-runner-'));
  // jobs.insert calls (query jobs) and multipart uploads (load jobs) that the server accepted
  const inserted = () => fake.requests.filter((r) => r.method === 'POST' && /\/jobs$/.test(r.path) && r.status === 200).length;
  // The client gave up on the job, the fake still runs it: its rows are counted once it is done.
  const settled = async () => {
    while (fake.jobs.some((j) => j.state !== 'DONE')) await new Promise((r) => setTimeout(r, 5));
  };

  before(async () => {
    fake = await FakeBigQuery.start({ datasetPrefix: 'jr_' });
    wh = BigQueryWarehouse.open({ projectId: 'p', datasetPrefix: 'jr_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2, retry: RETRY });
    await wh.applyDdl(`CREATE SCHEMA IF NOT EXISTS nba_staging;
CREATE TABLE IF NOT EXISTS nba_staging.rows (name VARCHAR, stage_row BIGINT);`);
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a load whose status polls fail is not uploaded again (the staged rows stay once)', async () => {
    const file = join(dir, 'rows.csv');
    writeFileSync(file, 'name,stage_row\nann,0\nbob,1\n');
    const before = inserted();
    // every jobs.get of the first attempt fails (the job itself runs and appends)
    fake.failHttp({ method: 'GET', path: /\/jobs\/courtside_load_/, status: 503, reason: 'backendError', times: RETRY.attempts });
    await assert.rejects(wh.load('nba_staging.rows', file, 'csv'), /courtside_load_\w+.*not resubmitted/s);
    assert.equal(inserted() - before, 1, 'one upload');
    await settled();
    assert.deepEqual(await wh.query('SELECT name, count(*) AS n FROM nba_staging.rows GROUP BY name ORDER BY name'), [
      { name: 'ann', n: 1 },
      { name: 'bob', n: 1 },
    ]);
  });

  it('an INSERT whose results cannot be read is not run again', async () => {
    const before = inserted();
    fake.failHttp({ method: 'GET', path: /\/jobs\/courtside_query_/, status: 503, reason: 'backendError', times: RETRY.attempts });
    await assert.rejects(wh.exec(`INSERT INTO nba_staging.rows (name, stage_row) VALUES ('cy', 2)`), /not resubmitted/);
    assert.equal(inserted() - before, 1);
    await settled();
    assert.deepEqual(await wh.query(`SELECT count(*) AS n FROM nba_staging.rows WHERE name = 'cy'`), [{ n: 1 }]);
  });

  it('a script whose result page cannot be fetched is not run again', async () => {
    const before = inserted();
    fake.failHttp({ method: 'GET', path: /\/queries\/courtside_script_/, status: 503, reason: 'backendError', times: RETRY.attempts });
    await assert.rejects(wh.script([`INSERT INTO nba_staging.rows (name, stage_row) VALUES ('dee', 3)`, `SELECT count(*) AS n FROM nba_staging.rows`]), /not resubmitted/);
    assert.equal(inserted() - before, 1);
    await settled();
    assert.deepEqual(await wh.query(`SELECT count(*) AS n FROM nba_staging.rows WHERE name = 'dee'`), [{ n: 1 }]);
  });

  it('a job that finished with backendError is still resubmitted, and then succeeds', async () => {
    const before = inserted();
    fake.failJobs({ match: /'eve'/, reason: 'backendError', message: 'Backend error. Please try again.' });
    await wh.exec(`INSERT INTO nba_staging.rows (name, stage_row) VALUES ('eve', 4)`);
    assert.equal(inserted() - before, 2);
    assert.deepEqual(await wh.query(`SELECT count(*) AS n FROM nba_staging.rows WHERE name = 'eve'`), [{ n: 1 }]);
  });

  // The deadline passes, jobs.cancel goes out, but the script had reached COMMIT in between:
  // BigQuery reports it DONE without an error. A timeout reported then would record a failure (and
  // let the engine assume a rollback) for work that is committed.
  it('a script that committed just as its deadline passed is reported done, not timed out', async () => {
    fake.finishJobsAtCancel(/'at-the-deadline'/);
    const rows = await wh.script([`INSERT INTO nba_staging.rows (name, stage_row) VALUES ('at-the-deadline', 3)`, `SELECT count(*) AS n FROM nba_staging.rows WHERE name = 'at-the-deadline'`], undefined, { timeoutMs: 150 });
    assert.deepEqual(rows, [{ n: 1 }]);
    const job = fake.jobs.find((j) => j.query?.includes(`'at-the-deadline'`));
    assert.ok(job && fake.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/jobs/${job.id}/cancel`)), 'the deadline passed and jobs.cancel was sent');
    assert.equal(job.errorResult, undefined);
  });

  it('a cancelled job is still a timeout when BigQuery stops it', async () => {
    fake.hangJobs(/'stopped-at-the-deadline'/);
    await assert.rejects(wh.query(`SELECT 'stopped-at-the-deadline' AS s`, undefined, { timeoutMs: 100 }), (err) => err instanceof QueryTimeoutError);
  });

  it('a job whose state after jobs.cancel cannot be read is reported as unknown, not as a timeout', async () => {
    const bounded = BigQueryWarehouse.open({ projectId: 'p', datasetPrefix: 'jr_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2, retry: RETRY, cancelSettleMs: 300 });
    fake.hangJobs(/'never-stops'/);
    fake.failHttp({ method: 'POST', path: /\/cancel$/, status: 503, reason: 'backendError', times: RETRY.attempts });
    await assert.rejects(bounded.query(`SELECT 'never-stops' AS s`, undefined, { timeoutMs: 100 }), (err) => err instanceof JobStateUnknownError && /cancelled after its 100 ms timeout/.test(err.message) && /not resubmitted/.test(err.message));
  });
});
