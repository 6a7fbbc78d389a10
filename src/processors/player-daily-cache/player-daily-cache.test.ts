import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { playerShotZoneAnalysis as psza } from '../player-shot-zone-analysis/definition.js';
import { days, Phase3Fixture } from '../testing/phase3-fixture.js';
import { runBatch, type BatchResult } from '../testing/run-batch.js';
import { playerDailyCache as pdc } from './definition.js';

const D = '2021-11-03';
const daily = days('2021-10-19', 16); // 10-19 .. 11-03, BOS-NYK every day
const OT_DATE = '2021-11-01';
const MIA_DATES = ['2021-10-25', '2021-10-28', '2021-11-01'];
let t: TempWarehouse;
let result: BatchResult;

before(async () => {
  t = await tempWarehouse();
  const f = new Phase3Fixture();
  daily.forEach((d, i) => f.game(d, i % 2 ? 'NYK' : 'BOS', i % 2 ? 'BOS' : 'NYK', d === OT_DATE ? 1 : 0));
  // points 10, 12, ... 28 over the last 10 games, oldest first; 53 minutes in the overtime game
  daily.slice(5, 15).forEach((d, i) =>
    f.playerGame('ten', d, 'BOS', { points: 10 + 2 * i, minutes_played: d === OT_DATE ? 53 : 30, usage_rate: i < 5 ? 20 : 30, paint_attempts: 5, paint_makes: 2 }),
  );
  f.playerGames('seven', daily.slice(8, 15), 'BOS', { points: 10 });
  f.playerGames('four', daily.slice(11, 15), 'BOS', { points: 10 });
  // MIA-LAL have played 3 games before D: the calendar
  f.series([...MIA_DATES, D], 'MIA', 'LAL');
  f.playerGames('heat', MIA_DATES, 'MIA', { points: 10 });
  f.fillPlayerGames(); // Phase 3 complete: every team-game has box-score rows
  daily.slice(0, 5).forEach((d) => f.teamGame('BOS', d, { pace: 90, offensive_rating: 100 }));
  daily.slice(5, 15).forEach((d) => f.teamGame('BOS', d, { pace: 100, offensive_rating: 115 }));
  f.fillTeamGames();
  f.upcoming('ten', D, 'BOS', { back_to_back: true, days_rest: 1, games_in_last_7_days: 7, player_age: 31 });
  f.upcoming('seven', D, 'BOS', { days_rest: 4 });
  f.upcoming('four', D, 'BOS');
  f.upcoming('heat', D, 'MIA');
  await f.insert(t.wh);
  await runBatch(t.wh, psza, { from: D, to: D });
  result = await runBatch(t.wh, pdc, { from: D, to: D });
});
after(async () => t.cleanup());

const row = (player: string) => {
  const r = result.rows.find((x) => x['player_lookup'] === player);
  assert.ok(r, `no PDC row for ${player}`);
  return r;
};

test('recent form from games before D: last 5, last 10, season, sample sd, minutes with an overtime game', () => {
  const r = row('ten');
  assert.equal(r['points_avg_last_5'], 24); // 20..28
  assert.equal(r['points_avg_last_10'], 19);
  assert.equal(r['points_avg_season'], 19);
  assert.equal(r['points_std_last_10'], 6.06); // sample sd of 10, 12, ..., 28
  assert.equal(r['minutes_avg_last_10'], 32.3); // (9 x 30 + 53) / 10
  // minutes-weighted: (5 x 30 x 20 + 4 x 30 x 30 + 53 x 30) / 323 minutes (the overtime game weighs more)
  assert.equal(r['usage_rate_last_10'], 25.36);
  assert.equal(r['games_played_season'], 10);
  assert.equal(r['early_season_flag'], false);
  assert.equal(r['source_last_game_date'], '2021-11-02');
});

