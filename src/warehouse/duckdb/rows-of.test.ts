// query()'s rows (rows-of.ts, column by column, repeated dates and timestamps converted once) are
// exactly node-api's own row conversion (getRowsJS) passed through plain(): every type the
// warehouse stores or computes, NULLs, several chunks, BIGINTs past 2^53, a real warehouse's tables.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Row } from '../warehouse.js';
import { DuckDBWarehouse } from './duckdb-warehouse.js';
import { duckdb } from './node-api.js';
import { plain } from './rows-of.js';

const dir = mkdtempSync(join(tmpdir(), 'rows-of-'));
const file = join(dir, 'r.duckdb');
let wh: DuckDBWarehouse;

const TYPED = `SELECT CAST(i AS INTEGER) AS n, CAST(i AS BIGINT) * 3000000000 AS big, CAST(i AS BIGINT) * 9007199254 AS past_2_53,
  CAST(i % 100 AS TINYINT) AS tiny, CAST(i % 1000 AS SMALLINT) AS small, CAST(i AS UBIGINT) AS ubig, CAST(i AS HUGEINT) * 100000000000000000000 AS huge,
  CASE WHEN i % 5 = 0 THEN NULL ELSE DATE '2021-10-19' + CAST(i % 300 AS INTEGER) END AS d,
  DATE '1969-12-31' - CAST(i % 3 AS INTEGER) AS before_epoch,
  CASE WHEN i % 7 = 0 THEN NULL ELSE TIMESTAMP '2026-11-30 17:44:48.123456' + to_seconds(i % 4) END AS ts,
  CAST(TIMESTAMP '2022-01-15 10:00:00' AS TIMESTAMPTZ) AS tstz,
  CASE WHEN i % 11 = 0 THEN NULL ELSE 'p' || CAST(i AS VARCHAR) END AS name, i % 2 = 0 AS even,
  CASE WHEN i % 13 = 0 THEN NULL ELSE i / 7.0 + 0.1 END AS x, CAST(i AS FLOAT) / 4 AS f, CAST(i AS DECIMAL(18, 3)) / 8 AS dec,
  hash(i) AS h, CAST(hash(i) AS VARCHAR) AS h_text, [i, i + 1] AS list, {'a': i, 'b': CAST(i AS VARCHAR)} AS struct,
  CAST(NULL AS INTEGER) AS nothing
FROM range(5000) r(i)`;

/** node-api's row conversion, as query() did it before rows-of.ts. */
async function reference(sql: string): Promise<Row[]> {
  const reader = await wh.connection.runAndReadAll(sql);
  const dates = reader.columnTypes().map((t) => t.typeId === duckdb.DuckDBTypeId.DATE);
  const names = reader.columnNames();
  return reader.getRowsJS().map((values) => {
    const row: Row = {};
    values.forEach((v, i) => (row[names[i] as string] = plain(v, dates[i] === true) as Row[string]));
    return row;
  });
}

before(async () => {
  wh = await DuckDBWarehouse.open(file);
});
after(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

test('query() converts every type as node-api does, over several chunks, NULLs included', async () => {
  const rows = await wh.query(TYPED);
  assert.equal(rows.length, 5000);
  assert.deepEqual(rows, await reference(TYPED));
  // spot values: numbers, a BIGINT past 2^53 as a string, dates and timestamps as ISO strings
  assert.deepEqual(rows[3], (await reference(TYPED))[3]);
  assert.equal(rows[1]?.['d'], '2021-10-20');
  assert.equal(rows[0]?.['d'], null);
  assert.equal(rows[1]?.['before_epoch'], '1969-12-30');
  assert.equal(rows[1]?.['ts'], '2026-11-30T17:44:49.123Z');
  assert.equal(typeof rows[4000]?.['huge'], 'string');
  assert.deepEqual(Object.keys(rows[0] ?? {}).slice(0, 3), ['n', 'big', 'past_2_53']);
});

// COURTSIDE_ROWS_OF_DB=<a warehouse file>: every table of it (read-only), e.g. after `courtside ingest` and a backfill.
const real = process.env['COURTSIDE_ROWS_OF_DB'];
test('query() on a real warehouse: every table as node-api converts it', { skip: real === undefined && 'set COURTSIDE_ROWS_OF_DB' }, async () => {
  const other = await DuckDBWarehouse.open(real as string, { readOnly: true });
  try {
    const tables = await other.query<{ name: string }>(`SELECT schema_name || '.' || table_name AS name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1`);
    assert.ok(tables.length > 10);
    for (const { name } of tables) {
      const sql = `SELECT * FROM ${name}`;
      const reader = await other.connection.runAndReadAll(sql);
      const dates = reader.columnTypes().map((t) => t.typeId === duckdb.DuckDBTypeId.DATE);
      const names = reader.columnNames();
      const expected = reader.getRowsJS().map((values) => Object.fromEntries(values.map((v, i) => [names[i], plain(v, dates[i] === true)])));
      assert.deepEqual(await other.query(sql), expected, name);
    }
  } finally {
    await other.close();
  }
});
