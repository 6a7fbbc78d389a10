-- Grain: one row per team (every team on the season's schedule) per analysis_date D (a
-- non-bootstrap game date in [$from, $to]), from its last 15 games as defender before D this
-- season, compared with the league's zone FG% over the $league_window_days days before D.
-- Fewer than $min_games games: no row, an INSUFFICIENT_DATA failure.

-- name: candidates
WITH dates AS (
  SELECT game_date AS analysis_date, season_year
  FROM nba_reference.game_dates
  WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND NOT is_bootstrap
),
targets AS (
  -- every team on the season's schedule
  SELECT d.analysis_date, d.season_year, t.team_abbr
  FROM dates d
  JOIN (SELECT season_year, home_team_abbr AS team_abbr FROM nba_reference.schedule
        UNION DISTINCT
        SELECT season_year, away_team_abbr FROM nba_reference.schedule) t ON t.season_year = d.season_year
),
team_keys AS (
  SELECT team_abbr, analysis_date AS d, season_year FROM targets
),
team_game_rows AS (
  SELECT defending_team_abbr AS team_abbr, season_year, game_id, game_date,
         opp_paint_attempts, opp_paint_makes, opp_mid_range_attempts, opp_mid_range_makes,
         opp_three_pt_attempts, opp_three_pt_makes, opp_paint_points, points_allowed,
         blocks_paint, blocks_mid_range, blocks_three_pt,
         -- NUMERIC: exact sums, so a batch's thread layout cannot change the rounded averages
         CAST(defensive_rating AS NUMERIC(18, 4)) AS defensive_rating, CAST(opponent_pace AS NUMERIC(18, 4)) AS opponent_pace
  FROM nba_analytics.team_defense_game_summary
)
-- include: team-games
-- include: games-before(entity=team_abbr, keys=team_keys, at=d, rows=team_games, out=team_asof)
, rolling AS (
  -- each game with the team's last 15 (itself the latest): read at its latest game before D
  SELECT team_abbr, season_year, seq, count(*) OVER w15 AS games,
         sum(opp_paint_attempts) OVER w15 AS paint_att, sum(opp_paint_makes) OVER w15 AS paint_made,
         sum(opp_mid_range_attempts) OVER w15 AS mid_att, sum(opp_mid_range_makes) OVER w15 AS mid_made,
         sum(opp_three_pt_attempts) OVER w15 AS three_att, sum(opp_three_pt_makes) OVER w15 AS three_made,
         avg(opp_paint_points) OVER w15 AS paint_points_pg, avg(points_allowed) OVER w15 AS points_pg,
         avg(blocks_paint) OVER w15 AS blocks_paint_pg, avg(blocks_mid_range) OVER w15 AS blocks_mid_pg,
         avg(blocks_three_pt) OVER w15 AS blocks_three_pg,
         avg(defensive_rating) OVER w15 AS def_rating, avg(opponent_pace) OVER w15 AS opp_pace,
         game_date AS source_last_game_date, min(game_date) OVER w15 AS source_first_game_date
  FROM team_games
  WINDOW w15 AS (PARTITION BY team_abbr, season_year ORDER BY seq ROWS BETWEEN 14 PRECEDING AND CURRENT ROW)
),
league_teams AS (
  -- each team's zone FG% allowed over the window; only teams with enough games count
  SELECT d.analysis_date, g.defending_team_abbr,
         CAST(sum(g.opp_paint_makes) / nullif(sum(g.opp_paint_attempts), 0) AS NUMERIC(18, 9)) AS paint_pct,
         CAST(sum(g.opp_mid_range_makes) / nullif(sum(g.opp_mid_range_attempts), 0) AS NUMERIC(18, 9)) AS mid_pct,
         CAST(sum(g.opp_three_pt_makes) / nullif(sum(g.opp_three_pt_attempts), 0) AS NUMERIC(18, 9)) AS three_pct,
         min(g.game_date) AS first_game_date, max(g.game_date) AS last_game_date
  FROM dates d
  JOIN nba_analytics.team_defense_game_summary g
    ON g.season_year = d.season_year AND g.game_date < d.analysis_date
   AND g.game_date >= d.analysis_date - $league_window_days
  GROUP BY d.analysis_date, g.defending_team_abbr
  HAVING count(*) >= $league_min_games
),
league AS (
  SELECT d.analysis_date, coalesce(l.teams, 0) AS league_teams,
         -- too few teams for a stable average early in the season: the prior art's constants
         CASE WHEN coalesce(l.teams, 0) >= $league_min_teams THEN l.paint_pct ELSE 0.580 END AS league_paint_pct,
         CASE WHEN coalesce(l.teams, 0) >= $league_min_teams THEN l.mid_pct ELSE 0.410 END AS league_mid_pct,
         CASE WHEN coalesce(l.teams, 0) >= $league_min_teams THEN l.three_pct ELSE 0.355 END AS league_three_pct,
         CASE WHEN coalesce(l.teams, 0) >= $league_min_teams THEN 'computed' ELSE 'default' END AS league_avg_source,
         -- the games a computed league average read (none for the constants)
         CASE WHEN coalesce(l.teams, 0) >= $league_min_teams THEN l.first_game_date END AS league_first_game_date,
         CASE WHEN coalesce(l.teams, 0) >= $league_min_teams THEN l.last_game_date END AS league_last_game_date
  FROM dates d
  LEFT JOIN (
    -- the mean of the teams' exact (9 dp) percentages, divided in FLOAT64 on every engine
    SELECT analysis_date, count(*) AS teams,
           {{float64(sum(paint_pct))}} / count(paint_pct) AS paint_pct,
           {{float64(sum(mid_pct))}} / count(mid_pct) AS mid_pct,
           {{float64(sum(three_pct))}} / count(three_pct) AS three_pct,
           min(first_game_date) AS first_game_date, max(last_game_date) AS last_game_date
    FROM league_teams GROUP BY analysis_date
  ) l ON l.analysis_date = d.analysis_date
),
candidates AS (
  SELECT t.analysis_date, t.season_year, t.team_abbr, coalesce(r.games, 0) AS games,
         r.paint_att, r.paint_made, r.mid_att, r.mid_made, r.three_att, r.three_made,
         r.paint_points_pg, r.points_pg, r.blocks_paint_pg, r.blocks_mid_pg, r.blocks_three_pg, r.def_rating, r.opp_pace,
         r.source_last_game_date, r.source_first_game_date,
         l.league_teams, l.league_paint_pct, l.league_mid_pct, l.league_three_pct, l.league_avg_source,
         l.league_first_game_date, l.league_last_game_date
  FROM targets t
  JOIN team_asof a ON a.team_abbr = t.team_abbr AND a.d = t.analysis_date
  LEFT JOIN rolling r ON r.team_abbr = t.team_abbr AND r.season_year = t.season_year AND r.seq = a.k
  JOIN league l ON l.analysis_date = t.analysis_date
)

