-- Grain: one row per player per game_date D, for the players of upcoming_player_game_context on D
-- (a non-bootstrap game date in [$from, $to]): four adjustment factors (fatigue, shot-zone mismatch,
-- pace, usage spike) from the pre-game context, his PSZA row of D, his opponent's TDZA row of D,
-- both teams' last 10 games and his own games before D (usage averages minutes-weighted). Never skips
-- a player: a missing input scores 0 and lowers data_completeness_pct (and is reported as INCOMPLETE_DATA).

-- name: candidates
WITH
-- include: player-targets
, game_rows AS (
  -- Usage is a per-minute rate, so its averages weight each game by its minutes: sum(usage x minutes)
  -- / sum(minutes), over the games that have a usage. Unweighted, a 2-minute cameo at usage 337 counts
  -- as much as a 36-minute game and pins the spike at its clamp. NUMERIC: exact sums, so a batch's
  -- thread layout cannot change the result.
  SELECT player_lookup, season_year, game_id, game_date, minutes_played,
         CAST(usage_rate AS NUMERIC(18, 4)) * CAST(minutes_played AS NUMERIC(18, 4)) AS usage_minutes,
         CASE WHEN usage_rate IS NOT NULL THEN CAST(minutes_played AS NUMERIC(18, 4)) END AS usage_weight
  FROM nba_analytics.player_game_summary
)
-- include: player-games(running_sums=usage_minutes usage_weight)
-- include: games-before(entity=player_lookup, keys=targets, at=game_date, rows=player_games, out=player_asof)
, usage_form AS (
  -- divisions of NUMERIC sums are FLOAT64 on every engine (GoogleSQL's NUMERIC / NUMERIC is NUMERIC)
  SELECT a.player_lookup, a.d, a.k AS player_games,
         {{float64(r.usage_minutes_5)}} / nullif({{float64(r.usage_weight_5)}}, 0) AS usage_last_5,
         {{float64(r.cum_usage_minutes)}} / nullif({{float64(r.cum_usage_weight)}}, 0) AS usage_season,
         r.game_date AS player_last_game_date,
         -- the season usage reads every game from his first of the season
         r.running_first_game_date AS player_first_game_date
  FROM player_asof a
  JOIN (
    -- each game with his last 5 (itself the latest): read at his latest game before D
    SELECT player_lookup, season_year, seq, game_date, running_first_game_date, cum_usage_minutes, cum_usage_weight,
           sum(usage_minutes) OVER w5 AS usage_minutes_5, sum(usage_weight) OVER w5 AS usage_weight_5
    FROM player_games
    WINDOW w5 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 4 PRECEDING AND CURRENT ROW)
  ) r ON r.player_lookup = a.player_lookup AND r.season_year = a.season_year AND r.seq = a.k
),
team_keys AS (
  SELECT team_abbr, game_date AS d, season_year FROM targets
  UNION DISTINCT
  SELECT opponent_team_abbr, game_date, season_year FROM targets
),
team_game_rows AS (
  SELECT team_abbr, season_year, game_id, game_date, CAST(pace AS NUMERIC(18, 4)) AS pace
  FROM nba_analytics.team_offense_game_summary
)
-- include: team-games
-- include: games-before(entity=team_abbr, keys=team_keys, at=d, rows=team_games, out=team_asof)
, team_pace AS (
  -- the pace average goes on into arithmetic: divided in FLOAT64 on every engine
  SELECT a.team_abbr, a.d, a.k AS team_games, {{float64(r.pace_sum_10)}} / r.games_10 AS pace_10,
         r.game_date AS last_game_date, r.first_game_date
  FROM team_asof a
  JOIN (
    SELECT team_abbr, season_year, seq, game_date, sum(pace) OVER w10 AS pace_sum_10, count(pace) OVER w10 AS games_10,
           -- the team's games count reads its season from the first game
           min(game_date) OVER (PARTITION BY team_abbr, season_year ORDER BY seq ROWS UNBOUNDED PRECEDING) AS first_game_date
    FROM team_games
    WINDOW w10 AS (PARTITION BY team_abbr, season_year ORDER BY seq ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
  ) r ON r.team_abbr = a.team_abbr AND r.season_year = a.season_year AND r.seq = a.k
),
candidates AS (
  SELECT t.player_lookup, t.universal_player_id, t.game_id, t.game_date, t.season_year, t.team_abbr, t.opponent_team_abbr,
         t.days_rest, t.back_to_back, t.games_in_last_7_days, t.minutes_in_last_7_days, t.avg_minutes_per_game_last_7,
         t.back_to_backs_last_14_days, t.player_age, t.player_age_years,
         coalesce(uf.player_games, 0) AS player_games, uf.usage_last_5, uf.usage_season,
         -- real as-of pace from the offense summaries; the team context's copy only if history is missing
         coalesce(tp.pace_10, utgc.team_pace_last_10) AS team_pace,
         coalesce(op.pace_10, utgc.opponent_pace_last_10) AS opponent_pace,
         coalesce(op.team_games, 0) AS opponent_games,
         z.player_lookup IS NOT NULL AS has_psza, z.primary_scoring_zone,
         -- exact inputs, never the rounded rates or vs-league values of PSZA / TDZA
         z.paint_attempts_last_10, z.mid_range_attempts_last_10, z.three_pt_attempts_last_10, z.total_shots_last_10,
         dz.team_abbr IS NOT NULL AS has_tdza,
         dz.paint_defense_vs_league_avg_unrounded, dz.mid_range_defense_vs_league_avg_unrounded,
         dz.three_pt_defense_vs_league_avg_unrounded,
         -- the latest game any input read (0001-01-01 stands for an input that read none: GoogleSQL's
         -- greatest is NULL if any argument is)
         nullif(greatest(coalesce(uf.player_last_game_date, DATE '0001-01-01'), coalesce(tp.last_game_date, DATE '0001-01-01'),
                         coalesce(op.last_game_date, DATE '0001-01-01'), coalesce(z.source_last_game_date, DATE '0001-01-01'),
                         coalesce(dz.source_last_game_date, DATE '0001-01-01')), DATE '0001-01-01') AS source_last_game_date,
         -- the earliest game any input read (9999-12-31 stands for an input that read none)
         nullif(least(coalesce(uf.player_first_game_date, DATE '9999-12-31'), coalesce(tp.first_game_date, DATE '9999-12-31'),
                      coalesce(op.first_game_date, DATE '9999-12-31'), coalesce(z.source_first_game_date, DATE '9999-12-31'),
                      coalesce(dz.source_first_game_date, DATE '9999-12-31')), DATE '9999-12-31') AS source_first_game_date
  FROM targets t
  LEFT JOIN usage_form uf ON uf.player_lookup = t.player_lookup AND uf.d = t.game_date
  LEFT JOIN team_pace tp ON tp.team_abbr = t.team_abbr AND tp.d = t.game_date
  LEFT JOIN team_pace op ON op.team_abbr = t.opponent_team_abbr AND op.d = t.game_date
  LEFT JOIN nba_analytics.upcoming_team_game_context utgc ON utgc.team_abbr = t.team_abbr AND utgc.game_id = t.game_id
  LEFT JOIN nba_precompute.player_shot_zone_analysis z ON z.player_lookup = t.player_lookup AND z.analysis_date = t.game_date
  LEFT JOIN nba_precompute.team_defense_zone_analysis dz ON dz.team_abbr = t.opponent_team_abbr AND dz.analysis_date = t.game_date
),
inputs AS (
  SELECT c.*,
         -- the prior art's defaults for a missing context value
         coalesce(days_rest, 1) AS rest, coalesce(games_in_last_7_days, 3) AS g7,
         coalesce(minutes_in_last_7_days, 200) AS m7,
         -- minutes per game from the exact 7-day sums (never the context's rounded average: 35.004
         -- rounds to 35.00 and would escape the > 35 penalty); NUMERIC keeps float noise off the threshold
         coalesce(CAST(minutes_in_last_7_days / nullif(games_in_last_7_days, 0) AS NUMERIC(18, 9)), 30) AS mpg7,
         coalesce(back_to_backs_last_14_days, 0) AS b2b14,
         -- completed years on the game date: the penalty starts on the birthday, not on a rounded age
         coalesce(player_age_years, 25) AS age,
         -- balanced or unknown shooters are scored on the paint, the prior art's default zone
         CASE primary_scoring_zone WHEN 'mid_range' THEN 'mid_range' WHEN 'perimeter' THEN 'three_pt' ELSE 'paint' END AS zone,
         usage_last_5 IS NOT NULL AND usage_season IS NOT NULL AS has_usage,
         team_pace IS NOT NULL AND opponent_pace IS NOT NULL AS has_pace
  FROM candidates c
),
scored AS (
  SELECT i.*,
         greatest(0, least(100, 100
           + CASE WHEN back_to_back THEN -15 WHEN rest >= 3 THEN 5 ELSE 0 END
           + CASE WHEN g7 >= 4 THEN -10 ELSE 0 END
           + CASE WHEN m7 > 240 THEN -10 ELSE 0 END
           + CASE WHEN mpg7 > 35 THEN -8 ELSE 0 END
           + CASE WHEN b2b14 >= 2 THEN -12 WHEN b2b14 = 1 THEN -5 ELSE 0 END
           + CASE WHEN age >= 35 THEN -10 WHEN age >= 30 THEN -5 ELSE 0 END)) AS fatigue_score,
         CAST(coalesce(CASE zone WHEN 'paint' THEN paint_defense_vs_league_avg_unrounded
                                 WHEN 'mid_range' THEN mid_range_defense_vs_league_avg_unrounded
                                 ELSE three_pt_defense_vs_league_avg_unrounded END, 0) AS NUMERIC(18, 9)) AS zone_vs_league,
         coalesce(CAST(100.0 * CASE zone WHEN 'paint' THEN paint_attempts_last_10 WHEN 'mid_range' THEN mid_range_attempts_last_10
                                         ELSE three_pt_attempts_last_10 END / nullif(total_shots_last_10, 0) AS NUMERIC(18, 9)), 50) AS zone_rate,
         (team_pace + opponent_pace) / 2 AS expected_pace
  FROM inputs i
),
matchup AS (
  -- the product in FLOAT64 on every engine (GoogleSQL's NUMERIC x NUMERIC rounds at 9 dp), then back to NUMERIC
  SELECT s.*, CAST({{float64(zone_vs_league)}} * least({{float64(zone_rate)}} / 50, 1) AS NUMERIC(18, 9)) AS weighted_vs_league
  FROM scored s
),
adjustments AS (
  -- unrounded factors: the warnings and the total use these; only the output columns are rounded
  SELECT m.*,
         CAST((fatigue_score - 100) / 20.0 AS NUMERIC(18, 9)) AS fatigue_adjustment,
         -- x 1.2 on NUMERIC (a FLOAT64 1.2 would make it FLOAT64 on BigQuery), kept at 9 dp as GoogleSQL keeps it
         CASE WHEN has_psza AND has_tdza THEN
           CAST(greatest(-10, least(10, weighted_vs_league * CASE WHEN abs(weighted_vs_league) > 5 THEN CAST(1.2 AS NUMERIC(18, 9)) ELSE 1 END))
                AS NUMERIC(18, 9))
         ELSE 0 END AS mismatch_exact,
         CASE WHEN has_pace THEN CAST(greatest(-3, least(3, (expected_pace - team_pace) / 2)) AS NUMERIC(18, 9)) ELSE 0 END AS pace_exact,
         -- minutes-weighted usage over the last 5 games minus the minutes-weighted season usage
         CASE WHEN has_usage THEN CAST(greatest(-3, least(3, (usage_last_5 - usage_season) * 0.3)) AS NUMERIC(18, 9)) ELSE 0 END AS usage_exact,
         20 * (CAST(days_rest IS NOT NULL AS INT64) + CAST(has_usage AS INT64) + CAST(has_pace AS INT64) + CAST(has_psza AS INT64)
               + CAST(has_tdza AS INT64)) AS data_completeness_pct
  FROM matchup m
),
factors AS (
  SELECT a.*, fatigue_adjustment + mismatch_exact + pace_exact + usage_exact AS total_exact
  FROM adjustments a
)

-- name: compute
-- outputs are rounded here only, on NUMERIC (.5 ties round the same way on every engine)
SELECT player_lookup, universal_player_id, game_date, game_id, team_abbr, opponent_team_abbr, season_year,
       fatigue_score, fatigue_adjustment,
       round(mismatch_exact, 2) AS shot_zone_mismatch_score,
       round(pace_exact, 2) AS pace_score,
       round(usage_exact, 2) AS usage_spike_score,
       round(total_exact, 2) AS total_composite_adjustment,
       json_object('days_rest', days_rest, 'back_to_back', back_to_back, 'games_in_last_7_days', games_in_last_7_days,
                   'minutes_in_last_7_days', minutes_in_last_7_days, 'avg_minutes_per_game_last_7', avg_minutes_per_game_last_7,
                   'back_to_backs_last_14_days', back_to_backs_last_14_days, 'player_age', player_age,
                   'player_age_years', player_age_years) AS fatigue_context_json,
       json_object('primary_scoring_zone', primary_scoring_zone, 'zone_scored', zone, 'zone_rate', round(zone_rate, 2),
                   'opponent_vs_league', round(zone_vs_league, 2), 'has_psza', has_psza, 'has_tdza', has_tdza) AS shot_zone_context_json,
       json_object('team_pace_last_10', round(CAST(team_pace AS NUMERIC(18, 9)), 2),
                   'opponent_pace_last_10', round(CAST(opponent_pace AS NUMERIC(18, 9)), 2),
                   'expected_game_pace', round(CAST(expected_pace AS NUMERIC(18, 9)), 2)) AS pace_context_json,
       json_object('usage_last_5', round(CAST(usage_last_5 AS NUMERIC(18, 9)), 2), 'usage_season', round(CAST(usage_season AS NUMERIC(18, 9)), 2),
                   'games', player_games) AS usage_context_json,
       data_completeness_pct,
       -- in this order, without NULL elements (BigQuery stores none)
       array_concat(CASE WHEN fatigue_score < 50 THEN ['EXTREME_FATIGUE'] ELSE [] END,
                    CASE WHEN abs(mismatch_exact) > 8 THEN ['EXTREME_MATCHUP'] ELSE [] END,
                    CASE WHEN abs(total_exact) > 12 THEN ['EXTREME_ADJUSTMENT'] ELSE [] END) AS warnings,
       source_last_game_date,
       source_first_game_date,
       current_timestamp AS processed_at,
       $run_id AS run_id
FROM factors

-- name: failures
, shortfalls AS (
  -- a missing PSZA or opponent TDZA row, classified as PSZA / TDZA classify their own failure
  SELECT 'psza' AS chk, 'player' AS entity_kind, player_lookup AS entity_id, team_abbr, game_date AS d, season_year,
         player_games AS games, CAST($psza_min_games AS INT64) AS needed, 'player_game_summary' AS source
  FROM factors
  WHERE data_completeness_pct < 100 AND NOT has_psza
  UNION ALL
  SELECT DISTINCT 'tdza', 'team', opponent_team_abbr, opponent_team_abbr, game_date, season_year,
         NULL, CAST($tdza_min_games AS INT64), 'team_defense_game_summary'
  FROM factors
  WHERE data_completeness_pct < 100 AND NOT has_tdza
)
-- include: shortfall-causes
SELECT f.game_date AS analysis_date, f.player_lookup AS entity_id, 'INCOMPLETE_DATA' AS failure_category,
       -- array_to_string leaves the NULL elements out, on both engines
       concat('scored with defaults for: ', array_to_string([
         CASE WHEN f.days_rest IS NULL THEN 'rest' END,
         CASE WHEN NOT f.has_usage THEN 'usage' END,
         CASE WHEN NOT f.has_pace THEN 'pace' END,
         CASE WHEN NOT f.has_psza THEN concat('PSZA row (', coalesce(z.cause, ''), ')') END,
         CASE WHEN NOT f.has_tdza THEN concat('opponent TDZA row (', coalesce(dz.cause, ''), ')') END], ', '),
         ' (', CAST(f.player_games AS STRING), ' player games before ', CAST(f.game_date AS STRING), ')') AS failure_reason,
       true AS can_retry,
       -- expected when every gap has an expected cause: no games yet (rest, usage), or the one
       -- PSZA / TDZA gave for their own missing row; missing pace is always a real gap
       (f.days_rest IS NOT NULL OR f.player_games = 0)
         AND (f.has_usage OR f.player_games = 0)
         AND f.has_pace
         AND (f.has_psza OR z.is_expected)
         AND (f.has_tdza OR dz.is_expected) AS is_expected
FROM factors f
LEFT JOIN shortfall_causes z ON z.chk = 'psza' AND z.entity_id = f.player_lookup AND z.d = f.game_date
LEFT JOIN shortfall_causes dz ON dz.chk = 'tdza' AND dz.entity_id = f.opponent_team_abbr AND dz.d = f.game_date
WHERE f.data_completeness_pct < 100
