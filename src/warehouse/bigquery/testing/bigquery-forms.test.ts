// The fake must run the BigQuery form of every dialect piece as DuckDB runs the DuckDB form, or a
// backfill through it would test the fake instead of the engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBWarehouse } from '../../duckdb/duckdb-warehouse.js';
import { assertEmpty, PIECES, renderPieces } from '../../dialect-pieces.js';
import { DatasetNames } from '../dataset-names.js';
import { fromBigQuerySql } from '../rewrite-sql.js';
import { assertionOf, bigQueryFormsToDuckdb } from './bigquery-forms.js';

/** One query per piece; hashes are compared for equality between rows, not by value (they differ by design). */
const USES = {
  day_diff: `SELECT {{day_diff(CAST(d AS DATE), DATE '2021-10-19')}} AS v FROM {{unnest_as($dates, d)}} ORDER BY v`,
  ms_between: `SELECT {{ms_between(TIMESTAMP '2021-10-19 00:00:00', TIMESTAMP '2021-10-19 00:00:01.250')}} AS v`,
  unnest_as: `SELECT d AS v FROM {{unnest_as($dates, d)}} ORDER BY v`,
  star_except: `SELECT {{star_except(b, c)}} FROM (SELECT 1 AS a, 2 AS b, 3 AS c, 4 AS e)`,
  float64: `SELECT {{float64(CAST(2.675 AS NUMERIC(18, 9)))}} / 3 AS v, {{float64(sum(x))}} AS s FROM (SELECT CAST(1.5 AS NUMERIC(18, 4)) AS x)`,
  row_hash: `SELECT count(DISTINCT h) AS distinct_hashes, count(DISTINCT w) AS distinct_rows, count(*) AS n FROM (SELECT {{row_hash(r, c)}} AS h, {{row_hash(r)}} AS w FROM (SELECT * FROM (VALUES (1, 'x', 1), (1, 'x', 2), (2, NULL, 3)) AS t(a, b, c)) r)`,
  has_nonfinite: `SELECT k, {{has_nonfinite(l)}} AS v FROM (SELECT 1 AS k, [1.0, -1e308, 1e308] AS l UNION ALL SELECT 2, [1.0, NULL] UNION ALL SELECT 3, [CAST('nan' AS DOUBLE)] UNION ALL SELECT 4, [2.0, CAST('-inf' AS DOUBLE)] UNION ALL SELECT 5, CAST([] AS DOUBLE[]) UNION ALL SELECT 6, CAST(NULL AS DOUBLE[])) ORDER BY k`,
  array_at: `SELECT d AS v, {{array_at($dates, 2)}} AS second, {{array_at($dates, 3)}} AS past_end FROM {{unnest_as($dates, d)}} ORDER BY v`,
  // (the third JSON has no array: a NULL one)
  array_contains: `SELECT j, {{array_contains({{json_string_array(j, '$.l')}}, 'y')}} AS v FROM {{unnest_as($json, j)}} ORDER BY j`,
  player_lookup: `SELECT {{player_lookup(n)}} AS v FROM {{unnest_as($names, n)}} ORDER BY v`,
  try_cast: `SELECT {{try_cast(n, INT64)}} AS v, {{try_cast(n, NUMERIC(38, 9))}} AS w, {{try_cast(n, FLOAT64)}} AS f FROM {{unnest_as($numbers, n)}} ORDER BY n`,
  json_string: `SELECT {{json_string(j, '$.a')}} AS v FROM {{unnest_as($json, j)}} ORDER BY j`,
  int64_array: `SELECT {{int64_array(split(n, '|'))}} AS v FROM {{unnest_as($lists, n)}} ORDER BY n`,
  parse_json: `SELECT CAST({{json_string({{parse_json(j)}}, '$.a')}} AS STRING) AS v FROM {{unnest_as($json, j)}} ORDER BY j`,
  json_string_array: `SELECT j, s AS v FROM {{unnest_as($json, j)}} CROSS JOIN {{unnest_as({{json_string_array(j, '$.l')}}, s)}} ORDER BY j, v`,
} as const;

describe('the fake runs the BigQuery forms of the dialect pieces', () => {
  let wh: DuckDBWarehouse;
  const names = new DatasetNames('');
  before(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
  });
  after(() => wh.close());

  it('every piece: its BigQuery form, back through the fake, gives the rows of its DuckDB form', async () => {
    assert.deepEqual(Object.keys(USES).sort(), Object.keys(PIECES).sort(), 'a new piece needs a use here');
    const params = {
      dates: ['2021-10-22', '2021-10-19'],
      names: ['Nikola Jokić', 'O.G. Anunoby', "De'Anthony Melton", 'Dāvis Bertāns'],
      numbers: ['12', ' 7 ', 'x2', '2.5', ''],
      json: ['{"a":"T. Young","l":["x","y"]}', '{"a":null,"l":[]}', '{"b":1}'],
      lists: ['1629027|203999|1628384', '7'],
    };
    for (const [name, sql] of Object.entries(USES)) {
      const duck = await wh.query(renderPieces(sql, 'duckdb'), params);
      const viaFake = await wh.query(bigQueryFormsToDuckdb(fromBigQuerySql(renderPieces(sql, 'bigquery'), names)), params);
      assert.deepEqual(viaFake, duck, name);
      assert.ok(duck.length > 0, name);
    }
    // a NULL, NaN or infinite element; never for an empty or NULL array
    assert.deepEqual((await wh.query(renderPieces(USES.has_nonfinite, 'duckdb'))).map((r) => r['v']), [false, true, true, true, false, false]);
    const contains = await wh.query<{ v: boolean }>(renderPieces(USES.array_contains, 'duckdb'), params);
    assert.deepEqual(contains.map((r) => r.v), [true, false, false], 'array_contains: found, empty array, NULL array');
    const [hashes] = await wh.query(renderPieces(USES.row_hash, 'duckdb'));
    assert.deepEqual(hashes, { distinct_hashes: 2, distinct_rows: 3, n: 3 });
  });

  it("leaves DuckDB's own spellings alone (processors still send DuckDB SQL through the fake)", () => {
    const duckSql = `SELECT date_diff('day', a, b) AS d, unnest(l) AS x FROM unnest($l) AS u(v)`;
    assert.equal(bigQueryFormsToDuckdb(duckSql), duckSql);
  });

  it('reads an ASSERT: condition and the description, escapes undone', () => {
    const [assertion = ''] = assertEmpty('bigquery', 'SELECT 1 AS x', "p: audit 'a' failed");
    assert.deepEqual(assertionOf(assertion), { condition: 'NOT EXISTS (SELECT 1 AS x)', description: "p: audit 'a' failed" });
    assert.equal(assertionOf('SELECT 1'), undefined);
  });
});
