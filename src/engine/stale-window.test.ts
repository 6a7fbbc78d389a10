// Stale detection covers what the processors really read (ProcessorDefinition.reads), not only their
// checks' recent windows: on a synthetic league, a change to a game long before D makes D stale, and a
// default backfill then leaves the same tables as a --force rebuild; earlier-season outputs that a
// refit's training window reads make the predictions stale; a change on D itself does not make D stale.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROCESSORS } from '../processors/index.js';
import type { ProcessorKey } from '../processors/processor.js';
import { generateSeason } from '../processors/testing/season-fixture.js';
import { tableHash } from '../testing/table-hash.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { planBackfill, runBackfill, type RunOptions } from './run.js';

/** Enough played games for a fitted model (not the prior) from the first refits on. */
const THRESHOLDS: RunOptions['thresholds'] = { pred: { min_training_rows: 40 } };
const OUTPUTS = [
  ...PROCESSORS.map((p) => p.outputTable),
  'nba_processing.precompute_failures',
  'nba_predictions.points_model_fits',
  'nba_predictions.points_model_coefficients',
  'nba_predictions.points_model_residuals',
];

async function outputs(wh: Warehouse): Promise<Record<string, { rows: number; hash: string }>> {
  const out: Record<string, { rows: number; hash: string }> = {};
  // the failures' first/last seen and occurrence count are per run by design, the fits' time of fitting too
  for (const t of OUTPUTS) out[t] = await tableHash(wh, t, 'true', ['first_seen_at', 'last_seen_at', 'occurrence_count', 'fitted_at']);
  return out;
}

/** The stale partitions a default backfill of the range plans, as "processor date". */
async function planned(wh: Warehouse, from: string, to: string): Promise<string[]> {
  const p = await planBackfill(wh, PROCESSORS, { from, to, thresholds: THRESHOLDS });
  return p.plan.partitions.map((x) => `${x.processor} ${x.date}`);
}

