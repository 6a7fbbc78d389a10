import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINE_DDL } from '../../engine/schema.js';
import { INGEST_DDL } from '../../ingest/schema.js';
import { PROCESSORS } from '../../processors/index.js';
import { PROCESSOR_DDL } from '../../processors/schema.js';
import { DatasetNames } from './dataset-names.js';
import { columnType, tablesOf } from './parse-ddl.js';
import { bigQueryType, renderBigQueryDdl } from './render-ddl.js';
import { processorLayouts } from './table-layouts.js';

describe('renderBigQueryDdl', () => {
  it('maps every DuckDB type we use to its BigQuery type', () => {
    const cases: [string, string][] = [
      ['VARCHAR', 'STRING'], ['BIGINT', 'INT64'], ['INTEGER', 'INT64'], ['DOUBLE', 'FLOAT64'], ['BOOLEAN', 'BOOL'], ['DATE', 'DATE'],
      ['TIMESTAMP', 'TIMESTAMP'], ['JSON', 'JSON'], ['DECIMAL(18, 6)', 'NUMERIC(18, 6)'], ['DECIMAL', 'NUMERIC(18, 3)'], ['NUMERIC(38, 10)', 'BIGNUMERIC(38, 10)'],
      ['VARCHAR[]', 'ARRAY<STRING>'], ['BIGINT[]', 'ARRAY<INT64>'], ['DOUBLE[]', 'ARRAY<FLOAT64>'], ['DECIMAL(9,2)[]', 'ARRAY<NUMERIC(9, 2)>'],
    ];
    for (const [duck, bq] of cases) assert.equal(bigQueryType(columnType(duck)), bq, duck);
    assert.throws(() => columnType('VARCHAR[][]'), /nested list/);
    assert.throws(() => columnType('UUID'), /no BigQuery mapping/);
  });

  it('renders a table with NOT ENFORCED keys, PARTITION BY and CLUSTER BY; arrays never NOT NULL', () => {
    const r = renderBigQueryDdl(`CREATE SCHEMA IF NOT EXISTS nba_predictions;
CREATE TABLE IF NOT EXISTS nba_predictions.f (
  player_lookup VARCHAR NOT NULL, -- who
  game_date DATE NOT NULL,
  features DOUBLE[] NOT NULL,
  active BOOLEAN NOT NULL DEFAULT true,
  PRIMARY KEY (player_lookup, game_date)
);
ALTER TABLE nba_predictions.f ADD COLUMN IF NOT EXISTS note VARCHAR NOT NULL;`, new DatasetNames('t_'), { 'nba_predictions.f': { partitionBy: 'game_date', clusterBy: ['player_lookup'] } });
    assert.deepEqual(r.datasets, ['t_nba_predictions']);
    assert.deepEqual(r.unsupported, []);
    assert.deepEqual(r.statements, [
      `CREATE TABLE IF NOT EXISTS t_nba_predictions.f (
  player_lookup STRING NOT NULL,
  game_date DATE NOT NULL,
  features ARRAY<FLOAT64>,
  active BOOL DEFAULT true NOT NULL,
  PRIMARY KEY (player_lookup, game_date) NOT ENFORCED
)
PARTITION BY game_date
CLUSTER BY player_lookup`,
      'ALTER TABLE t_nba_predictions.f ADD COLUMN IF NOT EXISTS note STRING',
    ]);
  });

  it('rejects a layout naming a missing or non-date column', () => {
    const ddl = 'CREATE TABLE IF NOT EXISTS nba_raw.x (a VARCHAR, d DATE, f DOUBLE)';
    assert.throws(() => renderBigQueryDdl(ddl, new DatasetNames(''), { 'nba_raw.x': { partitionBy: 'a' } }), /must be DATE or TIMESTAMP/);
    assert.throws(() => renderBigQueryDdl(ddl, new DatasetNames(''), { 'nba_raw.x': { partitionBy: 'nope' } }), /not a column/);
    assert.throws(() => renderBigQueryDdl(ddl, new DatasetNames(''), { 'nba_raw.x': { clusterBy: ['f'] } }), /cannot be DOUBLE/);
  });

  it('renders every processor table partitioned by its date column and clustered by its entity column', () => {
    const r = renderBigQueryDdl(PROCESSOR_DDL, new DatasetNames(''), processorLayouts(PROCESSORS));
    assert.equal(r.unsupported.length, 0);
    // one CREATE TABLE per processor (the ALTER TABLE … ADD COLUMN lines upgrade older warehouses)
    const outputs = r.statements.filter((s) => PROCESSORS.some((p) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${p.outputTable} (`)));
    assert.equal(outputs.length, PROCESSORS.length);
    for (const p of PROCESSORS) {
      const text = r.statements.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${p.outputTable} (`));
      assert.ok(text, p.outputTable);
      assert.match(text, new RegExp(`\\nPARTITION BY ${p.dateColumn}\\nCLUSTER BY ${p.entityColumn}$`));
      assert.doesNotMatch(text, /\b(VARCHAR|BIGINT|INTEGER|DOUBLE|BOOLEAN)\b/);
    }
  });

  it('renders the engine and ingest DDL (views with their dialect pieces), and lists DuckDB-only statements instead of dropping them', () => {
    const engine = renderBigQueryDdl(ENGINE_DDL, new DatasetNames(''));
    assert.deepEqual(engine.unsupported, []);
    assert.equal(engine.statements.filter((s) => s.startsWith('CREATE TABLE')).length, tablesOf(ENGINE_DDL).size);
    const ingest = renderBigQueryDdl(INGEST_DDL, new DatasetNames(''));
    assert.deepEqual(ingest.unsupported, []);
    const view = ingest.statements.find((s) => s.startsWith('CREATE OR REPLACE VIEW nba_reference.game_dates AS'));
    assert.match(view ?? '', /DATE_DIFF\(game_date, season_opener, DAY\) AS days_since_opener/);
    assert.ok(ingest.statements.some((s) => s.startsWith('CREATE OR REPLACE VIEW nba_reference.player_name_resolution AS')));
    const macro = renderBigQueryDdl(`CREATE OR REPLACE MACRO f(x) AS x + 1;`, new DatasetNames(''));
    assert.deepEqual(macro.unsupported.map((u) => u.reason), ['DuckDB macro: BigQuery has no macros (inline it or use a portable expression)']);
  });
});
