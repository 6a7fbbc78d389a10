// The switch: --warehouse bigquery://PROJECT (or COURTSIDE_WAREHOUSE) opens BigQuery with the
// COURTSIDE_BQ_* settings; checked against the fake REST server on loopback.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../testing/cli.js';
import { openWarehouse } from '../open.js';
import { BigQueryWarehouse } from './bigquery-warehouse.js';
import { FakeBigQuery } from './testing/fake-bigquery-server.js';

describe('opening BigQuery', () => {
  let fake: FakeBigQuery;
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'open-bq-'));
  before(async () => {
    fake = await FakeBigQuery.start({ datasetPrefix: 'cli_' });
    process.env['COURTSIDE_BQ_API_ENDPOINT'] = fake.url;
    process.env['COURTSIDE_BQ_DATASET_PREFIX'] = 'cli_';
    process.env['COURTSIDE_BQ_LOCATION'] = 'EU';
  });
  after(async () => {
    for (const k of ['COURTSIDE_BQ_API_ENDPOINT', 'COURTSIDE_BQ_DATASET_PREFIX', 'COURTSIDE_BQ_LOCATION', 'COURTSIDE_WAREHOUSE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('openWarehouse({ warehouse: bigquery://… }) is a BigQuery warehouse with the environment settings and labels', async () => {
    const wh = await openWarehouse({ warehouse: 'bigquery://courtside-test', access: 'read', labels: { command: 'sql' }, defaultTimeoutMs: 300_000 });
    assert.ok(wh instanceof BigQueryWarehouse);
    assert.deepEqual(await wh.query('SELECT 1 AS one'), [{ one: 1 }]);
    const job = fake.jobs[fake.jobs.length - 1];
    assert.deepEqual(job?.configuration['labels'], { command: 'sql' });
    assert.equal(job?.configuration['jobTimeoutMs'], '300000');
    assert.equal((job?.resource['jobReference'] as { location: string }).location, 'EU');
    await wh.close();
  });

  it('COURTSIDE_WAREHOUSE chooses BigQuery too; access read refuses writes', async () => {
    process.env['COURTSIDE_WAREHOUSE'] = 'bigquery://courtside-test';
    try {
      const wh = await openWarehouse({ access: 'read' });
      assert.equal(wh.dialect, 'bigquery');
      await assert.rejects(wh.exec('DELETE FROM nba_raw.x WHERE true'), /opened read-only: exec is refused/);
    } finally {
      delete process.env['COURTSIDE_WAREHOUSE'];
    }
  });

  it('the CLI takes --warehouse; a write command migrates BigQuery first (the whole product DDL renders) and never opens the DuckDB file', async () => {
    const db = join(dir, 'untouched.duckdb');
    // A read command does not migrate: it runs. A write command migrates first.
    const read = await runCli(['--db', db, '--format', 'json', '--warehouse', 'bigquery://courtside-test', 'sql', 'SELECT 1 AS one']);
    assert.equal(read.code, 0, read.err);
    assert.deepEqual(JSON.parse(read.out), [{ one: 1 }]);
    const jobsBefore = fake.jobs.length;
    const r = await runCli(['--db', db, '--format', 'json', '--warehouse', 'bigquery://courtside-test', 'reset', '--from', '2021-11-01', '--to', '2021-11-01']);
    assert.equal(r.code, 0, r.err);
    assert.equal(existsSync(db), false, 'the DuckDB file is not opened');
    const ddl = fake.jobs.slice(jobsBefore).map((j) => j.query ?? '').find((q) => q.includes('CREATE OR REPLACE VIEW cli_nba_reference.game_dates'));
    assert.match(ddl ?? '', /DATE_DIFF\(game_date, season_opener, DAY\)/, 'views with their BigQuery pieces');
    assert.deepEqual((JSON.parse(r.out) as { processor: string }[]).map((x) => x.processor), ['psza', 'tdza', 'pdc', 'pcf', 'mlfs', 'pred']);
    const bad = await runCli(['--warehouse', 'bq://nope', 'sql', 'SELECT 1']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--warehouse: 'bq:\/\/nope' is not a warehouse/);
  });

  it('a write command on a warehouse this DDL migrated reads the marker (one job) and applies nothing; a newer marker is refused', async () => {
    const args = ['--format', 'json', '--warehouse', 'bigquery://courtside-test', 'reset', '--from', '2021-11-02', '--to', '2021-11-02'];
    const jobsBefore = fake.jobs.length;
    const again = await runCli(args);
    assert.equal(again.code, 0, again.err);
    const texts = fake.jobs.slice(jobsBefore).map((j) => j.query ?? '');
    assert.match(texts[0] ?? '', /^SELECT schema_version, schema_fingerprint FROM cli_nba_processing\.courtside_meta/);
    // (reset still creates its processors' output tables if missing: that DDL is its own, not migrate's)
    assert.deepEqual(texts.filter((q) => /CREATE TABLE IF NOT EXISTS cli_nba_raw\.play_by_play|INSERT INTO cli_nba_processing\.courtside_meta/.test(q)), [], 'no migration DDL, no marker write');

    await fake.sql(`UPDATE nba_processing.courtside_meta SET schema_version = 99`);
    try {
      const newer = await runCli(args);
      assert.equal(newer.code, 2);
      assert.match(newer.err, /BigQuery project courtside-test was written by a newer Courtside \(schema version 99; this one knows up to 1\): upgrade courtside/);
    } finally {
      await fake.sql(`UPDATE nba_processing.courtside_meta SET schema_version = 1`);
    }
  });

  it('serve has no BigQuery path: it says so instead of serving a DuckDB file', async () => {
    const r = await runCli(['--warehouse', 'bigquery://courtside-test', 'serve', '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.err, /courtside serve reads a DuckDB warehouse only; BigQuery \(bigquery:\/\/courtside-test\) is not supported by the dashboard yet/);
  });
});
