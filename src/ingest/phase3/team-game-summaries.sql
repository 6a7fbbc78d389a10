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
         count(*) FILTER (WHERE action_type = '2pt' AND list_contains(qualifiers, 'pointsinthepaint')) AS blocked_paint,
         count(*) FILTER (WHERE action_type = '2pt' AND NOT list_contains(qualifiers, 'pointsinthepaint')) AS blocked_mid,
         count(*) FILTER (WHERE action_type = '3pt') AS blocked_three
  FROM nba_raw.play_by_play
  WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND is_field_goal AND block_person_id > 0
  GROUP BY game_id, team_abbr
)
SELECT t.*, s.game_date, s.season_year, s.ot_periods,
       t.team_abbr = s.home_team_abbr AS home_game,
       CASE WHEN t.team_abbr = s.home_team_abbr THEN s.away_team_abbr ELSE s.home_team_abbr END AS opponent_team_abbr,
       t.fga - t.oreb + t.tov + 0.44 * t.fta AS possessions,
       48 + 5 * s.ot_periods AS game_minutes,
       coalesce(b.blocked_paint, 0) AS blocked_paint, coalesce(b.blocked_mid, 0) AS blocked_mid, coalesce(b.blocked_three, 0) AS blocked_three
FROM team t
JOIN nba_reference.schedule s USING (game_id)
LEFT JOIN blocked b USING (game_id, team_abbr);

INSERT INTO nba_analytics.team_offense_game_summary BY NAME
SELECT t.team_abbr, t.opponent_team_abbr, t.game_id, t.game_date, t.season_year, t.home_game,
       t.points, o.points AS opponent_points,
       t.fga AS fg_attempts, t.fgm AS fg_makes, t.fg3a AS three_pt_attempts, t.fg3m AS three_pt_makes,
       t.fta AS ft_attempts, t.ftm AS ft_makes, t.oreb AS offensive_rebounds, t.dreb AS defensive_rebounds,
       t.ast AS assists, t.tov AS turnovers,
       round(t.possessions, 2) AS possessions, t.game_minutes AS minutes_played, t.ot_periods,
       -- Pace: possessions per 48 minutes, averaging both teams' estimates (Basketball-Reference style).
       round(48 * ((t.possessions + o.possessions) / 2) / t.game_minutes, 2) AS pace,
       round(100 * t.points / t.possessions, 2) AS offensive_rating,
       t.points > o.points AS win_flag,
       now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM tmp_team_box t JOIN tmp_team_box o ON o.game_id = t.game_id AND o.team_abbr = t.opponent_team_abbr;

-- Grain: one row per defending team per game: what its opponent did against it.
INSERT INTO nba_analytics.team_defense_game_summary BY NAME
SELECT d.team_abbr AS defending_team_abbr, d.opponent_team_abbr, d.game_id, d.game_date, d.season_year, d.home_game,
       o.points AS points_allowed,
       o.fga AS opp_fg_attempts, o.fgm AS opp_fg_makes,
       o.paint_a AS opp_paint_attempts, o.paint_m AS opp_paint_makes,
       o.mid_a AS opp_mid_range_attempts, o.mid_m AS opp_mid_range_makes,
       o.fg3a AS opp_three_pt_attempts, o.fg3m AS opp_three_pt_makes,
       2 * o.paint_m AS opp_paint_points,
       o.blocked_paint AS blocks_paint, o.blocked_mid AS blocks_mid_range, o.blocked_three AS blocks_three_pt,
       d.stl AS steals,
       round(100 * o.points / o.possessions, 2) AS defensive_rating,
       round(48 * ((d.possessions + o.possessions) / 2) / d.game_minutes, 2) AS opponent_pace,
       d.points > o.points AS win_flag,
       now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM tmp_team_box d JOIN tmp_team_box o ON o.game_id = d.game_id AND o.team_abbr = d.opponent_team_abbr;
