import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import { columnOf, queryColumns, rowsToColumns } from './query-columns.js';
import type { ColumnarResult, Row, Warehouse } from './warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'query-columns-'));
let wh: DuckDBWarehouse;
before(async () => {
  wh = await DuckDBWarehouse.open(join(dir, 'c.duckdb'));
  // 5,000 rows: three chunks of DuckDB's 2,048; one DOUBLE column with a NULL, one without
  await wh.exec(`CREATE TABLE t AS
    SELECT CAST(i AS INTEGER) AS n, CAST(i AS BIGINT) * 3000000000 AS big, DATE '2022-01-01' + CAST(i % 400 AS INTEGER) AS d,
           'p' || CAST(i AS VARCHAR) AS name, i % 2 = 0 AS even, i / 7.0 + 0.1 AS x,
           CASE WHEN i = 4321 THEN NULL ELSE sin(i) END AS y, CAST(i AS DECIMAL(18, 3)) / 8 AS dec
    FROM range(5000) r(i)`);
});
after(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

const SQL = 'SELECT n, big, d, name, even, x, y, dec FROM t WHERE n >= $from ORDER BY n';

/** The columns back into rows, to compare with query()'s. */
const asRows = (c: ColumnarResult): Row[] =>
  Array.from({ length: c.rows }, (_, i) => Object.fromEntries(c.names.map((name, j) => [name, (c.columns[j] as ArrayLike<unknown>)[i]])));

test('DuckDB queryColumns gives the values query gives, by column, over several chunks', async () => {
  const rows = await wh.query(SQL, { from: 2 });
  const columns = await wh.queryColumns(SQL, { from: 2 });
  assert.equal(columns.rows, 4998);
  assert.deepEqual(columns.names, ['n', 'big', 'd', 'name', 'even', 'x', 'y', 'dec']);
  assert.deepEqual(asRows(columns), rows);
  // a DOUBLE column without NULLs is one Float64Array; with a NULL it stays an array holding the null
  assert.ok(columnOf(columns, 'x') instanceof Float64Array);
  assert.ok(Array.isArray(columnOf(columns, 'y')));
  assert.equal(columnOf(columns, 'y')[4319], null);
  assert.equal(columnOf(columns, 'd')[0], '2022-01-03');
  assert.equal(columnOf(columns, 'big')[0], 6000000000);
});

test('a warehouse without queryColumns is read with query, to the same columns', async () => {
  const rowsOnly: Pick<Warehouse, 'query'> = { query: (sql, params, o) => wh.query(sql, params, o) };
  const viaRows = await queryColumns(rowsOnly as Warehouse, SQL, { from: 4990 });
  const direct = await queryColumns(wh, SQL, { from: 4990 });
  assert.deepEqual(asRows(viaRows), asRows(direct));
  assert.deepEqual(viaRows.names, direct.names);
  assert.deepEqual(rowsToColumns([]), { names: [], columns: [], rows: 0 });
});

test('columnOf names the column a result lacks', async () => {
  const result = await wh.queryColumns('SELECT n FROM t WHERE n < 3 ORDER BY n');
  assert.deepEqual(Array.from(columnOf(result, 'n')), [0, 1, 2]);
  assert.throws(() => columnOf(result, 'points'), /no column 'points' \(columns: n\)/);
  assert.deepEqual(columnOf(rowsToColumns([]), 'points'), []);
});
