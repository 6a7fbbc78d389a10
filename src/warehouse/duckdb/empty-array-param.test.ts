// An empty array parameter has no element type of its own: QueryOptions.paramTypes declares it
// (warehouse.ts). BigQuery binds the declared ARRAY<INT64>; DuckDB ignored the declaration and bound
// VARCHAR[], so comparing an integer column with its elements failed to bind ("Cannot compare values
// of type INTEGER and VARCHAR") where BigQuery answers 0 rows — e.g. phase3Summary's
// `season_year IN (SELECT * FROM UNNEST($seasons))` with no seasons.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBWarehouse } from './duckdb-warehouse.js';

describe('DuckDB: an empty array parameter takes its declared element type', () => {
  let wh: DuckDBWarehouse;
  before(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await wh.exec('CREATE TABLE seasons (season_year BIGINT, pace DOUBLE, label VARCHAR)');
    await wh.exec(`INSERT INTO seasons VALUES (2021, 99.5, '2021-22')`);
  });
  after(() => wh.close());

  const count = async (column: string, type: 'ARRAY<INT64>' | 'ARRAY<FLOAT64>' | 'ARRAY<STRING>', values: readonly number[] | readonly string[]) =>
    (await wh.query<{ n: number }>(`SELECT count(*) AS n FROM seasons WHERE ${column} IN (SELECT * FROM UNNEST($v))`, { v: values }, { paramTypes: { v: type } }))[0]?.n;

  it('ARRAY<INT64>, ARRAY<FLOAT64> and ARRAY<STRING>, empty: no rows, no binder error', async () => {
    assert.equal(await count('season_year', 'ARRAY<INT64>', []), 0);
    assert.equal(await count('pace', 'ARRAY<FLOAT64>', []), 0);
    assert.equal(await count('label', 'ARRAY<STRING>', []), 0);
  });

  it('not empty: as before', async () => {
    assert.equal(await count('season_year', 'ARRAY<INT64>', [2021, 2022]), 1);
    assert.equal(await count('label', 'ARRAY<STRING>', ['2021-22']), 1);
  });

  it('an empty array without a declared type is still VARCHAR[]', async () => {
    assert.deepEqual(await wh.query(`SELECT count(*) AS n FROM seasons WHERE label IN (SELECT * FROM UNNEST($v))`, { v: [] }), [{ n: 0 }]);
  });
});
