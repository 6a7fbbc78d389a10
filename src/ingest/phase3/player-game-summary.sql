-- Grain: one row per player per game played. Names come from the registry by NBA person id;
-- a person missing from the registry is recorded in registry_failures before this runs.
INSERT INTO nba_analytics.player_game_summary BY NAME
SELECT r.player_lookup, b.person_id AS universal_player_id, r.player_name,
       b.game_id, s.game_date, s.season_year, b.team_abbr,
       CASE WHEN b.team_abbr = s.home_team_abbr THEN s.away_team_abbr ELSE s.home_team_abbr END AS opponent_team_abbr,
       b.team_abbr = s.home_team_abbr AS home_game, b.starter AS starter_flag,
       round(b.minutes, 2) AS minutes_played,
       2 * (b.fgm - b.fg3m) + 3 * b.fg3m + b.ftm AS points,
       b.fga AS fg_attempts, b.fgm AS fg_makes, b.fg3a AS three_pt_attempts, b.fg3m AS three_pt_makes,
       b.fta AS ft_attempts, b.ftm AS ft_makes,
       b.paint_a AS paint_attempts, b.paint_m AS paint_makes, b.mid_a AS mid_range_attempts, b.mid_m AS mid_range_makes,
       b.assisted_m AS assisted_fg_makes, b.fgm - b.assisted_m AS unassisted_fg_makes,
       b.oreb AS offensive_rebounds, b.dreb AS defensive_rebounds, b.oreb + b.dreb AS total_rebounds,
       b.ast AS assists, b.tov AS turnovers, b.stl AS steals, b.blk AS blocks, b.pf AS personal_fouls,
       -- Basketball-Reference usage estimate, on derived minutes (not an official NBA value).
       CASE WHEN b.minutes > 0 AND (b.team_fga + 0.44 * b.team_fta + b.team_tov) > 0 THEN
         round(100 * (b.fga + 0.44 * b.fta + b.tov) * (b.team_minutes / 5) / (b.minutes * (b.team_fga + 0.44 * b.team_fta + b.team_tov)), 2) END AS usage_rate,
       CASE WHEN b.fga + b.fta > 0 THEN
         round((2 * (b.fgm - b.fg3m) + 3 * b.fg3m + b.ftm) / (2 * (b.fga + 0.44 * b.fta)), 4) END AS ts_pct,
       (CASE WHEN b.team_abbr = s.home_team_abbr THEN s.home_points > s.away_points ELSE s.away_points > s.home_points END) AS win_flag,
       b.minutes > 0 AS is_active,
       now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM tmp_player_box b
JOIN nba_reference.schedule s USING (game_id)
JOIN nba_reference.nba_players_registry r ON r.universal_player_id = b.person_id;
