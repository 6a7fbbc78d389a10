import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { days, Phase3Fixture } from '../testing/phase3-fixture.js';
import { runBatch } from '../testing/run-batch.js';
import type { Row } from '../../warehouse/warehouse.js';
import { teamDefenseZoneAnalysis as tdza } from './definition.js';

// BOS-NYK daily from the opener 10-19 (15 games before 11-03); MIA-LAL every third day (5 games).
// Defaults per defensive game: paint 24/40, mid 6/15, three 10/30.
const daily = days('2021-10-19', 17); // .. 11-04
let t: TempWarehouse;

before(async () => {
  t = await tempWarehouse();
  const f = new Phase3Fixture();
  f.series(daily, 'BOS', 'NYK');
  f.series(['2021-10-20', '2021-10-23', '2021-10-26', '2021-10-29', '2021-11-01', '2021-11-03'], 'MIA', 'LAL');
  f.teamGame('BOS', '2021-10-19', {}, { opp_paint_makes: 40, defensive_rating: 120 }); // an outlier that ages out on 11-04
  for (const g of f.games) {
    for (const team of [g.home, g.away]) {
      // NYK's summary lacks one game: 14 rows though 15 were played, a real gap
      if (team === 'NYK' && g.date === '2021-10-25') continue;
      if (!(team === 'BOS' && g.date === '2021-10-19')) f.teamGame(team, g.date);
    }
  }
  await f.insert(t.wh);
});
after(async () => t.cleanup());

const find = (rows: Row[], team: string, date: string): Row => {
  const r = rows.find((x) => x['team_abbr'] === team && x['analysis_date'] === date);
  assert.ok(r, `no TDZA row for ${team} ${date}`);
  return r;
};

test('last 15 defensive games before D, against the constant league averages (fewer than 10 teams)', async () => {
  const { rows } = await runBatch(t.wh, tdza, { from: '2021-10-19', to: '2021-11-04' });
  const d3 = find(rows, 'BOS', '2021-11-03');
  assert.equal(d3['games_in_sample'], 15);
  assert.equal(d3['paint_pct_allowed_last_15'], 0.627); // (40 + 14 x 24) / 600
  assert.equal(d3['mid_range_pct_allowed_last_15'], 0.4);
  assert.equal(d3['three_pt_pct_allowed_last_15'], 0.333);
  assert.equal(d3['league_avg_source'], 'default');
  assert.equal(d3['paint_defense_vs_league_avg'], 4.67); // (0.62667 - 0.580) x 100: positive = worse
  assert.equal(d3['paint_defense_vs_league_avg_unrounded'], 4.666666667); // unrounded (9 dp) for later steps
  assert.equal(d3['mid_range_defense_vs_league_avg'], -1);
  assert.equal(d3['three_pt_defense_vs_league_avg'], -2.17);
  assert.equal(d3['strongest_zone'], 'perimeter');
  assert.equal(d3['weakest_zone'], 'paint');
  assert.equal(d3['defensive_rating_last_15'], 106); // (120 + 14 x 105) / 15
  assert.equal(d3['source_last_game_date'], '2021-11-02');
  // a day later the 10-19 outlier is out of the window
  const d4 = find(rows, 'BOS', '2021-11-04');
  assert.equal(d4['paint_pct_allowed_last_15'], 0.6);
  assert.equal(d4['paint_defense_vs_league_avg'], 2);
  assert.equal(d4['source_last_game_date'], '2021-11-03');
});

test('fewer than 15 games: INSUFFICIENT_DATA, expected only when the schedule explains it', async () => {
  const { rows, failures } = await runBatch(t.wh, tdza, { from: '2021-11-03', to: '2021-11-03' });
  assert.deepEqual(rows.map((r) => r['team_abbr']), ['BOS']);
  const byTeam = Object.fromEntries(failures.map((f) => [f['entity_id'], f]));
  assert.deepEqual(Object.keys(byTeam).sort(), ['LAL', 'MIA', 'NYK']);
  assert.equal(byTeam['NYK']?.['is_expected'], false); // 15 scheduled, 14 summarised: a real gap
  assert.equal(byTeam['MIA']?.['is_expected'], true); // 5 games: the calendar
  assert.equal(byTeam['NYK']?.['failure_reason'], "Phase 3 missing 1 of the 15 scheduled games of NYK before 2021-11-03 in team_defense_game_summary (2021-10-25)");
  assert.equal(byTeam['MIA']?.['failure_reason'], 'early season: MIA has played 5 of the 15 games needed');
});

test('league averages over the 30 days before D from teams with enough games', async () => {
  const { rows } = await runBatch(t.wh, tdza, { from: '2021-11-03', to: '2021-11-03', thresholds: { league_min_teams: 2 } });
  const r = find(rows, 'BOS', '2021-11-03');
  // BOS (15 games) and NYK (14) qualify with >= 10 games; MIA and LAL (5) do not
  assert.equal(r['league_avg_source'], 'computed');
  assert.equal(r['league_teams_in_average'], 2);
  assert.equal(r['league_avg_paint_pct'], 0.613); // mean of 0.62667 and 0.6
  assert.equal(r['paint_defense_vs_league_avg'], 1.33);
  assert.equal(r['mid_range_defense_vs_league_avg'], 0);
});
