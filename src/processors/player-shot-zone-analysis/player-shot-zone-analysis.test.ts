import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { days, Phase3Fixture } from '../testing/phase3-fixture.js';
import { runBatch, type BatchResult } from '../testing/run-batch.js';
import { playerShotZoneAnalysis as psza } from './definition.js';

// Opener 2021-10-19, so 11-02 is the first non-bootstrap date. BOS-NYK play daily; MIA-LAL every third day.
const D = '2021-11-03';
const daily = days('2021-10-19', 15); // 10-19 .. 11-02
const ZONES = { paint_attempts: 4, paint_makes: 2, mid_range_attempts: 2, mid_range_makes: 1, three_pt_attempts: 4, three_pt_makes: 1, assisted_fg_makes: 3, unassisted_fg_makes: 1 };

let t: TempWarehouse;
let result: BatchResult;

before(async () => {
  t = await tempWarehouse();
  const f = new Phase3Fixture();
  f.series([...daily, D, '2021-11-04'], 'BOS', 'NYK');
  f.series(['2021-10-20', '2021-10-23', '2021-10-26', '2021-10-29', '2021-11-01', D], 'MIA', 'LAL');
  f.playerGame('ten', '2021-10-23', 'BOS', { minutes_played: 0, paint_attempts: 30 }); // a DNP does not count
  f.playerGames('ten', daily.slice(5), 'BOS', ZONES);                                   // exactly 10 games
  f.playerGames('nine', daily.slice(6), 'BOS', ZONES);                                  // exactly 9 games
  f.playerGames('vet', daily.slice(0, 5), 'BOS', { three_pt_attempts: 10, three_pt_makes: 4 });
  f.playerGames('vet', daily.slice(5), 'BOS', { paint_attempts: 6, paint_makes: 3, three_pt_attempts: 4, three_pt_makes: 2 });
  f.playerGames('trader', daily.slice(0, 8), 'NYK', { three_pt_attempts: 5, three_pt_makes: 2 });
  f.playerGames('trader', daily.slice(8), 'BOS', { paint_attempts: 5, paint_makes: 3 });
  f.playerGames('heat', ['2021-10-20', '2021-10-23', '2021-10-26', '2021-10-29', '2021-11-01'], 'MIA', ZONES);
  for (const p of ['ten', 'nine', 'vet', 'trader']) f.upcoming(p, D, 'BOS');
  f.upcoming('heat', D, 'MIA');
  f.upcoming('ten', '2021-10-30', 'BOS'); // bootstrap date: no row, no failure
  f.fillTeamGames();
  await f.insert(t.wh);
  result = await runBatch(t.wh, psza, { from: '2021-10-19', to: '2021-11-04' });
});
after(async () => t.cleanup());

const row = (player: string) => {
  const r = result.rows.find((x) => x['player_lookup'] === player && x['analysis_date'] === D);
  assert.ok(r, `no PSZA row for ${player}`);
  return r;
};

test('exactly 10 prior games: a row from those 10 (DNP excluded), dated before D', () => {
  const r = row('ten');
  assert.equal(r['games_in_sample_10'], 10);
  assert.equal(r['total_shots_last_10'], 100);
  assert.deepEqual([r['paint_rate_last_10'], r['mid_range_rate_last_10'], r['three_pt_rate_last_10']], [40, 20, 40]);
  assert.deepEqual([r['paint_pct_last_10'], r['mid_range_pct_last_10'], r['three_pt_pct_last_10']], [0.5, 0.5, 0.25]);
  assert.equal(r['paint_attempts_per_game'], 4);
  assert.equal(r['assisted_rate_last_10'], 75);
  assert.equal(r['primary_scoring_zone'], 'paint');
  assert.equal(r['paint_rate_last_20'], null); // 10 < 15 games
  assert.equal(r['data_quality_tier'], 'high');
  assert.equal(r['source_last_game_date'], '2021-11-02');
  assert.equal(r['game_id'], '20211103_BOS_NYK');
});

test("exactly 9 prior games on a team with 15 and complete Phase 3: no row, an expected INSUFFICIENT_DATA (his participation)", () => {
  assert.equal(result.rows.some((x) => x['player_lookup'] === 'nine'), false);
  const f = result.failures.filter((x) => x['entity_id'] === 'nine');
  assert.equal(f.length, 1);
  assert.equal(f[0]?.['failure_category'], 'INSUFFICIENT_DATA');
  assert.equal(f[0]?.['is_expected'], true);
  assert.equal(f[0]?.['failure_reason'], 'player has 9 of the 10 games needed (BOS has played 15, Phase 3 complete)');
});

