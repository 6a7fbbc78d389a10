// rebuildDownstream (registry reprocess's downstream backfill): one planning pass decides between
// "nothing to do" (no run recorded) and the run, which then executes that same plan.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { GAME_DATES_SQL, PARTITION_STATES_SQL } from './partitions.js';
import { rebuildDownstream } from './rebuild-downstream.js';
import { runBackfill } from './run.js';
import { FAKE_PROCESSORS, seedWorld } from './testing/fakes.js';

/** The warehouse, counting the planner's reads (the game dates and the stored statuses: one each per plan). */
function counting(wh: Warehouse): { wh: Warehouse; plans: () => { gameDates: number; states: number } } {
  let gameDates = 0;
  let states = 0;
  const counted = new Proxy(wh, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string, ...rest: unknown[]) => {
          if (sql === GAME_DATES_SQL) gameDates++;
          if (sql === PARTITION_STATES_SQL) states++;
          return (target.query as (...a: unknown[]) => unknown).call(target, sql, ...rest);
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { wh: counted, plans: () => ({ gameDates, states }) };
}

const runs = async (wh: Warehouse) => (await wh.query<{ n: number }>(`SELECT CAST(count(*) AS INT) AS n FROM nba_processing.run_history`))[0]?.n;

describe('rebuildDownstream plans once', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    await runBackfill(t.wh, FAKE_PROCESSORS, { from: '2021-10-01', to: '2021-10-29' });
  });
  after(() => t.cleanup());

  it('with work to do: one planning pass, one run that builds what that plan found', async () => {
    await t.wh.exec(`DELETE FROM nba_processing.partition_status WHERE processor_name = 'FakeShotZoneProcessor' AND partition_date = DATE '2021-10-25'`);
    const before = await runs(t.wh);
    const c = counting(t.wh);
    const d = await rebuildDownstream(c.wh, FAKE_PROCESSORS, '2021-10-22', { runId: 'downstream-1' });
    assert.deepEqual(d.range, { from: '2021-10-22', to: '2021-10-29' });
    assert.equal(d.summary?.status, 'success');
    assert.deepEqual(d.summary?.processors.map((p) => [p.processor, p.planned, p.complete]), [['psza', 1, 1], ['tdza', 0, 0], ['pdc', 1, 1]]);
    assert.deepEqual(c.plans(), { gameDates: 1, states: 1 });
    assert.equal(await runs(t.wh), (before ?? 0) + 1);
  });

  it('with nothing to do: one planning pass, no run recorded', async () => {
    const before = await runs(t.wh);
    const c = counting(t.wh);
    const d = await rebuildDownstream(c.wh, FAKE_PROCESSORS, '2021-10-22', { runId: 'downstream-2' });
    assert.deepEqual([d.range, d.summary], [{ from: '2021-10-22', to: '2021-10-29' }, null]);
    assert.deepEqual(c.plans(), { gameDates: 1, states: 1 });
    assert.equal(await runs(t.wh), before);
  });
});
