// A shared fixture for PCF and MLFS: BOS-NYK (pace 98) and MIA-LAL (pace 104) play daily from the
// opener 10-19 to 11-02; on 11-03 BOS visits MIA. MIA allows 27 of 40 in the paint (0.675). Phase 3 is
// complete (a bench player fills the team-games the named players skip).
import { days, Phase3Fixture } from './phase3-fixture.js';

export const MATCHUP_DATE = '2021-11-03';
export const BEFORE = days('2021-10-19', 15); // 10-19 .. 11-02

const SHOTS = { paint_attempts: 4, paint_makes: 2, mid_range_attempts: 2, mid_range_makes: 1, three_pt_attempts: 4, three_pt_makes: 1 };

export function matchupFixture(): Phase3Fixture {
  const f = new Phase3Fixture();
  f.series(BEFORE, 'BOS', 'NYK');
  f.series(BEFORE, 'MIA', 'LAL');
  f.game(MATCHUP_DATE, 'MIA', 'BOS');
  f.game(MATCHUP_DATE, 'LAL', 'NYK');
  for (const d of BEFORE) {
    for (const team of ['BOS', 'NYK']) f.teamGame(team, d, { pace: 98 });
    f.teamGame('MIA', d, { pace: 104 }, { opp_paint_makes: 27 });
    f.teamGame('LAL', d, { pace: 104 });
  }
  // ten: 10 games, points 10, 12, ... 28, usage 20 then 30; a free throw share of 4 / points
  BEFORE.slice(5).forEach((d, i) =>
    f.playerGame('ten', d, 'BOS', { ...SHOTS, points: 10 + 2 * i, ft_makes: 4, usage_rate: i < 5 ? 20 : 30 }),
  );
  f.playerGames('tired', BEFORE.slice(5), 'BOS', { ...SHOTS, points: 15, usage_rate: 20 });
  // odd: 19 points a game in 32 minutes, 32.35 in his last: minutes average 32.035, a .005 tie
  BEFORE.slice(5).forEach((d, i) => f.playerGame('odd', d, 'BOS', { ...SHOTS, points: 19, minutes_played: i === 9 ? 32.35 : 32 }));
  // cameo: 36 minutes at usage 25 a game, then 2 minutes at usage 337 in his last game
  BEFORE.slice(5).forEach((d, i) =>
    f.playerGame('cameo', d, 'BOS', { ...SHOTS, points: 20, minutes_played: i === 9 ? 2 : 36, usage_rate: i === 9 ? 337 : 25 }),
  );
  f.fillPlayerGames(); // every team-game has box-score rows: Phase 3 is complete
  f.upcoming('ten', MATCHUP_DATE, 'BOS', { days_rest: 3, back_to_back: false, games_in_last_7_days: 4, current_points_line: 22.5, opponent_days_rest: 1 });
  f.upcoming('tired', MATCHUP_DATE, 'BOS', {
    back_to_back: true, days_rest: 1, games_in_last_7_days: 4, minutes_in_last_7_days: 250,
    avg_minutes_per_game_last_7: 62.5, back_to_backs_last_14_days: 2, player_age: 36.4, player_age_years: 36,
  });
  f.upcoming('rookie', MATCHUP_DATE, 'BOS', { days_rest: null });
  f.upcoming('odd', MATCHUP_DATE, 'BOS');
  f.upcoming('cameo', MATCHUP_DATE, 'BOS');
  return f;
}