test('a zone with zero attempts has rate 0 and a NULL percentage; the 20-game fields need 15 games', () => {
  const r = row('vet');
  assert.equal(r['mid_range_rate_last_10'], 0);
  assert.equal(r['mid_range_pct_last_10'], null);
  assert.deepEqual([r['paint_rate_last_10'], r['three_pt_rate_last_10'], r['paint_pct_last_10'], r['three_pt_pct_last_10']], [60, 40, 0.5, 0.5]);
  // 15 games: paint 60 of 150 zone attempts, 30 made
  assert.equal(r['games_in_sample_20'], 15);
  assert.equal(r['paint_rate_last_20'], 40);
  assert.equal(r['paint_pct_last_20'], 0.5);
});

test('a player traded mid-season: the last 10 span both teams', () => {
  const r = row('trader');
  // 3 NYK games (5 threes, 2 made) + 7 BOS games (5 paint, 3 made)
  assert.deepEqual([r['paint_rate_last_10'], r['three_pt_rate_last_10'], r['paint_pct_last_10'], r['three_pt_pct_last_10']], [70, 30, 0.6, 0.4]);
  assert.equal(r['team_abbr'], 'BOS');
});

test("the calendar's failures are expected: a team with 5 games cannot have a 10-game player", () => {
  const f = result.failures.find((x) => x['entity_id'] === 'heat');
  assert.equal(f?.['is_expected'], true);
  assert.equal(f?.['failure_reason'], 'early season: MIA has played 5 of the 10 games needed');
  assert.equal(result.rows.some((x) => x['player_lookup'] === 'heat'), false);
});

test('bootstrap dates produce no rows and no failures', () => {
  assert.equal(result.rows.some((x) => String(x['analysis_date']) < '2021-11-02'), false);
  assert.equal(result.failures.some((x) => String(x['analysis_date']) < '2021-11-02'), false);
  assert.deepEqual(result.rows.map((x) => x['player_lookup']).sort(), ['ten', 'trader', 'vet']);
});

test('a Phase 3 gap: a BOS game missing from player_game_summary makes the shortfalls it explains real, naming the game', async () => {
  // runs last: it changes the fixture
  await t.wh.exec(`DELETE FROM nba_analytics.player_game_summary WHERE team_abbr = 'BOS' AND game_date = '2021-10-29'`);
  const again = await runBatch(t.wh, psza, { from: D, to: D });
  const by = Object.fromEntries(again.failures.map((x) => [x['entity_id'], x]));
  const gap = "Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-29)";
  // ten now has 9 games: with the missing game he would qualify
  assert.equal(again.rows.some((x) => x['player_lookup'] === 'ten'), false);
  assert.deepEqual([by['ten']?.['failure_category'], by['ten']?.['is_expected'], by['ten']?.['failure_reason']], ['INSUFFICIENT_DATA', false, gap]);
  // BOS's Phase 3 rows are incomplete, so nine's shortfall is no longer explained by his participation
  assert.deepEqual([by['nine']?.['is_expected'], by['nine']?.['failure_reason']], [false, gap]);
  // MIA's calendar still explains heat
  assert.equal(by['heat']?.['is_expected'], true);
});

test('the primary zone compares the exact rate: 1,601 of 4,003 shots is 39.995% (40.00 rounded), not paint', async () => {
  const own = await tempWarehouse();
  try {
    const f = new Phase3Fixture();
    f.series([...daily, D], 'BOS', 'NYK');
    f.playerGames('edge', daily.slice(5, 14), 'BOS', { paint_attempts: 160, mid_range_attempts: 120, three_pt_attempts: 120 });
    f.playerGame('edge', daily[14] as string, 'BOS', { paint_attempts: 161, mid_range_attempts: 120, three_pt_attempts: 122 });
    f.upcoming('edge', D, 'BOS');
    f.fillTeamGames();
    await f.insert(own.wh);
    const r = (await runBatch(own.wh, psza, { from: D, to: D })).rows[0];
    assert.deepEqual([r?.['paint_rate_last_10'], r?.['mid_range_rate_last_10'], r?.['three_pt_rate_last_10']], [40, 29.98, 30.03]);
    assert.deepEqual([r?.['paint_attempts_last_10'], r?.['mid_range_attempts_last_10'], r?.['three_pt_attempts_last_10']], [1601, 1200, 1202]);
    assert.equal(r?.['primary_scoring_zone'], 'balanced');
  } finally {
    await own.cleanup();
  }
});
