import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertEmpty, checkPieces, PieceError, PIECES, renderPieces, stringLiteral } from './dialect-pieces.js';
import { expandIncludes } from '../processors/sql-file.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';

describe('dialect pieces', () => {
  it('renders each marked piece for the dialect and leaves everything else as written', () => {
    const sql = `SELECT {{day_diff(g.game_date, p.game_date)}} AS rest, '{{not_a_piece}}' AS s -- {{nor_this}}
FROM {{unnest_as($dates, d)}}`;
    assert.equal(renderPieces(sql, 'duckdb'), `SELECT date_diff('day', p.game_date, g.game_date) AS rest, '{{not_a_piece}}' AS s -- {{nor_this}}
FROM unnest($dates) AS d(d)`);
    assert.equal(renderPieces(sql, 'bigquery'), `SELECT DATE_DIFF(g.game_date, p.game_date, DAY) AS rest, '{{not_a_piece}}' AS s -- {{nor_this}}
FROM UNNEST($dates) AS d`);
  });

  it('splits arguments at top-level commas only, and renders markers nested in arguments', () => {
    const sql = `SELECT {{day_diff(coalesce(a, CAST('2021-10-19' AS DATE)), b)}} AS x, {{ms_between(t0, {{ms_between(a, b)}})}} AS y, {{star_except(processed_at, run_id)}}`;
    assert.equal(
      renderPieces(sql, 'bigquery'),
      `SELECT DATE_DIFF(coalesce(a, CAST('2021-10-19' AS DATE)), b, DAY) AS x, TIMESTAMP_DIFF(TIMESTAMP_DIFF(b, a, MILLISECOND), t0, MILLISECOND) AS y, * EXCEPT (processed_at, run_id)`,
    );
    // A marker right after one whose arguments held a string literal is found too.
    assert.equal(renderPieces(`{{day_diff(CAST('x' AS DATE), b)}} = {{day_diff(c, d)}}`, 'duckdb'), `date_diff('day', b, CAST('x' AS DATE)) = date_diff('day', d, c)`);
  });

  it('refuses unknown pieces, wrong arity, non-identifiers where a name is due, and unclosed markers, naming the piece', () => {
    assert.throws(() => renderPieces('SELECT {{date_add(a, 1)}}', 'duckdb'), (e) => e instanceof PieceError && /unknown \(known: day_diff, ms_between/.test(e.message));
    assert.throws(() => renderPieces('SELECT {{day_diff(a)}}', 'duckdb'), /takes 2 argument\(s\), got 1/);
    assert.throws(() => renderPieces('FROM {{unnest_as($d, d.x)}}', 'duckdb'), /must be a plain identifier, got 'd.x'/);
    assert.throws(() => renderPieces('SELECT {{star_except()}}', 'duckdb'), /at least 1/);
    assert.throws(() => renderPieces('SELECT {{row_hash()}}', 'duckdb'), /at least 1/);
    assert.equal(renderPieces('{{row_hash(t, processed_at, run_id)}}', 'bigquery'), 'FARM_FINGERPRINT(TO_JSON_STRING((SELECT AS STRUCT t.* EXCEPT (processed_at, run_id))))');
    assert.equal(renderPieces('{{row_hash(t)}}', 'duckdb'), 'hash(*COLUMNS(t.*))');
    assert.throws(() => renderPieces('SELECT {{day_diff(a, b) AS x', 'duckdb'), /expected '}}'/);
    assert.throws(() => expandIncludes('SELECT {{day_dif(a, b)}} AS x', {}), /SQL piece \{\{day_dif\(…\)\}\} is unknown/);
    assert.throws(() => renderPieces('SELECT {{day_diff(a, b', 'duckdb'), /not closed/);
    assert.throws(() => checkPieces('SELECT {{nope(1)}}'), PieceError);
    assert.doesNotThrow(() => checkPieces('SELECT 1 -- {{nope(1)}}'));
    // `{{name}}` without parentheses is no piece: the SQL files' own placeholders pass through.
    assert.equal(renderPieces('SELECT {{min_games}} AS n, {{day_diff(a, b)}} AS d', 'duckdb'), "SELECT {{min_games}} AS n, date_diff('day', b, a) AS d");
  });

  it('every piece has both forms, and text without markers is returned as is', () => {
    for (const [name, p] of Object.entries(PIECES)) {
      const args = p.args.map((_a, i) => `a${i}`);
      assert.equal(renderPieces(`{{${name}(${args.join(', ')})}}`, 'duckdb'), p.duckdb(...args));
      assert.notEqual(p.duckdb(...args), p.bigquery(...args), name);
    }
    const plain = 'SELECT 1 AS x';
    assert.equal(renderPieces(plain, 'bigquery'), plain);
  });

  it('string literals are escaped per dialect (code-declared text only)', () => {
    assert.equal(stringLiteral('duckdb', "audit 'grain' failed"), "'audit ''grain'' failed'");
    assert.equal(stringLiteral('bigquery', "audit 'grain' failed\\"), "'audit \\'grain\\' failed\\\\'");
    assert.deepEqual(assertEmpty('bigquery', 'SELECT 1 AS x;', "p: audit 'a' failed"), ["ASSERT NOT EXISTS (SELECT 1 AS x) AS 'p: audit \\'a\\' failed'"]);
  });

  it('on DuckDB, the pieces run as rendered by the warehouse, and assertEmpty fails only when its query has rows', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    try {
      const rows = await wh.query(
        `SELECT d, {{day_diff(CAST(d AS DATE), DATE '2021-10-19')}} AS days
FROM {{unnest_as($dates, d)}} ORDER BY d`,
        { dates: ['2021-10-19', '2021-10-22'] },
      );
      assert.deepEqual(rows, [{ d: '2021-10-19', days: 0 }, { d: '2021-10-22', days: 3 }]);
      const [h] = await wh.query(`SELECT {{row_hash(r, c)}} = hash(r.a, r.b) AS same, {{row_hash(r)}} = hash(r.a, r.b, r.c) AS whole FROM (SELECT 1 AS a, 'x' AS b, 2 AS c) r`);
      assert.deepEqual(h, { same: true, whole: true });
      const [s] = await wh.query(`SELECT {{star_except(c)}} FROM (SELECT 1 AS a, 'x' AS b, 2 AS c)`);
      assert.deepEqual(s, { a: 1, b: 'x' });
      await wh.script(assertEmpty('duckdb', 'SELECT 1 AS x WHERE false', 'nothing'));
      await assert.rejects(wh.script(assertEmpty('duckdb', `SELECT 7 AS x, 'it''s' AS y`, "audit 'x' failed")), /audit 'x' failed, e\.g\. \{"x":7,"y":"it's"\}/);
      // Several offending rows: the first is named; a clean audit after a failed one passes (the count is its own).
      await assert.rejects(wh.script(assertEmpty('duckdb', 'SELECT x FROM (VALUES (3), (4)) t(x) ORDER BY x', 'two')), /two, e\.g\. \{"x":3\}/);
      await wh.script(assertEmpty('duckdb', 'SELECT x FROM (VALUES (3)) t(x) WHERE x > 3', 'none'));
    } finally {
      await wh.close();
    }
  });
});
