-- Grain: one row per team per game (the team on offence), from the player box and the schedule.
-- Possessions follow data/README.md: FGA - OREB + TOV + 0.44 * FTA (TOV includes team turnovers).
CREATE OR REPLACE TEMP TABLE tmp_team_box AS
WITH team AS (
  SELECT game_id, team_abbr,
         sum(2 * (fgm - fg3m) + 3 * fg3m + ftm) AS points,
         sum(fga) AS fga, sum(fgm) AS fgm, sum(fg3a) AS fg3a, sum(fg3m) AS fg3m, sum(fta) AS fta, sum(ftm) AS ftm,
         sum(paint_a) AS paint_a, sum(paint_m) AS paint_m, sum(mid_a) AS mid_a, sum(mid_m) AS mid_m,
         sum(oreb) AS oreb, sum(dreb) AS dreb, sum(ast) AS ast, sum(stl) AS stl,
         any_value(team_tov) AS tov
  FROM tmp_player_box GROUP BY game_id, team_abbr
),
blocked AS (
  -- A blocked shot belongs to the offence; the block counts for the defending team, by the shot's zone.
  SELECT game_id, team_abbr,
         count(CASE WHEN action_type = '2pt' AND in_paint THEN 1 END) AS blocked_paint,
         count(CASE WHEN action_type = '2pt' AND NOT in_paint THEN 1 END) AS blocked_mid,
         count(CASE WHEN action_type = '3pt' THEN 1 END) AS blocked_three
  FROM (SELECT e.game_id, e.team_abbr, e.action_type, {{array_contains(e.qualifiers, 'pointsinthepaint')}} AS in_paint
        FROM nba_raw.play_by_play e
        WHERE e.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND e.is_field_goal AND e.block_person_id > 0) shots
  GROUP BY game_id, team_abbr
)
SELECT t.game_id, t.team_abbr, t.points, t.fga, t.fgm, t.fg3a, t.fg3m, t.fta, t.ftm, t.paint_a, t.paint_m, t.mid_a, t.mid_m,
       t.oreb, t.dreb, t.ast, t.stl, t.tov, s.game_date, s.season_year, s.ot_periods,
       t.team_abbr = s.home_team_abbr AS home_game,
       CASE WHEN t.team_abbr = s.home_team_abbr THEN s.away_team_abbr ELSE s.home_team_abbr END AS opponent_team_abbr,
       t.fga - t.oreb + t.tov + 0.44 * t.fta AS possessions,
       48 + 5 * s.ot_periods AS game_minutes,
       coalesce(b.blocked_paint, 0) AS blocked_paint, coalesce(b.blocked_mid, 0) AS blocked_mid, coalesce(b.blocked_three, 0) AS blocked_three
FROM team t
JOIN nba_reference.schedule s ON s.game_id = t.game_id
LEFT JOIN blocked b ON b.game_id = t.game_id AND b.team_abbr = t.team_abbr;

-- Final values are rounded on NUMERIC: .5 ties round the same way on every engine.
INSERT INTO nba_analytics.team_offense_game_summary (
  team_abbr, opponent_team_abbr, game_id, game_date, season_year, home_game, points, opponent_points,
  fg_attempts, fg_makes, three_pt_attempts, three_pt_makes, ft_attempts, ft_makes, offensive_rebounds, defensive_rebounds,
  assists, turnovers, possessions, minutes_played, ot_periods, pace, offensive_rating, win_flag, processed_at, run_id)
SELECT t.team_abbr, t.opponent_team_abbr, t.game_id, t.game_date, t.season_year, t.home_game,
       t.points, o.points,
       t.fga, t.fgm, t.fg3a, t.fg3m,
       t.fta, t.ftm, t.oreb, t.dreb,
       t.ast, t.tov,
       round(CAST(t.possessions AS NUMERIC(18, 9)), 2), t.game_minutes, t.ot_periods,
       -- Pace: possessions per 48 minutes, averaging both teams' estimates (Basketball-Reference style).
       round(CAST(48 * ((t.possessions + o.possessions) / 2) / t.game_minutes AS NUMERIC(18, 9)), 2),
       round(CAST(100 * t.points / t.possessions AS NUMERIC(18, 9)), 2),
       t.points > o.points,
       CAST(current_timestamp AS TIMESTAMP), $run_id
FROM tmp_team_box t JOIN tmp_team_box o ON o.game_id = t.game_id AND o.team_abbr = t.opponent_team_abbr;

-- Grain: one row per defending team per game: what its opponent did against it.
INSERT INTO nba_analytics.team_defense_game_summary (
  defending_team_abbr, opponent_team_abbr, game_id, game_date, season_year, home_game, points_allowed,
  opp_fg_attempts, opp_fg_makes, opp_paint_attempts, opp_paint_makes, opp_mid_range_attempts, opp_mid_range_makes,
  opp_three_pt_attempts, opp_three_pt_makes, opp_paint_points, blocks_paint, blocks_mid_range, blocks_three_pt,
  steals, defensive_rating, opponent_pace, win_flag, processed_at, run_id)
SELECT d.team_abbr, d.opponent_team_abbr, d.game_id, d.game_date, d.season_year, d.home_game,
       o.points,
       o.fga, o.fgm,
       o.paint_a, o.paint_m,
       o.mid_a, o.mid_m,
       o.fg3a, o.fg3m,
       2 * o.paint_m,
       o.blocked_paint, o.blocked_mid, o.blocked_three,
       d.stl,
       round(CAST(100 * o.points / o.possessions AS NUMERIC(18, 9)), 2),
       round(CAST(48 * ((d.possessions + o.possessions) / 2) / d.game_minutes AS NUMERIC(18, 9)), 2),
       d.points > o.points,
       CAST(current_timestamp AS TIMESTAMP), $run_id
FROM tmp_team_box d JOIN tmp_team_box o ON o.game_id = d.game_id AND o.team_abbr = d.opponent_team_abbr;
