-- Grain: one row per player per analysis_date D, for the players of upcoming_player_game_context
-- on D (a non-bootstrap game date in [$from, $to]), from their last 10 (and 20) games with minutes
-- played before D in the same season. Fewer than $min_games games: no row, an INSUFFICIENT_DATA failure.

-- name: candidates
WITH
-- include: player-targets
, game_rows AS (
  SELECT player_lookup, season_year, game_id, game_date, minutes_played,
         paint_attempts, paint_makes, mid_range_attempts, mid_range_makes,
         three_pt_attempts, three_pt_makes, fg_makes, assisted_fg_makes, unassisted_fg_makes
  FROM nba_analytics.player_game_summary
)
-- include: player-games
-- include: games-before(entity=player_lookup, keys=targets, at=game_date, rows=player_games, out=player_asof)
, rolling AS (
  -- each game with its last 10 and last 20 games (itself the latest): read at his latest game before D
  SELECT player_lookup, season_year, seq,
         count(*) OVER w10 AS games_10,
         count(*) OVER w20 AS games_20,
         sum(paint_attempts) OVER w10 AS paint_att,
         sum(paint_makes) OVER w10 AS paint_made,
         sum(mid_range_attempts) OVER w10 AS mid_att,
         sum(mid_range_makes) OVER w10 AS mid_made,
         sum(three_pt_attempts) OVER w10 AS three_att,
         sum(three_pt_makes) OVER w10 AS three_made,
         sum(fg_makes) OVER w10 AS fg_made,
         sum(assisted_fg_makes) OVER w10 AS assisted,
         sum(unassisted_fg_makes) OVER w10 AS unassisted,
         sum(paint_attempts) OVER w20 AS paint_att_20,
         sum(paint_makes) OVER w20 AS paint_made_20,
         sum(paint_attempts + mid_range_attempts + three_pt_attempts) OVER w20 AS zone_att_20,
         -- the row reads his last 20 games: the latest is this one, the earliest the oldest of them
         game_date AS source_last_game_date,
         min(game_date) OVER w20 AS source_first_game_date
  FROM player_games
  WINDOW w10 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 9 PRECEDING AND CURRENT ROW),
         w20 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)
),
candidates AS (
  SELECT t.player_lookup, t.universal_player_id, t.team_abbr, t.game_id, t.game_date AS analysis_date, t.season_year,
         coalesce(r.games_10, 0) AS games_10, r.games_20, r.paint_att, r.paint_made, r.mid_att, r.mid_made,
         r.three_att, r.three_made, r.fg_made, r.assisted, r.unassisted, r.paint_att_20, r.paint_made_20, r.zone_att_20,
         r.source_last_game_date, r.source_first_game_date
  FROM targets t
  JOIN player_asof a ON a.player_lookup = t.player_lookup AND a.d = t.game_date
  LEFT JOIN rolling r ON r.player_lookup = t.player_lookup AND r.season_year = t.season_year AND r.seq = a.k
)

-- name: compute
, rates AS (
  -- exact rates: the zone thresholds compare these, and only the output is rounded (on NUMERIC, so
  -- that .5 ties round the same way on every engine)
  SELECT c.*, paint_att + mid_att + three_att AS total_shots,
         CAST(100.0 * paint_att / nullif(paint_att + mid_att + three_att, 0) AS NUMERIC(18, 9)) AS paint_rate,
         CAST(100.0 * mid_att / nullif(paint_att + mid_att + three_att, 0) AS NUMERIC(18, 9)) AS mid_rate,
         CAST(100.0 * three_att / nullif(paint_att + mid_att + three_att, 0) AS NUMERIC(18, 9)) AS three_rate
  FROM candidates c
  WHERE games_10 >= $min_games
)
SELECT player_lookup, universal_player_id, analysis_date, game_id, team_abbr, season_year,
       round(paint_rate, 2) AS paint_rate_last_10,
       round(mid_rate, 2) AS mid_range_rate_last_10,
       round(three_rate, 2) AS three_pt_rate_last_10,
       paint_att AS paint_attempts_last_10,
       mid_att AS mid_range_attempts_last_10,
       three_att AS three_pt_attempts_last_10,
       round(CAST(paint_made / nullif(paint_att, 0) AS NUMERIC(18, 9)), 3) AS paint_pct_last_10,
       round(CAST(mid_made / nullif(mid_att, 0) AS NUMERIC(18, 9)), 3) AS mid_range_pct_last_10,
       round(CAST(three_made / nullif(three_att, 0) AS NUMERIC(18, 9)), 3) AS three_pt_pct_last_10,
       round(CAST(paint_att / games_10 AS NUMERIC(18, 9)), 1) AS paint_attempts_per_game,
       round(CAST(mid_att / games_10 AS NUMERIC(18, 9)), 1) AS mid_range_attempts_per_game,
       round(CAST(three_att / games_10 AS NUMERIC(18, 9)), 1) AS three_pt_attempts_per_game,
       round(CAST(100.0 * assisted / nullif(fg_made, 0) AS NUMERIC(18, 9)), 2) AS assisted_rate_last_10,
       round(CAST(100.0 * unassisted / nullif(fg_made, 0) AS NUMERIC(18, 9)), 2) AS unassisted_rate_last_10,
       total_shots AS total_shots_last_10,
       games_10 AS games_in_sample_10,
       -- the 20-game trend fields need 15 games to mean anything
       CASE WHEN games_20 >= $min_games_20 THEN round(CAST(100.0 * paint_att_20 / nullif(zone_att_20, 0) AS NUMERIC(18, 9)), 2) END AS paint_rate_last_20,
       CASE WHEN games_20 >= $min_games_20 THEN round(CAST(paint_made_20 / nullif(paint_att_20, 0) AS NUMERIC(18, 9)), 3) END AS paint_pct_last_20,
       games_20 AS games_in_sample_20,
       CASE
         WHEN total_shots = 0 THEN NULL
         WHEN paint_rate >= 40 THEN 'paint'
         WHEN three_rate >= 40 THEN 'perimeter'
         WHEN mid_rate >= 35 THEN 'mid_range'
         ELSE 'balanced'
       END AS primary_scoring_zone,
       games_10 AS games_in_sample,
       CASE WHEN games_10 >= 10 THEN 'high' WHEN games_10 >= 7 THEN 'medium' ELSE 'low' END AS data_quality_tier,
       CASE WHEN games_10 >= 10 THEN 'excellent' WHEN games_10 >= 7 THEN 'good' WHEN games_10 >= 5 THEN 'limited' ELSE 'insufficient' END AS sample_quality_10,
       CASE WHEN games_20 >= 20 THEN 'excellent' WHEN games_20 >= 14 THEN 'good' WHEN games_20 >= 10 THEN 'limited' ELSE 'insufficient' END AS sample_quality_20,
       source_last_game_date,
       source_first_game_date,
       current_timestamp AS processed_at,
       $run_id AS run_id
FROM rates

-- name: failures
, shortfalls AS (
  SELECT 'psza' AS chk, 'player' AS entity_kind, player_lookup AS entity_id, team_abbr, analysis_date AS d, season_year,
         games_10 AS games, CAST($min_games AS INT64) AS needed, 'player_game_summary' AS source
  FROM candidates
  WHERE games_10 < $min_games
)
-- include: shortfall-causes
-- expected when the calendar or the player's own participation explains it; real when Phase 3 lacks games
SELECT d AS analysis_date, entity_id, 'INSUFFICIENT_DATA' AS failure_category, cause AS failure_reason,
       true AS can_retry, is_expected
FROM shortfall_causes