test("the team's last 10 games give pace and offensive rating; context and PSZA fields are copied", () => {
  const r = row('ten');
  assert.equal(r['team_pace_last_10'], 100);
  assert.equal(r['team_off_rating_last_10'], 115);
  assert.equal(r['back_to_back'], true);
  assert.equal(r['days_rest'], 1);
  assert.equal(r['games_in_last_7_days'], 7);
  assert.equal(r['has_shot_zone_data'], true);
  assert.equal(r['primary_scoring_zone'], 'paint');
  assert.equal(r['paint_rate_last_10'], 100);
  assert.equal(row('seven')['days_rest'], 4);
});

test('5-9 games: a row flagged early season, and an expected MISSING_DEPENDENCY (PSZA needs 10)', () => {
  const r = row('seven');
  assert.equal(r['early_season_flag'], true);
  assert.equal(r['games_played_season'], 7);
  assert.equal(r['has_shot_zone_data'], false);
  assert.equal(r['primary_scoring_zone'], null);
  const f = result.failures.filter((x) => x['entity_id'] === 'seven');
  assert.deepEqual(f.map((x) => [x['failure_category'], x['is_expected']]), [['MISSING_DEPENDENCY', true]]);
  assert.equal(f[0]?.['failure_reason'],
    'no PlayerShotZoneAnalysisProcessor row (shot-zone fields left NULL): player has 7 of the 10 games needed (BOS has played 15, Phase 3 complete)');
});

test("fewer than 5 games on a team with 15 and complete Phase 3: no row, an expected INSUFFICIENT_DATA (his participation)", () => {
  assert.equal(result.rows.some((x) => x['player_lookup'] === 'four'), false);
  const f = result.failures.filter((x) => x['entity_id'] === 'four');
  assert.deepEqual(f.map((x) => [x['failure_category'], x['is_expected']]), [['INSUFFICIENT_DATA', true]]);
  assert.equal(f[0]?.['failure_reason'], 'player has 4 of the 5 games needed (BOS has played 15, Phase 3 complete)');
});

test('fewer than 5 games because the team has played 3: an expected INSUFFICIENT_DATA (the calendar)', () => {
  const f = result.failures.filter((x) => x['entity_id'] === 'heat');
  assert.deepEqual(f.map((x) => [x['failure_category'], x['is_expected'], x['failure_reason']]),
    [['INSUFFICIENT_DATA', true, 'early season: MIA has played 3 of the 5 games needed']]);
});

test('a Phase 3 gap makes both INSUFFICIENT_DATA and the missing-PSZA MISSING_DEPENDENCY real, as PSZA says', async () => {
  // runs last: BOS's game of 10-20 loses its box score (nobody named played in it)
  await t.wh.exec(`DELETE FROM nba_analytics.player_game_summary WHERE team_abbr = 'BOS' AND game_date = '2021-10-20'`);
  const upstream = await runBatch(t.wh, psza, { from: D, to: D });
  const again = await runBatch(t.wh, pdc, { from: D, to: D });
  const gap = "Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-20)";
  const by = (rows: typeof again.failures, who: string) => rows.filter((x) => x['entity_id'] === who).map((x) => [x['failure_category'], x['is_expected'], x['failure_reason']]);
  assert.deepEqual(by(again.failures, 'four'), [['INSUFFICIENT_DATA', false, gap]]);
  assert.deepEqual(by(again.failures, 'seven'), [['MISSING_DEPENDENCY', false, `no PlayerShotZoneAnalysisProcessor row (shot-zone fields left NULL): ${gap}`]]);
  // the same cause, the same verdict upstream
  assert.deepEqual(by(upstream.failures, 'seven'), [['INSUFFICIENT_DATA', false, gap]]);
  assert.deepEqual(by(again.failures, 'ten'), []); // 10 games: still a PSZA row and a PDC row
  assert.deepEqual(by(again.failures, 'heat'), [['INSUFFICIENT_DATA', true, 'early season: MIA has played 3 of the 5 games needed']]);
});
