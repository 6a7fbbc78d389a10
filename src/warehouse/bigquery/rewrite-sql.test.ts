import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetNames } from './dataset-names.js';
import { fromBigQuerySql, toBigQuerySql } from './rewrite-sql.js';
import { splitStatements } from './sql-segments.js';

describe('toBigQuerySql / fromBigQuerySql', () => {
  const names = new DatasetNames('dev_alice_');

  it('turns $name into @name and maps schemas to prefixed datasets, in code only', () => {
    const sql = `SELECT p.player_lookup, '$x nba_raw.t' AS s, "nba_raw" AS q -- $y nba_raw.z
FROM nba_precompute.player_daily_cache p JOIN nba_analytics . player_game_summary g ON g.x = p.x
/* nba_processing.failures $z */ WHERE p.cache_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND p.a = $from`;
    const out = toBigQuerySql(sql, names);
    assert.equal(out.sql, `SELECT p.player_lookup, '$x nba_raw.t' AS s, "nba_raw" AS q -- $y nba_raw.z
FROM dev_alice_nba_precompute.player_daily_cache p JOIN dev_alice_nba_analytics . player_game_summary g ON g.x = p.x
/* nba_processing.failures $z */ WHERE p.cache_date BETWEEN CAST(@from AS DATE) AND CAST(@to AS DATE) AND p.a = @from`);
    assert.deepEqual(out.parameters, ['from', 'to']);
  });

  it('leaves unknown schemas, column paths and quoted strings with escaped quotes alone', () => {
    const sql = `SELECT t.nba_raw, other.tbl.col, 'it''s $a' FROM other.tbl t WHERE x = $b`;
    assert.equal(toBigQuerySql(sql, names).sql, `SELECT t.nba_raw, other.tbl.col, 'it''s $a' FROM other.tbl t WHERE x = @b`);
  });

  it('is a no-op on names without a prefix', () => {
    assert.equal(toBigQuerySql('SELECT * FROM nba_raw.play_by_play', new DatasetNames('')).sql, 'SELECT * FROM nba_raw.play_by_play');
  });

  it('maps a BigQuery text back (backticks, project-qualified names, @@system variables kept)', () => {
    const bq = "SELECT @a, @@dataset_id, '@b' FROM `my-proj.dev_alice_nba_raw.odds` o JOIN dev_alice_nba_reference.schedule s ON s.x = o.x WHERE y = \"it\\\"s\"";
    assert.equal(fromBigQuerySql(bq, names), "SELECT $a, @@dataset_id, '@b' FROM nba_raw.odds o JOIN nba_reference.schedule s ON s.x = o.x WHERE y = \"it\\\"s\"");
  });

  it('splits scripts at top-level semicolons only', () => {
    assert.deepEqual(splitStatements("BEGIN TRANSACTION; SELECT ';' AS s; -- a; b\nCOMMIT TRANSACTION;", 'bigquery'), ['BEGIN TRANSACTION', "SELECT ';' AS s", '-- a; b\nCOMMIT TRANSACTION']);
  });

  it('refuses a prefix that is not a dataset name part', () => {
    assert.throws(() => new DatasetNames('dev-alice'), /only letters, digits and '_'/);
  });
});
