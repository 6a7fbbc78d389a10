// The fake is meant to carry a whole engine run (issue 8 part 2 will run a full-season backfill
// through it and count its jobs). Today's engine, unchanged, through the official client and the fake:
// the same tables as on DuckDB, and the job count that script() is there to bring down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINE_DDL } from '../../../engine/schema.js';
import { runBackfill } from '../../../engine/run.js';
import { FAKE_PROCESSORS, seedWorld, snapshot } from '../../../engine/testing/fakes.js';
import { INGEST_DDL } from '../../../ingest/schema.js';
import { tempWarehouse, type TempWarehouse } from '../../../testing/memory-warehouse.js';
import { BigQueryWarehouse } from '../bigquery-warehouse.js';
import { FakeBigQuery } from './fake-bigquery-server.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };

describe('the engine through the official client and the fake BigQuery server', () => {
  let fake: FakeBigQuery;
  let duck: TempWarehouse;
  before(async () => {
    fake = await FakeBigQuery.start();
    // The product DDL is not BigQuery-renderable yet (a DuckDB macro): seed the fake's DuckDB directly.
    await fake.sql(`${INGEST_DDL}\n${ENGINE_DDL}\n${FAKE_PROCESSORS.map((p) => p.ddl).join(';\n')}`);
    duck = await tempWarehouse();
    for (const p of FAKE_PROCESSORS) await duck.wh.exec(p.ddl);
  });
  after(async () => {
    await fake?.stop();
    await duck?.cleanup();
  });

  it('a backfill writes the same tables as on DuckDB, and every job is counted on both sides', async (t) => {
    const wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: '', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
    await seedWorld(wh);
    await seedWorld(duck.wh);
    const before = wh.jobs.count;
    const summary = await runBackfill(wh, FAKE_PROCESSORS, RANGE);
    assert.equal(summary.exitCode, 0);
    await runBackfill(duck.wh, FAKE_PROCESSORS, RANGE);
    assert.deepEqual(await snapshot(wh), await snapshot(duck.wh));
    const jobs = wh.jobs.count - before;
    assert.equal(wh.jobs.count, fake.jobCount);
    const sessions = wh.jobs.jobs.filter((j) => j.kind === 'session').length;
    assert.ok(sessions >= 2 * FAKE_PROCESSORS.length, 'each batch transaction is a BigQuery session: BEGIN … COMMIT');
    const labelled = fake.jobs.filter((j) => (j.configuration['labels'] as Record<string, string> | undefined)?.['processor'] !== undefined);
    assert.ok(labelled.length > 0, 'batch jobs carry the processor label');
    t.diagnostic(`backfill of ${FAKE_PROCESSORS.length} processors × 1 batch: ${jobs} jobs (${JSON.stringify(wh.jobs.countByKind())}) — one job per statement today; script() makes a batch one job`);
  });
});