-- name: compute
, versus AS (
  SELECT c.*,
         -- exact (unrounded) differences: the zone ranking compares these and later steps (PCF) compute
         -- with them; positive = the team allows more than the league (worse defence)
         CAST((paint_made / nullif(paint_att, 0) - league_paint_pct) * 100 AS NUMERIC(18, 9)) AS paint_vs,
         CAST((mid_made / nullif(mid_att, 0) - league_mid_pct) * 100 AS NUMERIC(18, 9)) AS mid_vs,
         CAST((three_made / nullif(three_att, 0) - league_three_pct) * 100 AS NUMERIC(18, 9)) AS three_vs
  FROM candidates c
  WHERE games >= $min_games
)
-- outputs are rounded here only, on NUMERIC (.5 ties round the same way on every engine)
SELECT team_abbr, analysis_date, season_year,
       round(CAST(paint_made / nullif(paint_att, 0) AS NUMERIC(18, 9)), 3) AS paint_pct_allowed_last_15,
       round(CAST(mid_made / nullif(mid_att, 0) AS NUMERIC(18, 9)), 3) AS mid_range_pct_allowed_last_15,
       round(CAST(three_made / nullif(three_att, 0) AS NUMERIC(18, 9)), 3) AS three_pt_pct_allowed_last_15,
       round(CAST(paint_att / games AS NUMERIC(18, 9)), 1) AS paint_attempts_allowed_per_game,
       round(CAST(mid_att / games AS NUMERIC(18, 9)), 1) AS mid_range_attempts_allowed_per_game,
       round(CAST(three_att / games AS NUMERIC(18, 9)), 1) AS three_pt_attempts_allowed_per_game,
       round(CAST(paint_points_pg AS NUMERIC(18, 9)), 1) AS paint_points_allowed_per_game,
       round(CAST(blocks_paint_pg AS NUMERIC(18, 9)), 2) AS blocks_paint_per_game,
       round(CAST(blocks_mid_pg AS NUMERIC(18, 9)), 2) AS blocks_mid_range_per_game,
       round(CAST(blocks_three_pg AS NUMERIC(18, 9)), 2) AS blocks_three_pt_per_game,
       round(CAST(points_pg AS NUMERIC(18, 9)), 1) AS opponent_points_per_game,
       round(CAST(def_rating AS NUMERIC(18, 9)), 2) AS defensive_rating_last_15,
       round(CAST(opp_pace AS NUMERIC(18, 9)), 2) AS opponent_pace,
       round(CAST(league_paint_pct AS NUMERIC(18, 9)), 3) AS league_avg_paint_pct,
       round(CAST(league_mid_pct AS NUMERIC(18, 9)), 3) AS league_avg_mid_range_pct,
       round(CAST(league_three_pct AS NUMERIC(18, 9)), 3) AS league_avg_three_pt_pct,
       league_avg_source,
       league_teams AS league_teams_in_average,
       round(paint_vs, 2) AS paint_defense_vs_league_avg,
       round(mid_vs, 2) AS mid_range_defense_vs_league_avg,
       round(three_vs, 2) AS three_pt_defense_vs_league_avg,
       paint_vs AS paint_defense_vs_league_avg_unrounded,
       mid_vs AS mid_range_defense_vs_league_avg_unrounded,
       three_vs AS three_pt_defense_vs_league_avg_unrounded,
       -- ties go to the first of paint, mid_range, perimeter
       CASE WHEN paint_vs <= mid_vs AND paint_vs <= three_vs THEN 'paint' WHEN mid_vs <= three_vs THEN 'mid_range' ELSE 'perimeter' END AS strongest_zone,
       CASE WHEN paint_vs >= mid_vs AND paint_vs >= three_vs THEN 'paint' WHEN mid_vs >= three_vs THEN 'mid_range' ELSE 'perimeter' END AS weakest_zone,
       games AS games_in_sample,
       CASE WHEN games >= 15 THEN 'high' WHEN games >= 10 THEN 'medium' ELSE 'low' END AS data_quality_tier,
       -- what the row read: the team's own last 15 games and the league average's window
       greatest(source_last_game_date, coalesce(league_last_game_date, source_last_game_date)) AS source_last_game_date,
       least(source_first_game_date, coalesce(league_first_game_date, source_first_game_date)) AS source_first_game_date,
       current_timestamp AS processed_at,
       $run_id AS run_id
FROM versus

-- name: failures
, shortfalls AS (
  SELECT 'tdza' AS chk, 'team' AS entity_kind, team_abbr AS entity_id, team_abbr, analysis_date AS d, season_year,
         games, CAST($min_games AS INT64) AS needed, 'team_defense_game_summary' AS source
  FROM candidates
  WHERE games < $min_games
)
-- include: shortfall-causes
-- below the threshold by the schedule it is the calendar; at or above it the defense summary is
-- missing games (a real gap)
SELECT d AS analysis_date, entity_id, 'INSUFFICIENT_DATA' AS failure_category, cause AS failure_reason,
       true AS can_retry, is_expected
FROM shortfall_causes
