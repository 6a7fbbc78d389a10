// Edge values on which DuckDB and BigQuery (ZetaSQL) give different answers to the same text — the
// pieces' and the portable-looking forms'. None is hit by the product's SQL today (its inputs never
// reach these values, or the SQL guards them); each is pinned here so that new SQL knows (SQL.md).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { differential } from './bigquery/zetasql/differential.js';
import { ZetaSql } from './bigquery/zetasql/zetasql-server.js';

const DDL = `CREATE SCHEMA IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.x (id INT64, s VARCHAR, j VARCHAR, d DOUBLE, n DECIMAL(18, 6), ts TIMESTAMP, arr DOUBLE[]);`;
const ROWS = [
  { id: 1, s: 'ﬁnal ½ Ｂｏｂ²', j: '{"o":{"b":1},"f":1.50,"m":["p",{"q":1}]}', d: 2.5, n: 1.5, ts: '2021-11-02T23:30:00.000Z', arr: [1, 2, 3] },
  { id: 2, s: 'Nikola Jokić', j: '{"o":[1,2],"f":2,"m":["a","b"]}', d: -0.5, n: 2, ts: '2021-11-07T02:00:00.000Z', arr: [4] },
];

describe('dialect traps: the same text, different answers on these values', () => {
  let zeta: ZetaSql;
  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(() => zeta?.stop());

  const both = async (sql: string) => {
    const r = await differential(zeta, { ddl: DDL, fixtures: { 't.x': ROWS }, sql, ordered: true });
    return { duckdb: r.duckdb.map((x) => x['v']), bigquery: r.zetasql.map((x) => x['v']) };
  };

  it('{{player_lookup}}: compatibility characters (ligatures, fractions, full-width, superscripts) map to ASCII on BigQuery (NFKD, as playerLookup in TS) and vanish on DuckDB', async () => {
    assert.deepEqual(await both(`SELECT {{player_lookup(s)}} AS v FROM t.x ORDER BY id`), { duckdb: ['nal', 'nikolajokic'], bigquery: ['final12bob2', 'nikolajokic'] });
  });

  it('{{json_string}}: an object or array is its JSON text on DuckDB, NULL on BigQuery; a number keeps its spelling on BigQuery only', async () => {
    assert.deepEqual(await both(`SELECT {{json_string(j, '$.o')}} AS v FROM t.x ORDER BY id`), { duckdb: ['{"b":1}', '[1,2]'], bigquery: [null, null] });
    assert.deepEqual(await both(`SELECT {{json_string(j, '$.f')}} AS v FROM t.x ORDER BY id`), { duckdb: ['1.5', '2'], bigquery: ['1.50', '2'] });
  });

  it('{{json_string_array}}: an array holding an object is NULL on BigQuery (no rows), its elements as text on DuckDB', async () => {
    assert.deepEqual(await both(`SELECT e AS v FROM t.x, {{unnest_as({{json_string_array(j, '$.m')}}, e)}} WHERE id = 1 ORDER BY 1`), { duckdb: ['p', '{"q":1}'], bigquery: [] });
  });

  it('{{array_at}}: a negative position counts from the end on DuckDB, is NULL on BigQuery', async () => {
    assert.deepEqual(await both(`SELECT {{array_at(arr, -1)}} AS v FROM t.x ORDER BY id`), { duckdb: [3, 4], bigquery: [null, null] });
  });

  it('CAST(DOUBLE AS INT64) rounds .5 to even on DuckDB, away from zero on BigQuery', async () => {
    assert.deepEqual(await both(`SELECT CAST(d AS INT64) AS v FROM t.x ORDER BY id`), { duckdb: [2, 0], bigquery: [3, -1] });
  });

  it('CAST(… AS STRING) of a NUMERIC keeps its scale on DuckDB; of a TIMESTAMP has no zone on DuckDB', async () => {
    assert.deepEqual(await both(`SELECT CAST(n AS STRING) AS v FROM t.x ORDER BY id`), { duckdb: ['1.500000', '2.000000'], bigquery: ['1.5', '2'] });
    assert.deepEqual(await both(`SELECT CAST(ts AS STRING) AS v FROM t.x ORDER BY id`), { duckdb: ['2021-11-02 23:30:00', '2021-11-07 02:00:00'], bigquery: ['2021-11-02 23:30:00+00', '2021-11-07 02:00:00+00'] });
  });

  it("regexp_extract without a match is '' on DuckDB, NULL on BigQuery", async () => {
    assert.deepEqual(await both(`SELECT regexp_extract(s, 'Q([0-9]+)', 1) AS v FROM t.x ORDER BY id`), { duckdb: ['', ''], bigquery: [null, null] });
  });

  it('substr from position 0 gives one character fewer on DuckDB; extract(dayofweek) counts Sunday as 0 on DuckDB, 1 on BigQuery', async () => {
    assert.deepEqual(await both(`SELECT substr(s, 0, 3) AS v FROM t.x WHERE id = 2`), { duckdb: ['Ni'], bigquery: ['Nik'] });
    assert.deepEqual(await both(`SELECT extract(dayofweek FROM CAST(ts AS DATE)) AS v FROM t.x ORDER BY id`), { duckdb: [2, 0], bigquery: [3, 1] });
  });
});
