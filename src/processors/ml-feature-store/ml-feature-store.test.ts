import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { Row } from '../../warehouse/warehouse.js';
import { PROCESSORS } from '../index.js';
import { playerCompositeFactors as pcf } from '../player-composite-factors/definition.js';
import { playerDailyCache as pdc } from '../player-daily-cache/definition.js';
import { playerShotZoneAnalysis as psza } from '../player-shot-zone-analysis/definition.js';
import { MATCHUP_DATE as D, matchupFixture } from '../testing/matchup-fixture.js';
import { runBatch, runPipeline, type BatchResult } from '../testing/run-batch.js';
import { mlFeatureStore as mlfs } from './definition.js';
import { checkPhase4Features, FEATURE_NAMES, FEATURE_VERSION, PHASE4_FEATURES } from './features.js';

let t: TempWarehouse;
let result: BatchResult;

before(async () => {
  t = await tempWarehouse();
  await matchupFixture().insert(t.wh);
  await runPipeline(t.wh, PROCESSORS.filter((p) => p.key !== 'mlfs'), { from: D, to: D });
  result = await runBatch(t.wh, mlfs, { from: D, to: D });
});
after(async () => t.cleanup());

function vector(player: string): { row: Row; value: (n: string) => unknown; source: (n: string) => unknown } {
  const row = result.rows.find((x) => x['player_lookup'] === player);
  assert.ok(row, `no MLFS row for ${player}`);
  const names = row['feature_names'] as string[];
  const at = (n: string): number => {
    const i = names.indexOf(n);
    assert.ok(i >= 0, n);
    return i;
  };
  return { row, value: (n) => (row['features'] as unknown[])[at(n)], source: (n) => (row['feature_sources'] as unknown[])[at(n)] };
}

test('a named, versioned vector: 25 baseline + 6 v2 features in a fixed order', () => {
  const { row } = vector('ten');
  assert.equal(FEATURE_VERSION, 'v2_31features');
  assert.equal(row['feature_version'], 'v2_31features');
  assert.equal(row['feature_count'], 31);
  assert.deepEqual(row['feature_names'], [...FEATURE_NAMES]);
  assert.equal((row['features'] as unknown[]).length, 31);
});

test('features come from the Phase 4 rows of D, with their sources', () => {
  const { value, source } = vector('ten');
  const expected: Record<string, [number, string]> = {
    points_avg_last_5: [24, 'phase4'], points_avg_last_10: [19, 'phase4'], points_avg_season: [19, 'phase4'],
    points_std_last_10: [6.06, 'phase4'], games_in_last_7_days: [4, 'phase4'],
    fatigue_score: [95, 'phase4'], shot_zone_mismatch_score: [9.12, 'phase4'], pace_score: [1.5, 'phase4'], usage_spike_score: [1.5, 'phase4'],
    rest_advantage: [2, 'calculated'], injury_risk: [0, 'default'],
    recent_trend: [2, 'calculated'], // newest two (28, 26) minus the three before (24, 22, 20) = +5: improving
    minutes_change: [0, 'calculated'], opponent_def_rating: [105, 'phase4'], opponent_pace: [100, 'phase4'],
    home_away: [0, 'calculated'], back_to_back: [0, 'calculated'], playoff_game: [0, 'calculated'],
    pct_paint: [0.4, 'phase4'], pct_mid_range: [0.2, 'phase4'], pct_three: [0.4, 'phase4'],
    pct_free_throw: [0.2105, 'calculated'], // 40 FT made / 190 points
    team_pace: [98, 'phase4'], team_off_rating: [110, 'phase4'], team_win_pct: [1, 'calculated'],
    vegas_points_line: [22.5, 'phase3'], has_vegas_line: [1, 'calculated'],
    avg_points_vs_opponent: [19, 'default'], games_vs_opponent: [0, 'calculated'], // never met MIA: season average stands in
    minutes_avg_last_10: [30, 'phase4'], ppm_avg_last_10: [0.6333, 'phase4'],
  };
  for (const [name, [v, s]] of Object.entries(expected)) {
    assert.equal(value(name), v, name);
    assert.equal(source(name), s, `${name} source`);
  }
});

test('rounded only at output: points per minute from exact sums, a .005 tie rounded half up on NUMERIC', async () => {
  const { value, source } = vector('odd');
  assert.equal(value('minutes_avg_last_10'), 32.04); // 320.35 / 10 = 32.035 (DOUBLE rounding gave 32.03)
  assert.equal(value('ppm_avg_last_10'), 0.5931); // 190 / 320.35 (19 / 32.03, two rounded averages, gave 0.5932)
  assert.equal(source('ppm_avg_last_10'), 'phase4');
  const [pdcRow] = await t.wh.query(
    `SELECT minutes_avg_last_10, ppm_avg_last_10 FROM nba_precompute.player_daily_cache WHERE player_lookup = 'odd' AND cache_date = '${D}'`,
  );
  assert.deepEqual(pdcRow, { minutes_avg_last_10: 32.04, ppm_avg_last_10: 0.5931 });
});

