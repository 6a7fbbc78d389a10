-- Grain: one row per player per game_date D, for the players of upcoming_player_game_context on D
-- (a non-bootstrap game date in [$from, $to]): a named, versioned feature vector. Each feature
-- comes from the Phase 4 rows of D (PDC, PCF, PSZA, opponent's TDZA), else from Phase 3 computed
-- as of D (games before D), else a default; feature_sources records which, per feature.

-- name: candidates
WITH
-- include: player-targets
, game_rows AS (
  -- NUMERIC: exact sums, so a batch's thread layout cannot change the rounded averages
  SELECT player_lookup, season_year, game_id, game_date, minutes_played, points, CAST(minutes_played AS NUMERIC(18, 4)) AS minutes,
         ft_makes, paint_attempts, mid_range_attempts, three_pt_attempts
  FROM nba_analytics.player_game_summary
)
-- include: player-games(running_sums=points minutes)
-- include: games-before(entity=player_lookup, keys=targets, at=game_date, rows=player_games, out=player_asof)
, p3 AS (
  -- the Phase 3 fallback, computed as of D exactly as PDC/PSZA would; divisions of NUMERIC sums are
  -- FLOAT64 on every engine (GoogleSQL's NUMERIC / NUMERIC is NUMERIC)
  SELECT a.player_lookup, a.d, a.k AS games, r.points_5, r.points_10,
         r.cum_points / a.k AS points_season,
         CASE WHEN r.n_10 >= 2 THEN sqrt((r.n_10 * r.sumsq_10 - r.sum_10 * r.sum_10) / (r.n_10 * (r.n_10 - 1))) END AS points_sd_10,
         -- the minutes average goes on into the minutes trend: divided in FLOAT64 on every engine
         {{float64(r.minutes_sum_10)}} / r.n_10 AS minutes_10,
         {{float64(r.cum_minutes)}} / a.k AS minutes_season,
         r.sum_10 / nullif({{float64(r.minutes_sum_10)}}, 0) AS ppm_10,
         -- newest two minus the three before them: positive = scoring more lately
         r.points_2 - r.points_3_to_5 AS trend_diff,
         r.ft_makes_10 / nullif(r.sum_10, 0) AS ft_share_10,
         r.paint_att_10, r.mid_att_10, r.three_att_10,
         r.game_date AS last_game_date,
         -- the season averages read every game from his first of the season
         r.running_first_game_date AS first_game_date
  FROM player_asof a
  JOIN (
    -- each game with his last 2, 5 and 10 games (itself the latest): read at his latest game before D
    SELECT player_lookup, season_year, seq, game_date, running_first_game_date, cum_points, cum_minutes,
           avg(points) OVER w2 AS points_2,
           -- games 3 to 5 back from this one
           avg(points) OVER (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 4 PRECEDING AND 2 PRECEDING) AS points_3_to_5,
           avg(points) OVER w5 AS points_5,
           avg(points) OVER w10 AS points_10,
           count(points) OVER w10 AS n_10, sum(points) OVER w10 AS sum_10, sum(points * points) OVER w10 AS sumsq_10,
           sum(minutes) OVER w10 AS minutes_sum_10,
           sum(ft_makes) OVER w10 AS ft_makes_10,
           sum(paint_attempts) OVER w10 AS paint_att_10, sum(mid_range_attempts) OVER w10 AS mid_att_10,
           sum(three_pt_attempts) OVER w10 AS three_att_10
    FROM player_games
    WINDOW w2 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 1 PRECEDING AND CURRENT ROW),
           w5 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 4 PRECEDING AND CURRENT ROW),
           w10 AS (PARTITION BY player_lookup, season_year ORDER BY seq ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
  ) r ON r.player_lookup = a.player_lookup AND r.season_year = a.season_year AND r.seq = a.k
),
versus AS (
  -- every earlier game against this opponent in the declared history window (definition.ts: D's season
  -- and the {{history_seasons}} - 1 before it): a matchup sample needs more than one season
  SELECT t.player_lookup, t.game_date AS d, count(*) AS games_vs, avg(g.points) AS points_vs,
         max(g.game_date) AS last_game_date, min(g.game_date) AS first_game_date
  FROM targets t
  JOIN nba_analytics.player_game_summary g
    ON g.player_lookup = t.player_lookup AND g.opponent_team_abbr = t.opponent_team_abbr
   AND g.game_date < t.game_date AND g.minutes_played > 0
   AND g.season_year > t.season_year - {{history_seasons}}
  GROUP BY t.player_lookup, t.game_date
),
team_keys AS (
  SELECT team_abbr, game_date AS d, season_year FROM targets
  UNION DISTINCT
  SELECT opponent_team_abbr, game_date, season_year FROM targets
),
team_game_rows AS (
  SELECT o.team_abbr, o.season_year, o.game_id, o.game_date, CAST(o.pace AS NUMERIC(18, 4)) AS pace,
         CAST(o.offensive_rating AS NUMERIC(18, 4)) AS offensive_rating, o.win_flag,
         CAST(dg.defensive_rating AS NUMERIC(18, 4)) AS defensive_rating
  FROM nba_analytics.team_offense_game_summary o
  LEFT JOIN nba_analytics.team_defense_game_summary dg ON dg.defending_team_abbr = o.team_abbr AND dg.game_id = o.game_id
)
-- include: team-games
-- include: games-before(entity=team_abbr, keys=team_keys, at=d, rows=team_games, out=team_asof)
, team_form AS (
  SELECT a.team_abbr, a.d, a.k AS games, r.pace_10, r.off_rating_10, r.def_rating_15, r.win_pct,
         r.game_date AS last_game_date, r.first_game_date
  FROM team_asof a
  JOIN (
    -- each game with the team's last 10 and 15 and its season so far: read at its latest game before D
    SELECT team_abbr, season_year, seq, game_date,
           avg(pace) OVER w10 AS pace_10, avg(offensive_rating) OVER w10 AS off_rating_10,
           avg(defensive_rating) OVER w15 AS def_rating_15,
           avg(CAST(win_flag AS INT64)) OVER season AS win_pct,
           min(game_date) OVER season AS first_game_date
    FROM team_games
    WINDOW w10 AS (PARTITION BY team_abbr, season_year ORDER BY seq ROWS BETWEEN 9 PRECEDING AND CURRENT ROW),
           w15 AS (PARTITION BY team_abbr, season_year ORDER BY seq ROWS BETWEEN 14 PRECEDING AND CURRENT ROW),
           season AS (PARTITION BY team_abbr, season_year ORDER BY seq ROWS UNBOUNDED PRECEDING)
  ) r ON r.team_abbr = a.team_abbr AND r.season_year = a.season_year AND r.seq = a.k
),
joined AS (
  SELECT t.player_lookup, t.universal_player_id, t.game_id, t.game_date, t.season_year, t.team_abbr, t.opponent_team_abbr,
         t.days_rest, t.opponent_days_rest, t.player_status, t.home_game, t.back_to_back, t.season_phase,
         t.games_in_last_7_days AS ctx_games_7, t.current_points_line,
         coalesce(p3.games, 0) AS player_games, p3.points_5, p3.points_10, p3.points_season, p3.points_sd_10, p3.minutes_10,
         p3.minutes_season, p3.ppm_10, p3.trend_diff, p3.ft_share_10, p3.paint_att_10, p3.mid_att_10, p3.three_att_10,
         coalesce(v.games_vs, 0) AS games_vs, v.points_vs,
         tf.pace_10 AS p3_team_pace, tf.off_rating_10 AS p3_team_off_rating, tf.win_pct AS p3_win_pct, coalesce(tf.games, 0) AS team_games,
         opf.pace_10 AS p3_opp_pace, opf.def_rating_15 AS p3_opp_def_rating,
         pdc.player_lookup IS NOT NULL AS has_pdc, pcf.player_lookup IS NOT NULL AS has_pcf,
         pdc.points_avg_last_5 AS pdc_points_5, pdc.points_avg_last_10 AS pdc_points_10, pdc.points_avg_season AS pdc_points_season,
         pdc.points_std_last_10 AS pdc_points_sd_10, pdc.games_in_last_7_days AS pdc_games_7,
         pdc.minutes_avg_last_10 AS pdc_minutes_10, pdc.ppm_avg_last_10 AS pdc_ppm_10,
         pdc.team_pace_last_10 AS pdc_team_pace, pdc.team_off_rating_last_10 AS pdc_team_off_rating,
         pcf.fatigue_score AS pcf_fatigue, pcf.shot_zone_mismatch_score AS pcf_mismatch, pcf.pace_score AS pcf_pace,
         pcf.usage_spike_score AS pcf_usage,
         psza.paint_rate_last_10 AS psza_paint, psza.mid_range_rate_last_10 AS psza_mid, psza.three_pt_rate_last_10 AS psza_three,
         tdza.defensive_rating_last_15 AS tdza_def_rating, tdza.opponent_pace AS tdza_opp_pace,
         -- the latest game any input read (DATE '0001-01-01' stands for an input that read none: GoogleSQL's
         -- greatest is NULL if any argument is)
         nullif(greatest(coalesce(p3.last_game_date, DATE '0001-01-01'), coalesce(v.last_game_date, DATE '0001-01-01'),
                         coalesce(tf.last_game_date, DATE '0001-01-01'), coalesce(opf.last_game_date, DATE '0001-01-01'),
                         coalesce(pdc.source_last_game_date, DATE '0001-01-01'), coalesce(pcf.source_last_game_date, DATE '0001-01-01'),
                         coalesce(psza.source_last_game_date, DATE '0001-01-01'), coalesce(tdza.source_last_game_date, DATE '0001-01-01')),
                DATE '0001-01-01') AS source_last_game_date,
         -- the earliest game any input read (DATE '9999-12-31' stands for an input that read none)
         nullif(least(coalesce(p3.first_game_date, DATE '9999-12-31'), coalesce(v.first_game_date, DATE '9999-12-31'),
                      coalesce(tf.first_game_date, DATE '9999-12-31'), coalesce(opf.first_game_date, DATE '9999-12-31'),
                      coalesce(pdc.source_first_game_date, DATE '9999-12-31'), coalesce(pcf.source_first_game_date, DATE '9999-12-31'),
                      coalesce(psza.source_first_game_date, DATE '9999-12-31'), coalesce(tdza.source_first_game_date, DATE '9999-12-31')),
                DATE '9999-12-31') AS source_first_game_date
  FROM targets t
  LEFT JOIN p3 ON p3.player_lookup = t.player_lookup AND p3.d = t.game_date
  LEFT JOIN versus v ON v.player_lookup = t.player_lookup AND v.d = t.game_date
  LEFT JOIN team_form tf ON tf.team_abbr = t.team_abbr AND tf.d = t.game_date
  LEFT JOIN team_form opf ON opf.team_abbr = t.opponent_team_abbr AND opf.d = t.game_date
  LEFT JOIN nba_precompute.player_daily_cache pdc ON pdc.player_lookup = t.player_lookup AND pdc.cache_date = t.game_date
  LEFT JOIN nba_precompute.player_composite_factors pcf ON pcf.player_lookup = t.player_lookup AND pcf.game_date = t.game_date
  LEFT JOIN nba_precompute.player_shot_zone_analysis psza ON psza.player_lookup = t.player_lookup AND psza.analysis_date = t.game_date
  LEFT JOIN nba_precompute.team_defense_zone_analysis tdza ON tdza.team_abbr = t.opponent_team_abbr AND tdza.analysis_date = t.game_date
)

-- name: compute
, p3_zones AS (
  SELECT j.*, paint_att_10 + mid_att_10 + three_att_10 AS zone_att_10,
         -- the minutes trend from the exact Phase 3 averages (the games PDC averages), never a ratio of
         -- PDC's rounded ones; NUMERIC keeps float noise off the 10% / 20% thresholds
         CAST((minutes_10 - minutes_season) / nullif(minutes_season, 0) AS NUMERIC(18, 9)) AS minutes_trend
  FROM joined j
),
features AS (
  SELECT player_lookup, universal_player_id, game_id, game_date, season_year, team_abbr, opponent_team_abbr,
    source_last_game_date, source_first_game_date,
    -- 0-4 recent performance: PDC, else Phase 3
    coalesce(pdc_points_5, points_5, 10) AS points_avg_last_5,
    CASE WHEN pdc_points_5 IS NOT NULL THEN 'phase4' WHEN points_5 IS NOT NULL THEN 'phase3' ELSE 'default' END AS points_avg_last_5__src,
    coalesce(pdc_points_10, points_10, 10) AS points_avg_last_10,
    CASE WHEN pdc_points_10 IS NOT NULL THEN 'phase4' WHEN points_10 IS NOT NULL THEN 'phase3' ELSE 'default' END AS points_avg_last_10__src,
    coalesce(pdc_points_season, points_season, 10) AS points_avg_season,
    CASE WHEN pdc_points_season IS NOT NULL THEN 'phase4' WHEN points_season IS NOT NULL THEN 'phase3' ELSE 'default' END AS points_avg_season__src,
    coalesce(pdc_points_sd_10, points_sd_10, 5) AS points_std_last_10,
    CASE WHEN pdc_points_sd_10 IS NOT NULL THEN 'phase4' WHEN points_sd_10 IS NOT NULL THEN 'phase3' ELSE 'default' END AS points_std_last_10__src,
    coalesce(pdc_games_7, ctx_games_7, 3) AS games_in_last_7_days,
    CASE WHEN pdc_games_7 IS NOT NULL THEN 'phase4' WHEN ctx_games_7 IS NOT NULL THEN 'phase3' ELSE 'default' END AS games_in_last_7_days__src,
    -- 5-8 composite factors: PCF only
    coalesce(pcf_fatigue, 50) AS fatigue_score,
    CASE WHEN pcf_fatigue IS NOT NULL THEN 'phase4' ELSE 'default' END AS fatigue_score__src,
    coalesce(pcf_mismatch, 0) AS shot_zone_mismatch_score,
    CASE WHEN pcf_mismatch IS NOT NULL THEN 'phase4' ELSE 'default' END AS shot_zone_mismatch_score__src,
    coalesce(pcf_pace, 0) AS pace_score,
    CASE WHEN pcf_pace IS NOT NULL THEN 'phase4' ELSE 'default' END AS pace_score__src,
    coalesce(pcf_usage, 0) AS usage_spike_score,
    CASE WHEN pcf_usage IS NOT NULL THEN 'phase4' ELSE 'default' END AS usage_spike_score__src,
    -- 9-12 calculated from the context and the Phase 3 history
    -- an unknown rest (either side) is the default 0: never fed to least/greatest, which skip a NULL on
    -- DuckDB (the NULL difference used to come out as +2) and return it on BigQuery
    greatest(-2, least(2, coalesce(days_rest - opponent_days_rest, 0))) AS rest_advantage,
    CASE WHEN days_rest IS NOT NULL AND opponent_days_rest IS NOT NULL THEN 'calculated' ELSE 'default' END AS rest_advantage__src,
    CASE lower(player_status) WHEN 'probable' THEN 1 WHEN 'questionable' THEN 2 WHEN 'doubtful' THEN 3 WHEN 'out' THEN 3 ELSE 0 END AS injury_risk,
    CASE WHEN player_status IS NOT NULL THEN 'calculated' ELSE 'default' END AS injury_risk__src,
    CASE WHEN player_games < 5 THEN 0 WHEN trend_diff >= 5 THEN 2 WHEN trend_diff >= 2 THEN 1
         WHEN trend_diff <= -5 THEN -2 WHEN trend_diff <= -2 THEN -1 ELSE 0 END AS recent_trend,
    CASE WHEN player_games >= 5 THEN 'calculated' ELSE 'default' END AS recent_trend__src,
    CASE WHEN minutes_trend IS NULL THEN 0
         WHEN minutes_trend >= 0.2 THEN 2 WHEN minutes_trend >= 0.1 THEN 1
         WHEN minutes_trend <= -0.2 THEN -2 WHEN minutes_trend <= -0.1 THEN -1 ELSE 0 END AS minutes_change,
    CASE WHEN minutes_trend IS NOT NULL THEN 'calculated' ELSE 'default' END AS minutes_change__src,
    -- 13-14 opponent: TDZA, else Phase 3
    coalesce(tdza_def_rating, p3_opp_def_rating, 112) AS opponent_def_rating,
    CASE WHEN tdza_def_rating IS NOT NULL THEN 'phase4' WHEN p3_opp_def_rating IS NOT NULL THEN 'phase3' ELSE 'default' END AS opponent_def_rating__src,
    coalesce(tdza_opp_pace, p3_opp_pace, 100) AS opponent_pace,
    CASE WHEN tdza_opp_pace IS NOT NULL THEN 'phase4' WHEN p3_opp_pace IS NOT NULL THEN 'phase3' ELSE 'default' END AS opponent_pace__src,
    -- 15-17 facts of the schedule, always known
    CAST(home_game AS INT64) AS home_away, 'calculated' AS home_away__src,
    CAST(back_to_back AS INT64) AS back_to_back, 'calculated' AS back_to_back__src,
    CAST(coalesce(season_phase, '') = 'playoffs' AS INT64) AS playoff_game, 'calculated' AS playoff_game__src,
    -- 18-20 shot mix: PSZA, else Phase 3
    coalesce(psza_paint / 100, paint_att_10 / nullif(zone_att_10, 0), 0.30) AS pct_paint,
    CASE WHEN psza_paint IS NOT NULL THEN 'phase4' WHEN zone_att_10 > 0 THEN 'phase3' ELSE 'default' END AS pct_paint__src,
    coalesce(psza_mid / 100, mid_att_10 / nullif(zone_att_10, 0), 0.20) AS pct_mid_range,
    CASE WHEN psza_mid IS NOT NULL THEN 'phase4' WHEN zone_att_10 > 0 THEN 'phase3' ELSE 'default' END AS pct_mid_range__src,
    coalesce(psza_three / 100, three_att_10 / nullif(zone_att_10, 0), 0.35) AS pct_three,
    CASE WHEN psza_three IS NOT NULL THEN 'phase4' WHEN zone_att_10 > 0 THEN 'phase3' ELSE 'default' END AS pct_three__src,
    CASE WHEN player_games >= 5 AND ft_share_10 IS NOT NULL THEN greatest(0, least(0.5, ft_share_10)) ELSE 0.15 END AS pct_free_throw,
    CASE WHEN player_games >= 5 AND ft_share_10 IS NOT NULL THEN 'calculated' ELSE 'default' END AS pct_free_throw__src,
    -- 22-24 own team: PDC, else Phase 3
    coalesce(pdc_team_pace, p3_team_pace, 100) AS team_pace,
    CASE WHEN pdc_team_pace IS NOT NULL THEN 'phase4' WHEN p3_team_pace IS NOT NULL THEN 'phase3' ELSE 'default' END AS team_pace__src,
    coalesce(pdc_team_off_rating, p3_team_off_rating, 112) AS team_off_rating,
    CASE WHEN pdc_team_off_rating IS NOT NULL THEN 'phase4' WHEN p3_team_off_rating IS NOT NULL THEN 'phase3' ELSE 'default' END AS team_off_rating__src,
    CASE WHEN team_games >= 5 THEN p3_win_pct ELSE 0.5 END AS team_win_pct,
    CASE WHEN team_games >= 5 THEN 'calculated' ELSE 'default' END AS team_win_pct__src,
    -- 25-30 v2: the line (no line: the season average stands in, flagged by has_vegas_line), matchup, minutes
    coalesce(current_points_line, pdc_points_season, points_season, 10) AS vegas_points_line,
    CASE WHEN current_points_line IS NOT NULL THEN 'phase3' ELSE 'default' END AS vegas_points_line__src,
    CAST(current_points_line IS NOT NULL AS INT64) AS has_vegas_line, 'calculated' AS has_vegas_line__src,
    coalesce(points_vs, pdc_points_season, points_season, 10) AS avg_points_vs_opponent,
    CASE WHEN points_vs IS NOT NULL THEN 'phase3' ELSE 'default' END AS avg_points_vs_opponent__src,
    games_vs AS games_vs_opponent, 'calculated' AS games_vs_opponent__src,
    coalesce(pdc_minutes_10, minutes_10, 0) AS minutes_avg_last_10,
    CASE WHEN pdc_minutes_10 IS NOT NULL THEN 'phase4' WHEN minutes_10 IS NOT NULL THEN 'phase3' ELSE 'default' END AS minutes_avg_last_10__src,
    -- PDC's points per minute comes from exact sums (a ratio of its two rounded averages was a cent off)
    coalesce(pdc_ppm_10, ppm_10, 0.4) AS ppm_avg_last_10,
    CASE WHEN pdc_ppm_10 IS NOT NULL THEN 'phase4' WHEN ppm_10 IS NOT NULL THEN 'phase3' ELSE 'default' END AS ppm_avg_last_10__src
  FROM p3_zones
),
assembled AS (
  SELECT player_lookup, universal_player_id, game_id, game_date, season_year, team_abbr, opponent_team_abbr,
         source_last_game_date, source_first_game_date,
         -- 4 dp: the vector must not depend on the summation order of a batch; rounded on NUMERIC so
         -- that .5 ties round the same way on every engine, each element then a FLOAT64 (features.ts)
         {{feature_values}} AS features,
         {{feature_names}} AS feature_names,
         {{feature_sources}} AS feature_sources,
         -- per-source counts and the mean source weight, over the feature sources (features.ts)
         {{source_weight_sum}} / {{feature_count}} AS quality,
         {{phase4_count}} AS n_phase4,
         {{phase3_count}} AS n_phase3,
         {{default_count}} AS n_default,
         -- calculated features have no upstream to choose from, so they do not count towards data_source
         {{sourced_count}} AS n_sourced
  FROM features
)
SELECT player_lookup, universal_player_id, game_date, game_id, team_abbr, opponent_team_abbr, season_year,
       features, feature_names, array_length(features) AS feature_count, '{{feature_version}}' AS feature_version, feature_sources,
       round(CAST(quality AS NUMERIC(18, 9)), 2) AS feature_quality_score,
       CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver' WHEN quality >= 50 THEN 'bronze'
            WHEN quality >= 25 THEN 'poor' ELSE 'critical' END AS quality_tier,
       -- the Phase 4 share is over the {{phase4_feature_count}} features a Phase 4 row can supply (features.ts
       -- PHASE4_FEATURES): a row with every Phase 4 input is 'phase4'
       CASE WHEN n_phase4 >= 0.9 * {{phase4_feature_count}} THEN 'phase4' WHEN n_phase4 >= 0.5 * {{phase4_feature_count}} THEN 'phase4_partial'
            WHEN n_phase3 >= 0.5 * n_sourced THEN 'phase3' ELSE 'mixed' END AS data_source,
       n_phase4 AS features_from_phase4,
       n_phase3 AS features_from_phase3,
       n_default AS features_defaulted,
       source_last_game_date,
       source_first_game_date,
       current_timestamp AS processed_at,
       $run_id AS run_id
FROM assembled

-- name: failures
, shortfalls AS (
  -- a missing PDC row, classified as PDC classifies its own INSUFFICIENT_DATA
  SELECT 'pdc' AS chk, 'player' AS entity_kind, player_lookup AS entity_id, team_abbr, game_date AS d, season_year,
         player_games AS games, CAST($pdc_min_games AS INT64) AS needed, 'player_game_summary' AS source
  FROM joined
  WHERE NOT has_pdc
)
-- include: shortfall-causes
SELECT j.game_date AS analysis_date, j.player_lookup AS entity_id, 'MISSING_DEPENDENCY' AS failure_category,
       -- array_to_string leaves the NULL elements out, on both engines
       concat(array_to_string([
         CASE WHEN NOT j.has_pdc THEN concat('no PlayerDailyCacheProcessor row (', coalesce(p.cause, ''), ')') END,
         CASE WHEN NOT j.has_pcf THEN 'no PlayerCompositeFactorsProcessor row (it scores every player)' END], '; '),
         '; features fell back to Phase 3 or defaults') AS failure_reason,
       true AS can_retry,
       -- PCF covers every player, so a missing PCF row is always real; a missing PDC row is what PDC said
       j.has_pcf AND (j.has_pdc OR p.is_expected) AS is_expected
FROM joined j
LEFT JOIN shortfall_causes p ON p.entity_id = j.player_lookup AND p.d = j.game_date
WHERE NOT j.has_pdc OR NOT j.has_pcf
