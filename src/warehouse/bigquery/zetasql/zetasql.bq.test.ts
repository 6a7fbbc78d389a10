// ZetaSQL (BigQuery's analyzer and reference evaluator) as a local server: the catalog from our DDL,
// analysis of any statement (scripts and MERGE included), EvaluateQuery and EvaluateModify, and the
// quirks of this build pinned by tests so that a change of build is noticed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINE_DDL } from '../../../engine/schema.js';
import { INGEST_DDL } from '../../../ingest/schema.js';
import { PROCESSORS } from '../../../processors/index.js';
import { PROCESSOR_DDL } from '../../../processors/schema.js';
import { DatasetNames } from '../dataset-names.js';
import { tablesOf } from '../parse-ddl.js';
import { renderBigQueryDdl } from '../render-ddl.js';
import { processorLayouts, SHARED_TABLE_LAYOUTS } from '../table-layouts.js';
import { ZetaSql, ZetaSqlError } from './zetasql-server.js';

const engineTables = [...tablesOf(ENGINE_DDL).values()];

describe('ZetaSQL harness', () => {
  let zeta: ZetaSql;
  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(() => zeta?.stop());

  it("accepts the BigQuery rendering of the engine's and every processor's tables (PARTITION BY, CLUSTER BY, NOT ENFORCED keys)", async () => {
    const rendered = [
      ...renderBigQueryDdl(ENGINE_DDL, new DatasetNames(''), SHARED_TABLE_LAYOUTS).statements,
      ...renderBigQueryDdl(PROCESSOR_DDL, new DatasetNames(''), processorLayouts(PROCESSORS)).statements,
    ];
    assert.ok(rendered.length >= 10);
    for (const statement of rendered) {
      // an ALTER adds a column to a table its DDL created before (the engine's or a processor's); a view
      // (pred's name resolution, declared for warehouses built without ingest) reads ingest's tables
      const catalog = statement.startsWith('ALTER') ? [...engineTables, ...tablesOf(PROCESSOR_DDL).values()] : /^CREATE (OR REPLACE )?VIEW/.test(statement) ? [...tablesOf(INGEST_DDL).values()] : [];
      const [analyzed] = await zeta.analyze(statement, catalog);
      assert.match(analyzed?.node ?? '', /resolvedCreateTableStmtNode|resolvedAlterTableStmtNode|resolvedCreateViewStmtNode/, statement.slice(0, 80));
    }
  });

  it('analyzes a batch script statement by statement: BEGIN, a temp table the later statements read, DELETE, INSERT, MERGE, SELECT, COMMIT', async () => {
    const script = `BEGIN TRANSACTION;
CREATE TEMP TABLE staged AS
  SELECT 'PlayerDailyCacheProcessor' AS processor_name, CAST($d AS DATE) AS analysis_date, 'ann' AS entity_id, 'INSUFFICIENT_DATA' AS failure_category,
         '3 games < 5' AS failure_reason, true AS can_retry, true AS is_expected;
DELETE FROM nba_processing.precompute_failures WHERE processor_name = $p AND analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND entity_id <> 'DATE_LEVEL';
MERGE nba_processing.precompute_failures t
USING staged s
ON t.processor_name = s.processor_name AND t.analysis_date = s.analysis_date AND t.entity_id = s.entity_id AND t.failure_category = s.failure_category
WHEN MATCHED THEN UPDATE SET occurrence_count = t.occurrence_count + 1, last_seen_at = current_timestamp, run_id = $run_id, failure_reason = s.failure_reason
WHEN NOT MATCHED THEN INSERT (processor_name, run_id, analysis_date, entity_id, failure_category, failure_reason, can_retry, is_expected, occurrence_count, first_seen_at, last_seen_at)
  VALUES (s.processor_name, $run_id, s.analysis_date, s.entity_id, s.failure_category, s.failure_reason, s.can_retry, s.is_expected, 1, current_timestamp, current_timestamp);
INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written, entity_failures, run_id, processor_version, started_at, finished_at, duration_ms)
  SELECT $p, analysis_date, 'complete', 0, count(*), $run_id, 'v1', current_timestamp, current_timestamp, 0 FROM staged GROUP BY analysis_date;
SELECT partition_date, status FROM nba_processing.partition_status WHERE processor_name = $p ORDER BY partition_date;
COMMIT TRANSACTION`;
    const nodes = await zeta.analyze(script, engineTables, { d: '2021-11-02', p: 'PlayerDailyCacheProcessor', from: '2021-11-01', to: '2021-11-30', run_id: 'r1' });
    assert.deepEqual(nodes.map((n) => n.node), [
      'resolvedBeginStmtNode', 'resolvedCreateTableAsSelectStmtNode', 'resolvedDeleteStmtNode', 'resolvedMergeStmtNode',
      'resolvedInsertStmtNode', 'resolvedQueryStmtNode', 'resolvedCommitStmtNode',
    ]);
    assert.match(nodes[2]?.sql ?? '', /DELETE FROM `nba_processing\.precompute_failures` AS precompute_failures WHERE processor_name = @p/);
  });

  it('rejects what BigQuery rejects, naming the statement: :: casts, DuckDB-only functions, a wrong type', async () => {
    await assert.rejects(zeta.analyze('SELECT $d::DATE AS d', [], { d: '2021-11-01' }), (e) => e instanceof ZetaSqlError && /Syntax error/.test(e.zetasqlMessage) && /@d::DATE/.test(e.message));
    await assert.rejects(zeta.analyze('SELECT list_value(1, 2) AS l', []), (e) => e instanceof ZetaSqlError && /Function not found: list_value/.test(e.zetasqlMessage));
    await assert.rejects(zeta.analyze(`SELECT processor_name + 1 FROM nba_processing.partition_status`, engineTables), (e) => e instanceof ZetaSqlError && /No matching signature/.test(e.zetasqlMessage));
  });

  it("this build's quirks (pinned): BIGINT/INTEGER aliases, GROUP BY ALL and MAX_BY are refused", async () => {
    await assert.rejects(zeta.analyze('SELECT CAST(1 AS BIGINT) AS x', []), /Type not found: BIGINT/);
    await assert.rejects(zeta.analyze('SELECT CAST(1 AS INTEGER) AS x', []), /Type not found: INTEGER/);
    await assert.rejects(zeta.analyze('SELECT status, count(*) AS n FROM nba_processing.partition_status GROUP BY ALL', engineTables), /GROUP BY ALL is not supported/);
    await assert.rejects(zeta.analyze('SELECT max_by(status, partition_date) FROM nba_processing.partition_status', engineTables), /Function not found: max_by/);
  });

  it("this build's evaluator (pinned): MERGE is analyzed, not evaluated; an INSERT … WITH … SELECT from a subquery evaluates", async () => {
    const def = tablesOf(ENGINE_DDL).get('nba_processing.notification_log');
    assert.ok(def);
    const fixtures = [{ def, rows: [{ signature: 's1', event_type: 'run_summary', sent_at: '2021-11-01T00:00:00Z', suppressed: false, run_id: 'r1' }] }];
    const merge = `MERGE nba_processing.notification_log t USING (SELECT 's1' AS signature) s ON t.signature = s.signature WHEN MATCHED THEN UPDATE SET suppressed = true`;
    assert.deepEqual((await zeta.analyze(merge, [def])).map((n) => n.node), ['resolvedMergeStmtNode']);
    await assert.rejects(zeta.evaluateModify(merge, fixtures), (e) => e instanceof ZetaSqlError && /does not support statement kind: MergeStmt/.test(e.zetasqlMessage));
    const insert = `INSERT INTO nba_processing.notification_log (signature, event_type, sent_at, suppressed, run_id)
WITH recent AS (SELECT signature, event_type FROM nba_processing.notification_log)
SELECT signature, event_type, TIMESTAMP '2021-11-02 00:00:00', false, 'r2' FROM (SELECT * FROM recent)
WHERE EXISTS (SELECT 1 FROM nba_processing.notification_log WHERE notification_log.signature = 's1')`;
    const inserted = await zeta.evaluateModify(insert, fixtures);
    assert.deepEqual(inserted.rows.map((r) => r.cells), [['s1', 'run_summary', '2021-11-02T00:00:00.000Z', false, 'r2']]);
  });

  it('EvaluateQuery runs a query over inline rows; EvaluateModify returns the rows a DELETE/UPDATE/INSERT touches', async () => {
    const def = tablesOf(ENGINE_DDL).get('nba_processing.run_steps');
    assert.ok(def);
    const row = (run_id: string, processor_name: string, rows_written: number) => ({
      run_id, processor_name, batch_from: '2021-11-01', batch_to: '2021-11-30', status: 'ok', partitions: 30, rows_written, duration_ms: 1200, error: null, finished_at: '2021-12-01T10:00:00.000Z',
    });
    const fixtures = [{ def, rows: [row('r1', 'psza', 4000), row('r1', 'tdza', 900), row('r2', 'psza', 10)] }];
    const q = await zeta.evaluateQuery(`SELECT run_id, sum(rows_written) AS rows_written, max(finished_at) AS last FROM nba_processing.run_steps WHERE batch_to >= CAST($d AS DATE) GROUP BY run_id ORDER BY run_id`, fixtures, { d: '2021-11-30' });
    assert.deepEqual(q.rows, [{ run_id: 'r1', rows_written: 4900, last: '2021-12-01T10:00:00.000Z' }, { run_id: 'r2', rows_written: 10, last: '2021-12-01T10:00:00.000Z' }]);
    const del = await zeta.evaluateModify(`DELETE FROM nba_processing.run_steps WHERE run_id = $r`, fixtures, { r: 'r1' });
    assert.equal(del.table, 'nba_processing.run_steps');
    assert.deepEqual(del.rows.map((r) => r.operation), ['DELETE', 'DELETE']);
    const status = tablesOf(ENGINE_DDL).get('nba_processing.partition_status');
    assert.ok(status);
    const keyed = await zeta.evaluateModify(`DELETE FROM nba_processing.partition_status WHERE partition_date < CAST($d AS DATE)`, [
      { def: status, rows: ['2021-11-01', '2021-11-02', '2021-11-03'].map((d) => ({ processor_name: 'psza', partition_date: d, status: 'complete', rows_written: 1, entity_failures: 0, run_id: 'r', processor_version: 'v1', started_at: '2021-12-01T00:00:00Z', finished_at: '2021-12-01T00:00:00Z', duration_ms: 1 })) },
    ], { d: '2021-11-03' });
    assert.deepEqual(keyed.rows.map((r) => r.oldPrimaryKey), [['psza', '2021-11-01'], ['psza', '2021-11-02']]);
    const upd = await zeta.evaluateModify(`UPDATE nba_processing.run_steps SET status = 'failed', error = $e WHERE rows_written < 100`, fixtures, { e: 'timeout' });
    assert.deepEqual(upd.rows.map((r) => [r.operation, r.cells[0], r.cells[4], r.cells[8]]), [['UPDATE', 'r2', 'failed', 'timeout']]);
    const ins = await zeta.evaluateModify(`INSERT INTO nba_processing.run_steps (run_id, processor_name, batch_from, batch_to, status, partitions, rows_written, duration_ms, finished_at)
      SELECT 'r3', processor_name, batch_from, batch_to, status, partitions, rows_written * 2, duration_ms, finished_at FROM nba_processing.run_steps WHERE run_id = 'r2'`, fixtures);
    assert.deepEqual(ins.rows.map((r) => [r.operation, r.cells[0], r.cells[6]]), [['INSERT', 'r3', 20]]);
  });
});
