// The SQL clock is UTC on DuckDB too. Our SQL stamps rows with CAST(current_timestamp AS TIMESTAMP)
// (processed_at, loaded_at, created_at, resolved_at …): BigQuery's is the UTC instant, DuckDB's was the
// wall time of the machine's time zone (its TimeZone setting defaults to the host's), so on a machine
// west of UTC the same text stored instants hours in the past — beside the UTC times the TypeScript
// side writes (run history, partition statuses). Run in a child process with TZ set, as on such a host.
// The fake BigQuery server (DuckDB underneath) keeps BigQuery's UTC clock too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const WAREHOUSE = fileURLToPath(new URL('./duckdb-warehouse.ts', import.meta.url));
const BIGQUERY = fileURLToPath(new URL('../bigquery/bigquery-warehouse.ts', import.meta.url));
const FAKE = fileURLToPath(new URL('../bigquery/testing/fake-bigquery-server.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'courtside-utc-clock-'));

/** In a child process under `tz`: a row stamped by SQL's current_timestamp, and the JS clock around it. */
function stampUnder(tz: string, on: 'duckdb' | 'fake-bigquery'): Promise<{ before: string; stamped: string; after: string }> {
  const script = join(dir, `stamp-${on}.mts`);
  const open =
    on === 'duckdb'
      ? `const { DuckDBWarehouse } = await import(${JSON.stringify(WAREHOUSE)});
const wh = await DuckDBWarehouse.open(${JSON.stringify(join(dir, `${tz.replace(/\W/g, '_')}.duckdb`))});
await wh.exec('CREATE SCHEMA nba_raw');`
      : `const { BigQueryWarehouse } = await import(${JSON.stringify(BIGQUERY)});
const { FakeBigQuery } = await import(${JSON.stringify(FAKE)});
const fake = await FakeBigQuery.start();
const wh = BigQueryWarehouse.open({ projectId: 'p', datasetPrefix: '', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
await wh.applyDdl('CREATE SCHEMA IF NOT EXISTS nba_raw;');
wh.close = () => fake.stop();`;
  writeFileSync(
    script,
    `${open}
await wh.exec('CREATE TABLE nba_raw.stamps (stamped_at TIMESTAMP)');
const before = new Date().toISOString();
await wh.exec('INSERT INTO nba_raw.stamps (stamped_at) SELECT CAST(current_timestamp AS TIMESTAMP)');
const after = new Date().toISOString();
const [row] = await wh.query('SELECT stamped_at FROM nba_raw.stamps');
await wh.close();
process.stdout.write(JSON.stringify({ before, stamped: row.stamped_at, after }));
`,
  );
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, TZ: tz } }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
  });
}

describe('DuckDB: the SQL clock is UTC whatever the host time zone', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [tz, on] of [['America/Los_Angeles', 'duckdb'], ['Pacific/Auckland', 'duckdb'], ['America/Los_Angeles', 'fake-bigquery']] as const) {
    it(`CAST(current_timestamp AS TIMESTAMP) is the UTC instant under TZ=${tz} (${on})`, async () => {
      const r = await stampUnder(tz, on);
      const stamped = Date.parse(r.stamped);
      assert.ok(stamped >= Date.parse(r.before) - 1 && stamped <= Date.parse(r.after) + 1, `stamped ${r.stamped}, the JS clock read ${r.before} … ${r.after}`);
    });
  }
});
