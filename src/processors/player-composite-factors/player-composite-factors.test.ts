import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { Row } from '../../warehouse/warehouse.js';
import { playerShotZoneAnalysis as psza } from '../player-shot-zone-analysis/definition.js';
import { teamDefenseZoneAnalysis as tdza } from '../team-defense-zone-analysis/definition.js';
import { MATCHUP_DATE as D, matchupFixture } from '../testing/matchup-fixture.js';
import { runBatch, type BatchResult } from '../testing/run-batch.js';
import { playerCompositeFactors as pcf } from './definition.js';

let t: TempWarehouse;
let result: BatchResult;

before(async () => {
  t = await tempWarehouse();
  const f = matchupFixture();
  // the contexts as Phase 3 stores them: 105.01 minutes in 3 games is 35.0033 a game, stored as 35.00;
  // the day before his 30th birthday he is 29.998 years old, stored as 30.00
  f.upcoming('iron', D, 'BOS', { games_in_last_7_days: 3, minutes_in_last_7_days: 105.01, avg_minutes_per_game_last_7: 35 });
  f.upcoming('eve', D, 'BOS', { player_age: 30, player_age_years: 29 });
  await f.insert(t.wh);
  await runBatch(t.wh, psza, { from: D, to: D });
  await runBatch(t.wh, tdza, { from: D, to: D });
  result = await runBatch(t.wh, pcf, { from: D, to: D });
});
after(async () => t.cleanup());

const row = (rows: Row[], player: string): Row => {
  const r = rows.find((x) => x['player_lookup'] === player);
  assert.ok(r, `no PCF row for ${player}`);
  return r;
};

test('fatigue: 3+ rest days +5, four games in 7 days -10', () => {
  const r = row(result.rows, 'ten');
  assert.equal(r['fatigue_score'], 95);
  assert.equal(r['fatigue_adjustment'], -0.25);
});

test('fatigue: back-to-back, heavy week, two back-to-backs in 14 days and age 36 stack to 35', () => {
  const r = row(result.rows, 'tired');
  assert.equal(r['fatigue_score'], 35); // 100 - 15 - 10 - 10 - 8 - 12 - 10
  assert.equal(r['fatigue_adjustment'], -3.25);
  assert.ok((r['warnings'] as string[]).includes('EXTREME_FATIGUE'));
});

test("shot-zone mismatch from the player's PSZA zone and the opponent's TDZA row", () => {
  // MIA allows 0.675 in the paint vs the league's 0.580: +9.5; ten shoots 40% paint: x 0.8 = 7.6 > 5, x 1.2
  const r = row(result.rows, 'ten');
  assert.equal(r['shot_zone_mismatch_score'], 9.12);
  assert.ok((r['warnings'] as string[]).includes('EXTREME_MATCHUP'));
  assert.equal(JSON.parse(String(r['shot_zone_context_json']))['opponent_vs_league'], 9.5);
});

test('pace from real team pace, usage spike from real usage', () => {
  const r = row(result.rows, 'ten');
  assert.equal(r['pace_score'], 1.5); // expected (98 + 104) / 2 = 101; (101 - 98) / 2
  assert.equal(r['usage_spike_score'], 1.5); // (30 - 25) x 0.3
  assert.equal(r['total_composite_adjustment'], 11.87);
  assert.equal(r['data_completeness_pct'], 100);
  assert.equal(row(result.rows, 'tired')['usage_spike_score'], 0);
  assert.equal(r['source_last_game_date'], '2021-11-02');
});

test('fatigue thresholds compare exact values, never rounded ones', () => {
  assert.equal(row(result.rows, 'iron')['fatigue_score'], 92); // 105.01 / 3 > 35: -8
  assert.equal(row(result.rows, 'eve')['fatigue_score'], 100); // 29 until his birthday: no age penalty
});

