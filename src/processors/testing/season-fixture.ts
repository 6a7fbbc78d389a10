// A synthetic full season generated in SQL (30 teams, ~170 game dates, 15 players per team), for
// timing the processors at real scale and for batch-size checks on a non-trivial calendar.
import type { Warehouse } from '../../warehouse/warehouse.js';

/** `start` and `seasonYear` (default 2021-10-19, 2021): a later season of the same league (same teams and players) beside an earlier one. */
export async function generateSeason(wh: Warehouse, opts: { readonly days?: number; readonly playersPerTeam?: number; readonly start?: string; readonly seasonYear?: number } = {}): Promise<void> {
  const params = { days: opts.days ?? 170, ppt: opts.playersPerTeam ?? 15 };
  const start = opts.start ?? '2021-10-19';
  const season = opts.seasonYear ?? 2021;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !Number.isInteger(season)) throw new Error(`generateSeason: bad start ${start} or season ${season}`);
  await wh.exec('DROP TABLE IF EXISTS synth_games');
  await wh.exec('DROP TABLE IF EXISTS synth_team_games');
  // day i: the 15 teams of group i % 2 play 7 games (circle pairing, one bye)
  await wh.exec(`
    CREATE TEMP TABLE synth_games AS
    SELECT ('${start}'::DATE + i::INTEGER) AS game_date, i,
           'T' || lpad((g * 15 + (j + i) % 15)::VARCHAR, 2, '0') AS home,
           'T' || lpad((g * 15 + (14 - j + i) % 15)::VARCHAR, 2, '0') AS away
    FROM range(0, $days::INTEGER) r(i), range(0, 7) s(j), (SELECT i % 2 AS g) q(g)`, params);
  await wh.exec(`
    INSERT INTO nba_reference.schedule
    SELECT strftime(game_date, '%Y%m%d') || '_' || away || '_' || home, game_date, ${season}, home, away, 100, 98,
           (i % 23 = 0)::INTEGER, now(), 'synth'
    FROM synth_games`);
  await wh.exec(`
    CREATE TEMP TABLE synth_team_games AS
    SELECT strftime(game_date, '%Y%m%d') || '_' || away || '_' || home AS game_id, game_date, i, home AS team, away AS opp, true AS home_game FROM synth_games
    UNION ALL
    SELECT strftime(game_date, '%Y%m%d') || '_' || away || '_' || home, game_date, i, away, home, false FROM synth_games`);
  await wh.exec(`
    INSERT INTO nba_analytics.team_offense_game_summary BY NAME
    SELECT team AS team_abbr, opp AS opponent_team_abbr, game_id, game_date, ${season} AS season_year, home_game,
           100 + hash(game_id, team) % 30 AS points, 100 AS opponent_points, 85 AS fg_attempts, 40 AS fg_makes,
           35 AS three_pt_attempts, 12 AS three_pt_makes, 20 AS ft_attempts, 15 AS ft_makes, 10 AS offensive_rebounds,
           35 AS defensive_rebounds, 25 AS assists, 13 AS turnovers, 100.0 AS possessions, 48.0 AS minutes_played, 0 AS ot_periods,
           95 + (hash(game_id) % 100) / 10.0 AS pace, 105 + (hash(game_id, team, 1) % 150) / 10.0 AS offensive_rating,
           hash(game_id) % 2 = home_game::INTEGER AS win_flag, now() AS processed_at, 'synth' AS run_id
    FROM synth_team_games`);
  await wh.exec(`
    INSERT INTO nba_analytics.team_defense_game_summary BY NAME
    SELECT team AS defending_team_abbr, opp AS opponent_team_abbr, game_id, game_date, ${season} AS season_year, home_game,
           105 AS points_allowed, 85 AS opp_fg_attempts, 40 AS opp_fg_makes,
           40 AS opp_paint_attempts, 20 + hash(game_id, team) % 8 AS opp_paint_makes,
           15 AS opp_mid_range_attempts, 5 + hash(game_id, team, 2) % 4 AS opp_mid_range_makes,
           30 AS opp_three_pt_attempts, 9 + hash(game_id, team, 3) % 4 AS opp_three_pt_makes, 44 AS opp_paint_points,
           4 AS blocks_paint, 1 AS blocks_mid_range, 0 AS blocks_three_pt, 7 AS steals,
           100 + (hash(game_id, team, 4) % 150) / 10.0 AS defensive_rating, 98.0 AS opponent_pace, false AS win_flag,
           now() AS processed_at, 'synth' AS run_id
    FROM synth_team_games`);
  await wh.exec(`
    INSERT INTO nba_analytics.player_game_summary BY NAME
    SELECT lower(team) || 'p' || p AS player_lookup, (100 * substr(team, 2)::INTEGER + p)::BIGINT AS universal_player_id,
           team || ' player ' || p AS player_name, game_id, game_date, ${season} AS season_year, team AS team_abbr, opp AS opponent_team_abbr,
           home_game, p < 5 AS starter_flag,
           -- every 7th game a player sits out (minutes 0), so windows skip games
           CASE WHEN hash(game_id, p) % 7 = 0 THEN 0 ELSE 10 + hash(game_id, team, p) % 28 END AS minutes_played,
           hash(game_id, team, p, 1) % 30 AS points,
           10 AS fg_attempts, 5 AS fg_makes, 3 AS three_pt_attempts, 1 AS three_pt_makes, 2 AS ft_attempts, 1 AS ft_makes,
           4 AS paint_attempts, (hash(game_id, p, 2) % 5)::INTEGER AS paint_makes, 3 AS mid_range_attempts, 1 AS mid_range_makes,
           3 AS assisted_fg_makes, 2 AS unassisted_fg_makes, 1 AS offensive_rebounds, 3 AS defensive_rebounds, 4 AS total_rebounds,
           2 AS assists, 1 AS turnovers, 1 AS steals, 0 AS blocks, 2 AS personal_fouls,
           15 + (hash(game_id, p, 3) % 150) / 10.0 AS usage_rate, 0.55 AS ts_pct, true AS win_flag, true AS is_active,
           now() AS processed_at, 'synth' AS run_id
    FROM synth_team_games, range(0, $ppt::INTEGER) r(p)`, params);
  await wh.exec(`
    INSERT INTO nba_analytics.upcoming_player_game_context BY NAME
    SELECT lower(team) || 'p' || p AS player_lookup, (100 * substr(team, 2)::INTEGER + p)::BIGINT AS universal_player_id,
           game_id, game_date, ${season} AS season_year, team AS team_abbr, opp AS opponent_team_abbr, home_game,
           2 AS days_rest, false AS back_to_back, 3 AS games_in_last_7_days, 6 AS games_in_last_14_days,
           90.0 AS minutes_in_last_7_days, 180.0 AS minutes_in_last_14_days, 30.0 AS avg_minutes_per_game_last_7,
           0 AS back_to_backs_last_14_days, 2 AS opponent_days_rest, 2 AS team_days_rest, 20 + p AS player_age, 20 + p AS player_age_years,
           CASE WHEN p < 8 THEN 10.5 + p END AS current_points_line, 'regular_season' AS season_phase,
           now() AS processed_at, 'synth' AS run_id
    FROM synth_team_games, range(0, $ppt::INTEGER) r(p)`, params);
}
