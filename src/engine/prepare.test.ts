// A processor's prepare step (e.g. fitting the models its compute SQL reads) runs inside the batch
// transaction: what it writes commits with the batch's rows or rolls back with them. And a bootstrap
// partition that does get rows is complete, not bootstrap_empty.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProcessorDefinition } from '../processors/processor.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { runBatch } from './batch.js';
import { DEFAULT_RETRY } from './retry.js';
import { runBackfill } from './run.js';
import { fakePsza, seedWorld } from './testing/fakes.js';

const MODELS_DDL = `CREATE SCHEMA IF NOT EXISTS fake; CREATE TABLE IF NOT EXISTS fake.models (batch_from DATE, batch_to DATE, offset_points INTEGER, run_id VARCHAR)`;

/** fakePsza plus a prepare step storing a "model" per batch, which the compute SQL reads (bootstrap dates included). */
function withModel(prepare: ProcessorDefinition['prepare'], computeFilter = ''): ProcessorDefinition {
  return {
    ...fakePsza,
    ddl: `${fakePsza.ddl};\n${MODELS_DDL}`,
    prepare,
    computeSql: `SELECT g.player_lookup, g.game_date AS analysis_date, g.points + m.offset_points AS points, now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM fake.player_games g JOIN fake.models m ON m.run_id = $run_id AND g.game_date BETWEEN m.batch_from AND m.batch_to
WHERE g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ${computeFilter}`,
    failuresSql: `SELECT CAST(NULL AS DATE) AS analysis_date, '' AS entity_id, '' AS failure_category, '' AS failure_reason, true AS can_retry, false AS is_expected WHERE false`,
  };
}

const storeModel: ProcessorDefinition['prepare'] = async (tx, params) => {
  await tx.exec(`INSERT INTO fake.models VALUES (CAST($from AS DATE), CAST($to AS DATE), 100, $run_id)`, params);
};

describe('prepare step', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    await t.wh.exec(MODELS_DDL);
  });
  after(() => t.cleanup());

  it('runs in the batch transaction: its rows commit with the outputs, which read them', async () => {
    const p = withModel(storeModel);
    const run = await runBackfill(t.wh, [p], { from: '2021-10-20', to: '2021-10-22', runId: 'run_ok' });
    assert.equal(run.exitCode, 0);
    assert.deepEqual(await t.wh.query(`SELECT CAST(batch_from AS VARCHAR) AS f, CAST(batch_to AS VARCHAR) AS t FROM fake.models WHERE run_id = 'run_ok'`), [{ f: '2021-10-20', t: '2021-10-22' }]);
    const [r] = await t.wh.query(`SELECT points FROM fake.psza WHERE player_lookup = 'ann' AND analysis_date = '2021-10-21'`);
    assert.equal(r?.['points'], 122); // ann scores day + 1 = 22, plus the model's offset 100
  });

  it('rolls back with the batch: an audit failure after prepare leaves no model row behind', async () => {
    const broken = { ...withModel(storeModel), version: 'v2', audits: [{ name: 'always_fails', sql: 'SELECT 1 AS bad' }] };
    const dates = ['2021-10-23'].map((date) => ({ date, isBootstrap: false }));
    const outcome = await runBatch(t.wh, broken, { from: '2021-10-23', to: '2021-10-23', dates, fingerprints: ['x'] }, { runId: 'run_rolled_back', timeoutMs: 10_000, retry: { ...DEFAULT_RETRY, attempts: 1 }, thresholds: broken.thresholds });
    assert.equal(outcome.ok, false);
    assert.deepEqual(await t.wh.query(`SELECT * FROM fake.models WHERE run_id = 'run_rolled_back'`), []);
    assert.deepEqual(await t.wh.query(`SELECT * FROM fake.psza WHERE analysis_date = '2021-10-23'`), []);
  });

  it('a prepare that throws fails the batch with PROCESSING_ERROR, nothing written', async () => {
    const throwing = withModel(async (tx, params) => {
      await storeModel?.(tx, params, {});
      throw new Error('training rows are not finite');
    });
    const run = await runBackfill(t.wh, [throwing], { from: '2021-10-24', to: '2021-10-24', runId: 'run_throws' });
    assert.equal(run.exitCode, 1);
    assert.match(run.failedPartitions[0]?.reason ?? '', /training rows are not finite/);
    assert.equal(run.failedPartitions[0]?.category, 'PROCESSING_ERROR');
    assert.deepEqual(await t.wh.query(`SELECT * FROM fake.models WHERE run_id = 'run_throws'`), []);
  });

  it('a bootstrap date with rows is complete; one without rows stays bootstrap_empty', async () => {
    // game days 10-01 and 10-03 are bootstrap; this processor writes rows for 10-01 only
    const p = withModel(storeModel, `AND g.game_date <> DATE '2021-10-03'`);
    const run = await runBackfill(t.wh, [p], { from: '2021-10-01', to: '2021-10-03', runId: 'run_boot' });
    assert.equal(run.exitCode, 0);
    const st = await t.wh.query(`SELECT CAST(partition_date AS VARCHAR) AS d, status, rows_written FROM nba_processing.partition_status WHERE partition_date <= '2021-10-03' ORDER BY 1`);
    assert.deepEqual(st, [{ d: '2021-10-01', status: 'complete', rows_written: 3 }, { d: '2021-10-03', status: 'bootstrap_empty', rows_written: 0 }]);
  });
});
