// Failure rows of a partition that fails again (another way) or is skipped: what is left in
// precompute_failures must be the partition's current failure, not every failure it ever had.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import { failuresReport } from './reports.js';
import { runBackfill } from './run.js';
import { fakePdc, fakePsza, fakeTdza, seedWorld } from './testing/fakes.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };
const HOLE = '2021-10-24';

/** psza whose audit always fails (a PROCESSING_ERROR of every batch with rows). */
const brokenPsza: ProcessorDefinition = { ...fakePsza, audits: [{ name: 'always', sql: `SELECT * FROM fake.psza WHERE analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)` }] };
/** pdc whose audit always fails. */
const brokenPdc: ProcessorDefinition = { ...fakePdc, audits: [{ name: 'always', sql: `SELECT * FROM fake.pdc WHERE cache_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)` }] };

async function dateLevel(t: TempWarehouse, date: string): Promise<string[]> {
  const rows = await t.wh.query<{ processor_name: string; failure_category: string }>(
    `SELECT processor_name, failure_category FROM nba_processing.precompute_failures WHERE entity_id = 'DATE_LEVEL' AND analysis_date = CAST($d AS DATE) ORDER BY 1, 2`,
    { d: date },
  );
  return rows.map((r) => `${r.processor_name} ${r.failure_category}`);
}

async function status(t: TempWarehouse, date: string): Promise<string[]> {
  const rows = await t.wh.query<{ processor_name: string; status: string; failure_category: string | null }>(
    `SELECT processor_name, status, failure_category FROM nba_processing.partition_status WHERE partition_date = CAST($d AS DATE) ORDER BY 1`,
    { d: date },
  );
  return rows.map((r) => `${r.processor_name} ${r.status}${r.failure_category ? ` ${r.failure_category}` : ''}`);
}

describe('a partition that fails again for another reason', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    await t.wh.exec(`CREATE TABLE fake.held_back AS SELECT * FROM fake.player_games WHERE game_date = '${HOLE}'; DELETE FROM fake.player_games WHERE game_date = '${HOLE}'`);
  });
  after(() => t.cleanup());

  it('keeps one DATE_LEVEL row, of its current category, not one per category it ever had', async () => {
    const first = await runBackfill(t.wh, [fakePsza, fakeTdza], RANGE);
    assert.equal(first.exitCode, 1);
    assert.deepEqual(await dateLevel(t, HOLE), ['FakeShotZoneProcessor MISSING_DEPENDENCIES', 'FakeTeamDefenseProcessor MISSING_DEPENDENCIES']);
    // The upstream is back, but psza now fails its audit: HOLE is failed with PROCESSING_ERROR.
    await t.wh.exec(`INSERT INTO fake.player_games SELECT * FROM fake.held_back`);
    const second = await runBackfill(t.wh, [brokenPsza, fakeTdza], RANGE);
    assert.equal(second.exitCode, 1);
    assert.deepEqual(await status(t, HOLE), ['FakeShotZoneProcessor failed PROCESSING_ERROR', 'FakeTeamDefenseProcessor complete']);
    assert.deepEqual(await dateLevel(t, HOLE), ['FakeShotZoneProcessor PROCESSING_ERROR']);
    const report = await failuresReport(t.wh, HOLE, HOLE, 'FakeShotZoneProcessor');
    assert.deepEqual(report.byCategory.map((r) => `${r['failure_category']} ${Number(r['failures'])}`), ['PROCESSING_ERROR 1']);
  });
});

describe('a failed partition later skipped because its upstream failed', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
  });
  after(() => t.cleanup());

  it('keeps no DATE_LEVEL row of its own: the failure is reported once, at the upstream', async () => {
    const first = await runBackfill(t.wh, [fakePsza, fakeTdza, brokenPdc], RANGE);
    assert.equal(first.exitCode, 1);
    assert.deepEqual(await dateLevel(t, HOLE), ['FakeDailyCacheProcessor PROCESSING_ERROR']);
    // Now psza's upstream is gone on HOLE: psza fails there, pdc (fixed) is skipped there.
    await t.wh.exec(`DELETE FROM fake.player_games WHERE game_date = '${HOLE}'`);
    const second = await runBackfill(t.wh, [fakePsza, fakeTdza, fakePdc], { ...RANGE, force: true });
    assert.equal(second.exitCode, 1);
    assert.deepEqual(await status(t, HOLE), ['FakeDailyCacheProcessor skipped_upstream', 'FakeShotZoneProcessor failed MISSING_DEPENDENCIES', 'FakeTeamDefenseProcessor failed MISSING_DEPENDENCIES']);
    assert.deepEqual(await dateLevel(t, HOLE), ['FakeShotZoneProcessor MISSING_DEPENDENCIES', 'FakeTeamDefenseProcessor MISSING_DEPENDENCIES']);
  });
});
