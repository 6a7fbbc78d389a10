-- Grain: one row per player per cache_date D, for the players of upcoming_player_game_context on D
-- (a non-bootstrap game date in [$from, $to]): season-to-date and recent form from his games with
-- minutes before D this season, his team's last 10 games, his pre-game context and his PSZA row of D.
-- Fewer than $min_games games: no row, INSUFFICIENT_DATA. No PSZA row: MISSING_DEPENDENCY (row kept).

-- name: candidates
WITH
-- include: player-targets
, game_rows AS (
  -- NUMERIC: exact sums, so a batch's thread layout cannot change the rounded averages
  SELECT player_lookup, season_year, game_id, game_date, minutes_played, points,
         CAST(minutes_played AS NUMERIC(18, 4)) AS minutes, CAST(ts_pct AS NUMERIC(18, 6)) AS ts_pct,
         -- usage is a per-minute rate: its averages weight each game by its minutes (a 2-minute cameo
         -- at usage 337 must not count as much as a full game)
         CAST(usage_rate AS NUMERIC(18, 4)) * CAST(minutes_played AS NUMERIC(18, 4)) AS usage_minutes,
         CASE WHEN usage_rate IS NOT NULL THEN CAST(minutes_played AS NUMERIC(18, 4)) END AS usage_weight
  FROM nba_analytics.player_game_summary
)
-- include: player-games(running_sums=points minutes usage_minutes usage_weight)
-- include: games-before(entity=player_lookup, keys=targets, at=game_date, rows=player_games, out=player_asof)
, rolling AS (
  -- each game with his last 5 and 10 games (itself the latest): read at his latest game before D.
  -- Divisions of NUMERIC sums are FLOAT64 on every engine (GoogleSQL's NUMERIC / NUMERIC is NUMERIC).
  SELECT player_lookup, season_year, seq, game_date, running_first_game_date,
         cum_points, cum_minutes, cum_usage_minutes, cum_usage_weight,
         avg(points) OVER w5 AS points_5,
         avg(points) OVER w10 AS points_10,
         -- sample sd from exact integer sums (order-independent, unlike a streaming estimate)
         count(points) OVER w10 AS n_10, sum(points) OVER w10 AS sum_10, sum(points * points) OVER w10 AS sumsq_10,
         avg(minutes) OVER w10 AS minutes_10,
         sum(minutes) OVER w10 AS minutes_sum_10,
         sum(usage_minutes) OVER w10 AS usage_minutes_10, sum(usage_weight) OVER w10 AS usage_weight_10,
         avg(ts_pct) OVER w10 AS ts_10
  FROM player_games
  WINDOW w5 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 4 PRECEDING AND CURRENT ROW),
         w10 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
),
form AS (
  SELECT a.player_lookup, a.d, a.k AS games, r.points_5, r.points_10,
         CASE WHEN r.n_10 >= 2 THEN sqrt((r.n_10 * r.sumsq_10 - r.sum_10 * r.sum_10) / (r.n_10 * (r.n_10 - 1))) END AS points_sd_10,
         r.minutes_10,
         -- points per minute from the exact sums, not a ratio of two rounded averages
         r.sum_10 / nullif({{float64(r.minutes_sum_10)}}, 0) AS ppm_10,
         {{float64(r.usage_minutes_10)}} / nullif({{float64(r.usage_weight_10)}}, 0) AS usage_10,
         r.ts_10,
         -- season to date = running totals at the latest game
         r.cum_points / a.k AS points_season,
         {{float64(r.cum_minutes)}} / a.k AS minutes_season,
         {{float64(r.cum_usage_minutes)}} / nullif({{float64(r.cum_usage_weight)}}, 0) AS usage_season,
         r.game_date AS player_last_game_date,
         -- the season totals read every game from his first of the season
         r.running_first_game_date AS player_first_game_date
  FROM player_asof a
  JOIN rolling r ON r.player_lookup = a.player_lookup AND r.season_year = a.season_year AND r.seq = a.k
),
team_keys AS (
  SELECT DISTINCT team_abbr, game_date AS d, season_year FROM targets
),
team_game_rows AS (
  SELECT team_abbr, season_year, game_id, game_date,
         CAST(pace AS NUMERIC(18, 4)) AS pace, CAST(offensive_rating AS NUMERIC(18, 4)) AS offensive_rating
  FROM nba_analytics.team_offense_game_summary
)
-- include: team-games
-- include: games-before(entity=team_abbr, keys=team_keys, at=d, rows=team_games, out=team_asof)
, team_form AS (
  SELECT a.team_abbr, a.d, r.team_games, r.pace_10, r.off_rating_10, r.team_last_game_date, r.team_first_game_date
  FROM team_asof a
  JOIN (
    SELECT team_abbr, season_year, seq, count(*) OVER w10 AS team_games, avg(pace) OVER w10 AS pace_10,
           avg(offensive_rating) OVER w10 AS off_rating_10, game_date AS team_last_game_date,
           min(game_date) OVER w10 AS team_first_game_date
    FROM team_games
    WINDOW w10 AS (PARTITION BY team_abbr, season_year ORDER BY seq ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
  ) r ON r.team_abbr = a.team_abbr AND r.season_year = a.season_year AND r.seq = a.k
),
candidates AS (
  SELECT t.player_lookup, t.universal_player_id, t.game_id, t.team_abbr, t.opponent_team_abbr, t.season_year,
         t.days_rest, t.back_to_back, t.games_in_last_7_days, t.games_in_last_14_days, t.minutes_in_last_7_days,
         t.minutes_in_last_14_days, t.avg_minutes_per_game_last_7, t.back_to_backs_last_14_days, t.player_age,
         t.game_date AS cache_date, coalesce(f.games, 0) AS games,
         f.points_5, f.points_10, f.points_sd_10, f.minutes_10, f.ppm_10, f.usage_10, f.ts_10,
         f.points_season, f.minutes_season, f.usage_season, f.player_last_game_date, f.player_first_game_date,
         tf.team_games, tf.pace_10, tf.off_rating_10, tf.team_last_game_date, tf.team_first_game_date,
         z.player_lookup IS NOT NULL AS has_psza,
         z.primary_scoring_zone, z.paint_rate_last_10, z.mid_range_rate_last_10, z.three_pt_rate_last_10,
         z.assisted_rate_last_10 AS psza_assisted_rate
  FROM targets t
  LEFT JOIN form f ON f.player_lookup = t.player_lookup AND f.d = t.game_date
  LEFT JOIN team_form tf ON tf.team_abbr = t.team_abbr AND tf.d = t.game_date
  LEFT JOIN nba_precompute.player_shot_zone_analysis z ON z.player_lookup = t.player_lookup AND z.analysis_date = t.game_date
)

-- name: compute
-- outputs are rounded here only, on NUMERIC (.5 ties round the same way on every engine)
SELECT player_lookup, universal_player_id, cache_date, game_id, team_abbr, opponent_team_abbr, season_year,
       round(CAST(points_5 AS NUMERIC(18, 9)), 2) AS points_avg_last_5,
       round(CAST(points_10 AS NUMERIC(18, 9)), 2) AS points_avg_last_10,
       round(CAST(points_season AS NUMERIC(18, 9)), 2) AS points_avg_season,
       round(CAST(points_sd_10 AS NUMERIC(18, 9)), 2) AS points_std_last_10,
       round(CAST(minutes_10 AS NUMERIC(18, 9)), 2) AS minutes_avg_last_10,
       round(CAST(minutes_season AS NUMERIC(18, 9)), 2) AS minutes_avg_season,
       round(CAST(ppm_10 AS NUMERIC(18, 9)), 4) AS ppm_avg_last_10,
       round(CAST(usage_10 AS NUMERIC(18, 9)), 2) AS usage_rate_last_10,
       round(CAST(ts_10 AS NUMERIC(18, 9)), 3) AS ts_pct_last_10,
       round(CAST(usage_season AS NUMERIC(18, 9)), 2) AS player_usage_rate_season,
       games AS games_played_season,
       least(games, 10) AS games_in_sample_10,
       games < 10 AS early_season_flag,
       round(CAST(pace_10 AS NUMERIC(18, 9)), 2) AS team_pace_last_10,
       round(CAST(off_rating_10 AS NUMERIC(18, 9)), 2) AS team_off_rating_last_10,
       coalesce(team_games, 0) AS team_games_in_sample,
       -- fatigue inputs as the pre-game context saw them
       days_rest, back_to_back, games_in_last_7_days, games_in_last_14_days, minutes_in_last_7_days,
       minutes_in_last_14_days, avg_minutes_per_game_last_7, back_to_backs_last_14_days, player_age,
       has_psza AS has_shot_zone_data,
       primary_scoring_zone, paint_rate_last_10, mid_range_rate_last_10, three_pt_rate_last_10,
       -- a fraction here (PSZA stores a percentage), as in the prior art
       round(CAST(psza_assisted_rate / 100 AS NUMERIC(18, 9)), 4) AS assisted_rate_last_10,
       -- a row has player games (>= min_games); his team may have none before D only if it has no games
       greatest(player_last_game_date, coalesce(team_last_game_date, player_last_game_date)) AS source_last_game_date,
       least(player_first_game_date, coalesce(team_first_game_date, player_first_game_date)) AS source_first_game_date,
       current_timestamp AS processed_at,
       $run_id AS run_id
FROM candidates
WHERE games >= $min_games

-- name: failures
, shortfalls AS (
  -- too few games for PDC itself
  SELECT 'pdc' AS chk, 'player' AS entity_kind, player_lookup AS entity_id, team_abbr, cache_date AS d, season_year,
         games, CAST($min_games AS INT64) AS needed, 'player_game_summary' AS source
  FROM candidates
  WHERE games < $min_games
  UNION ALL
  -- a row written without its PSZA row: classified as PSZA classifies its own failure for him
  SELECT 'psza', 'player', player_lookup, team_abbr, cache_date, season_year,
         games, CAST($psza_min_games AS INT64), 'player_game_summary'
  FROM candidates
  WHERE games >= $min_games AND NOT has_psza
)
-- include: shortfall-causes
SELECT d AS analysis_date, entity_id,
       CASE chk WHEN 'pdc' THEN 'INSUFFICIENT_DATA' ELSE 'MISSING_DEPENDENCY' END AS failure_category,
       CASE chk WHEN 'pdc' THEN cause
                ELSE concat('no PlayerShotZoneAnalysisProcessor row (shot-zone fields left NULL): ', cause) END AS failure_reason,
       true AS can_retry, is_expected
FROM shortfall_causes