/** A default backfill on one copy and a --force rebuild on another: the same tables. */
async function defaultEqualsForce(source: TempWarehouse, from: string, to: string): Promise<void> {
  await source.release();
  const a = await tempWarehouse(source.path);
  const b = await tempWarehouse(source.path);
  try {
    const ra = await runBackfill(a.wh, PROCESSORS, { from, to, thresholds: THRESHOLDS });
    const rb = await runBackfill(b.wh, PROCESSORS, { from, to, thresholds: THRESHOLDS, force: true });
    assert.equal(ra.status, 'success');
    assert.equal(rb.status, 'success');
    assert.deepEqual(await outputs(a.wh), await outputs(b.wh));
    // and the default backfill left nothing stale behind
    assert.deepEqual(await planned(a.wh, from, to), []);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
}

const byProcessor = (parts: readonly string[]) => {
  const out = new Map<ProcessorKey, string[]>();
  for (const x of parts) {
    const [k, d] = x.split(' ') as [ProcessorKey, string];
    out.set(k, [...(out.get(k) ?? []), d]);
  }
  return out;
};

describe('one season: what a processor reads before D', () => {
  const FROM = '2021-10-19';
  const TO = '2021-12-17'; // 60 days
  let t: TempWarehouse;
  let dates: string[];

  before(async () => {
    t = await tempWarehouse();
    await generateSeason(t.wh, { days: 60, playersPerTeam: 4 });
    dates = (await t.wh.query(`SELECT game_date::VARCHAR AS d FROM nba_reference.game_dates WHERE NOT is_bootstrap ORDER BY 1`)).map((r) => String(r['d']));
    const s = await runBackfill(t.wh, PROCESSORS, { from: FROM, to: TO, thresholds: THRESHOLDS });
    assert.equal(s.status, 'success');
  });
  after(async () => t.cleanup());

  it('a no-op backfill after a full one has nothing to do', async () => {
    assert.deepEqual(await planned(t.wh, FROM, TO), []);
  });

  it('a change ON D leaves D up to date (every processor reads only games before D) and makes later dates stale', async () => {
    const D = dates.at(-3) as string;
    await t.wh.exec(`UPDATE nba_analytics.player_game_summary SET points = points + 7, processed_at = now() WHERE game_date = $d::DATE`, { d: D });
    const stale = await planned(t.wh, FROM, TO);
    assert.ok(stale.length > 0);
    assert.deepEqual(stale.filter((x) => (x.split(' ')[1] as string) <= D), [], 'nothing dated D or before is stale');
    await t.wh.exec(`UPDATE nba_analytics.player_game_summary SET points = points - 7, processed_at = now() WHERE game_date = $d::DATE`, { d: D });
    assert.deepEqual(await planned(t.wh, FROM, TO), [], 'the same content again: nothing is stale');
  });

  it('a change more than 30 days before D makes D stale, and a default backfill then equals a --force rebuild', async () => {
    const E = dates[2] as string; // the 16th day; the last date is 43 days later
    await t.wh.exec(`UPDATE nba_analytics.player_game_summary SET points = points + 7, processed_at = now() WHERE game_date = $d::DATE`, { d: E });
    const stale = byProcessor(await planned(t.wh, FROM, TO));
    const last = dates.at(-1) as string;
    // every processor that reads player games has its dates after E planned, the last ones included
    // (the 20- and 30-day checks alone stopped 30 days after E); TDZA reads no player games
    for (const key of ['psza', 'pdc', 'pcf', 'mlfs', 'pred'] as const) {
      const ds = stale.get(key) ?? [];
      assert.ok(ds.includes(last), `${key} ${last} stale`);
      assert.deepEqual(ds.filter((d) => d <= E), [], `${key}: nothing dated E or before`);
      assert.deepEqual(ds, dates.filter((d) => d > E), `${key}: every date after E`);
    }
    assert.equal(stale.get('tdza'), undefined);
    await defaultEqualsForce(t, FROM, TO);
  });
});

describe('two seasons: the predictions read the season before', () => {
  const S1 = { from: '2021-10-19', to: '2021-11-27' };
  const S2 = { from: '2022-10-18', to: '2022-11-26' };
  let t: TempWarehouse;

  before(async () => {
    t = await tempWarehouse();
    await generateSeason(t.wh, { days: 40, playersPerTeam: 4 });
    await generateSeason(t.wh, { days: 40, playersPerTeam: 4, start: S2.from, seasonYear: 2022 });
  });
  after(async () => t.cleanup());

  it('backfilling the earlier season makes the later predictions stale (their refits train on it); a default backfill then equals a --force rebuild', async () => {
    assert.equal((await runBackfill(t.wh, PROCESSORS, { ...S2, thresholds: THRESHOLDS })).status, 'success');
    const S2_ROWS = `game_date >= DATE '${S2.from}'`;
    const before2 = await tableHash(t.wh, 'nba_predictions.player_points_predictions', S2_ROWS);
    assert.equal((await runBackfill(t.wh, PROCESSORS, { ...S1, thresholds: THRESHOLDS })).status, 'success');
    const stale = byProcessor(await planned(t.wh, S2.from, S2.to));
    // the later season's Phase 4 read nothing that changed; its predictions' training windows did (MLFS of the season before)
    assert.deepEqual([...stale.keys()], ['pred']);
    const s2Dates = (await t.wh.query(`SELECT game_date::VARCHAR AS d FROM nba_reference.game_dates WHERE season_year = 2022 ORDER BY 1`)).map((r) => String(r['d']));
    // a refit on Monday R trains on [R - 365, R - 1]: the season before's MLFS rows end on 2021-11-27, so
    // every date whose Monday is on or before 2022-11-27 reads them
    assert.deepEqual(stale.get('pred'), s2Dates);
    await t.release();
    const check = await tempWarehouse(t.path);
    try {
      assert.equal((await runBackfill(check.wh, PROCESSORS, { ...S2, thresholds: THRESHOLDS })).status, 'success');
      assert.notDeepEqual(await tableHash(check.wh, 'nba_predictions.player_points_predictions', S2_ROWS), before2, 'the rebuild changed the predictions');
    } finally {
      await check.cleanup();
    }
    await defaultEqualsForce(t, S2.from, S2.to);
  });
});