test("shot-zone mismatch computes with TDZA's unrounded vs-league value", async () => {
  // 6.2504 is stored as 6.25: x 0.8 (ten shoots 40% paint) is exactly 5.00 rounded, 5.0003 exact, which is > 5
  await t.wh.exec(`UPDATE nba_precompute.team_defense_zone_analysis
                   SET paint_defense_vs_league_avg = 6.25, paint_defense_vs_league_avg_unrounded = 6.2504
                   WHERE team_abbr = 'MIA' AND analysis_date = '${D}'`);
  const again = await runBatch(t.wh, pcf, { from: D, to: D });
  assert.equal(row(again.rows, 'ten')['shot_zone_mismatch_score'], 6); // 5.00032 x 1.2 = 6.0004
  await runBatch(t.wh, tdza, { from: D, to: D });
});

test('usage spike weighs each game by its minutes: a 2-minute cameo at usage 337 does not pin it at the clamp', () => {
  const r = row(result.rows, 'cameo');
  // last 5: (4 x 36 x 25 + 2 x 337) / 146 = 29.274; season: (9 x 36 x 25 + 2 x 337) / 326 = 26.914
  assert.deepEqual(JSON.parse(String(r['usage_context_json'])), { usage_last_5: 29.27, usage_season: 26.91, games: 10 });
  assert.equal(r['usage_spike_score'], 0.71); // (29.274 - 26.914) x 0.3; unweighted: (87.4 - 56.2) x 0.3 = 9.36, clamped to 3
});

test('a player without history is still scored; the gaps are an expected INCOMPLETE_DATA', () => {
  const r = row(result.rows, 'rookie');
  assert.equal(r['data_completeness_pct'], 40); // pace and TDZA only
  assert.equal(r['shot_zone_mismatch_score'], 0);
  const f = result.failures.filter((x) => x['entity_id'] === 'rookie');
  assert.equal(f.length, 1);
  assert.equal(f[0]?.['is_expected'], true);
  assert.match(String(f[0]?.['failure_reason']), /rest, usage, PSZA row/);
  // the cause PSZA gives for its own missing row
  assert.match(String(f[0]?.['failure_reason']), /PSZA row \(player has 0 of the 10 games needed \(BOS has played 15, Phase 3 complete\)\)/);
});

test("a missing opponent TDZA row when the opponent has 15 games is a real (unexpected) gap", async () => {
  await t.wh.exec(`DELETE FROM nba_precompute.team_defense_zone_analysis WHERE team_abbr = 'MIA'`);
  const again = await runBatch(t.wh, pcf, { from: D, to: D });
  const r = row(again.rows, 'ten');
  assert.equal(r['shot_zone_mismatch_score'], 0);
  assert.equal(r['data_completeness_pct'], 80);
  const f = again.failures.find((x) => x['entity_id'] === 'ten');
  assert.equal(f?.['is_expected'], false);
  assert.match(String(f?.['failure_reason']), /opponent TDZA row \(inputs were sufficient \(15 games, 15 needed\) yet the row is missing\)/);
});

test('a Phase 3 gap behind a missing PSZA row makes the INCOMPLETE_DATA real, naming the gap', async () => {
  // runs last: BOS's game of 10-19 loses its box score (only the bench played in it)
  await t.wh.exec(`DELETE FROM nba_analytics.player_game_summary WHERE team_abbr = 'BOS' AND game_date = '2021-10-19'`);
  await runBatch(t.wh, psza, { from: D, to: D });
  await runBatch(t.wh, tdza, { from: D, to: D });
  const again = await runBatch(t.wh, pcf, { from: D, to: D });
  const f = again.failures.filter((x) => x['entity_id'] === 'rookie');
  assert.equal(f.length, 1);
  assert.equal(f[0]?.['is_expected'], false);
  assert.match(String(f[0]?.['failure_reason']),
    /PSZA row \(Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary \(2021-10-19\)\)/);
  assert.equal(again.failures.some((x) => x['entity_id'] === 'ten'), false); // his 10 games are all there
});
