-- Grain: one row per player per game played. Names come from the registry by NBA person id;
-- a person missing from the registry is recorded in registry_failures before this runs.
-- Final values are rounded on NUMERIC: .5 ties round the same way on every engine.
INSERT INTO nba_analytics.player_game_summary (
  player_lookup, universal_player_id, player_name, game_id, game_date, season_year, team_abbr, opponent_team_abbr, home_game,
  starter_flag, minutes_played, points, fg_attempts, fg_makes, three_pt_attempts, three_pt_makes, ft_attempts, ft_makes,
  paint_attempts, paint_makes, mid_range_attempts, mid_range_makes, assisted_fg_makes, unassisted_fg_makes,
  offensive_rebounds, defensive_rebounds, total_rebounds, assists, turnovers, steals, blocks, personal_fouls,
  usage_rate, ts_pct, win_flag, is_active, processed_at, run_id)
SELECT r.player_lookup, b.person_id, r.player_name,
       b.game_id, s.game_date, s.season_year, b.team_abbr,
       CASE WHEN b.team_abbr = s.home_team_abbr THEN s.away_team_abbr ELSE s.home_team_abbr END,
       b.team_abbr = s.home_team_abbr, b.starter,
       round(CAST(b.minutes AS NUMERIC(18, 9)), 2),
       2 * (b.fgm - b.fg3m) + 3 * b.fg3m + b.ftm,
       b.fga, b.fgm, b.fg3a, b.fg3m, b.fta, b.ftm,
       b.paint_a, b.paint_m, b.mid_a, b.mid_m,
       b.assisted_m, b.fgm - b.assisted_m,
       b.oreb, b.dreb, b.oreb + b.dreb,
       b.ast, b.tov, b.stl, b.blk, b.pf,
       -- Basketball-Reference usage estimate, on derived minutes (not an official NBA value).
       CASE WHEN b.minutes > 0 AND (b.team_fga + 0.44 * b.team_fta + b.team_tov) > 0 THEN
         round(CAST(100 * (b.fga + 0.44 * b.fta + b.tov) * (b.team_minutes / 5) / (b.minutes * (b.team_fga + 0.44 * b.team_fta + b.team_tov)) AS NUMERIC(18, 9)), 2) END,
       CASE WHEN b.fga + b.fta > 0 THEN
         round(CAST((2 * (b.fgm - b.fg3m) + 3 * b.fg3m + b.ftm) / (2 * (b.fga + 0.44 * b.fta)) AS NUMERIC(18, 9)), 4) END,
       (CASE WHEN b.team_abbr = s.home_team_abbr THEN s.home_points > s.away_points ELSE s.away_points > s.home_points END),
       b.minutes > 0,
       CAST(current_timestamp AS TIMESTAMP), $run_id
FROM tmp_player_box b
JOIN nba_reference.schedule s ON s.game_id = b.game_id
JOIN nba_reference.nba_players_registry r ON r.universal_player_id = b.person_id;