test('quality score = mean source weight; tier and data source', () => {
  const { row } = vector('ten');
  assert.equal(row['feature_quality_score'], 95.32); // (28 x 100 + 75 + 2 x 40) / 31
  assert.equal(row['quality_tier'], 'gold');
  assert.equal(row['features_from_phase4'], 18);
  assert.equal(row['data_source'], 'phase4'); // all 18 features a Phase 4 row can supply came from one
});

test('data_source: the Phase 4 share is over the features a Phase 4 row can supply', async () => {
  assert.equal(PHASE4_FEATURES.length, 18);
  assert.equal(vector('rookie').row['data_source'], 'mixed'); // only PCF's 4 of the 18, no Phase 3 history
  // without his PSZA row the shot mix comes from Phase 3: 15 of 18 is partial
  await t.wh.exec(`DELETE FROM nba_precompute.player_shot_zone_analysis WHERE player_lookup = 'ten'`);
  const again = await runBatch(t.wh, mlfs, { from: D, to: D });
  assert.equal(again.rows.find((x) => x['player_lookup'] === 'ten')?.['data_source'], 'phase4_partial');
  await runBatch(t.wh, psza, { from: D, to: D });
  await runBatch(t.wh, mlfs, { from: D, to: D });
  assert.throws(() => checkPhase4Features("'default' AS pace_score__src"), /pace_score: its source cannot be phase4/);
});

test('without history: defaults, a lower score, and an expected MISSING_DEPENDENCY (no PDC row)', () => {
  const { row, value, source } = vector('rookie');
  assert.equal(value('points_avg_last_10'), 10);
  assert.equal(source('points_avg_last_10'), 'default');
  assert.equal(value('pct_paint'), 0.3);
  // rest unknown (no game this season): the default 0, not the +2 a NULL-skipping least made of it
  assert.deepEqual([value('rest_advantage'), source('rest_advantage')], [0, 'default']);
  assert.equal(source('fatigue_score'), 'phase4'); // PCF scores everybody
  assert.ok((row['feature_quality_score'] as number) < 80);
  const f = result.failures.filter((x) => x['entity_id'] === 'rookie');
  assert.deepEqual(f.map((x) => [x['failure_category'], x['is_expected']]), [['MISSING_DEPENDENCY', true]]);
  assert.equal(f[0]?.['failure_reason'], 'no PlayerDailyCacheProcessor row (player has 0 of the 5 games needed (BOS has played 15, '
    + 'Phase 3 complete)); features fell back to Phase 3 or defaults');
  assert.equal(result.failures.some((x) => x['entity_id'] === 'ten'), false);
});

test("a Phase 3 gap behind the missing PDC row: a real MISSING_DEPENDENCY, the same verdict as PDC's INSUFFICIENT_DATA", async () => {
  // runs last: BOS's game of 10-19 loses its box score (only the bench played in it)
  await t.wh.exec(`DELETE FROM nba_analytics.player_game_summary WHERE team_abbr = 'BOS' AND game_date = '2021-10-19'`);
  const gap = "Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-19)";
  const upstream = await runBatch(t.wh, pdc, { from: D, to: D });
  await runBatch(t.wh, pcf, { from: D, to: D });
  const again = await runBatch(t.wh, mlfs, { from: D, to: D });
  const pick = (rows: Row[]) => rows.filter((x) => x['entity_id'] === 'rookie').map((x) => [x['failure_category'], x['is_expected'], x['failure_reason']]);
  assert.deepEqual(pick(upstream.failures), [['INSUFFICIENT_DATA', false, gap]]);
  assert.deepEqual(pick(again.failures), [['MISSING_DEPENDENCY', false, `no PlayerDailyCacheProcessor row (${gap}); features fell back to Phase 3 or defaults`]]);
});

test('a missing PCF row is always real: PCF scores every player', async () => {
  await t.wh.exec(`DELETE FROM nba_precompute.player_composite_factors WHERE player_lookup = 'ten'`);
  const again = await runBatch(t.wh, mlfs, { from: D, to: D });
  const f = again.failures.filter((x) => x['entity_id'] === 'ten');
  assert.deepEqual(f.map((x) => [x['failure_category'], x['is_expected'], x['failure_reason']]),
    [['MISSING_DEPENDENCY', false, 'no PlayerCompositeFactorsProcessor row (it scores every player); features fell back to Phase 3 or defaults']]);
});
