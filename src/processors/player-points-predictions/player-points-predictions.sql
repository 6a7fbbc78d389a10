-- Grain: one row per player per game_date D for the players expected to play on D: the players of
-- upcoming_player_game_context on D and, on a team's first game of a season (no context yet), the
-- players whose latest game was for that team in its last 10 games of the season before. Every
-- input is from before D: his games this season (the shared as-of fragment), his previous season,
-- his team's previous games (who was missing), the game's odds and his MLFS row of D. The model
-- (coefficients and residual quantiles) is the latest refit on or before D, fitted by the
-- processor's prepare step on player-games dated before the refit date.
-- Sections: `targets` (prediction rows) or `training-targets` (played games, for fitting), then
-- `features` (the same for both), then `compute` and `failures`, or `training`.

-- name: targets
WITH
context_targets AS (
  -- the pre-game context: who appeared for the team in its last 10 games (and belongs to it)
  SELECT u.player_lookup, u.universal_player_id, u.game_id, u.game_date, u.season_year, u.team_abbr,
         u.opponent_team_abbr, u.home_game, 'context' AS target_source, 1 AS priority
  FROM nba_analytics.upcoming_player_game_context u
  WHERE u.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
),
stints AS (
  -- each of his games this season with the date of his next one: from the day after a game until
  -- his next game, it is his latest game before the date, and its team is his team
  SELECT g.player_lookup, g.universal_player_id, g.team_abbr, g.season_year, g.game_date,
         lead(g.game_date) OVER (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id) AS next_game_date
  FROM nba_analytics.player_game_summary g
  WHERE g.minutes_played > 0 AND g.game_date < CAST($to AS DATE)
    AND g.season_year IN (SELECT season_year FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE))
),
roster_targets AS (
  -- everyone whose latest game this season was for the team, also after a long absence (no injury
  -- reports: whoever may play gets a prediction, and only those who play are evaluated)
  SELECT s.player_lookup, s.universal_player_id, tg.game_id, tg.game_date, tg.season_year, tg.team_abbr,
         tg.opponent_team_abbr, tg.home_game, 'roster' AS target_source, 2 AS priority
  FROM stints s
  JOIN nba_reference.team_games tg ON tg.team_abbr = s.team_abbr AND tg.season_year = s.season_year
   AND tg.game_date > s.game_date AND (s.next_game_date IS NULL OR tg.game_date <= s.next_game_date)
  WHERE tg.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
),
openers AS (
  -- a team's first game of a season: the pre-game context has no players yet (no games this season)
  SELECT tg.game_id, tg.game_date, tg.season_year, tg.team_abbr, tg.opponent_team_abbr, tg.home_game
  FROM nba_reference.team_games tg
  WHERE tg.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND tg.team_game_no = 1
),
opener_team_games AS (
  -- each opener team's last 10 games of the season before
  SELECT o.game_id AS opener_game_id, o.team_abbr, p.game_id
  FROM openers o
  JOIN nba_reference.team_games p ON p.team_abbr = o.team_abbr AND p.season_year = o.season_year - 1
  WHERE true -- GoogleSQL takes QUALIFY only after a WHERE, GROUP BY or HAVING
  QUALIFY row_number() OVER (PARTITION BY o.game_id, o.team_abbr ORDER BY p.game_date DESC, p.game_id DESC) <= 10
),
latest_games AS (
  -- every player's latest game of the season before: the team he belongs to as far as anyone knows
  SELECT g.player_lookup, g.universal_player_id, g.team_abbr, g.game_id, g.season_year
  FROM nba_analytics.player_game_summary g
  WHERE g.minutes_played > 0 AND g.season_year IN (SELECT season_year - 1 FROM openers)
  QUALIFY row_number() OVER (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date DESC, g.game_id DESC) = 1
),
opener_targets AS (
  SELECT DISTINCT l.player_lookup, l.universal_player_id, o.game_id, o.game_date, o.season_year, o.team_abbr,
         o.opponent_team_abbr, o.home_game, 'opener' AS target_source, 3 AS priority
  FROM openers o
  JOIN opener_team_games otg ON otg.opener_game_id = o.game_id AND otg.team_abbr = o.team_abbr
  JOIN nba_analytics.player_game_summary g ON g.game_id = otg.game_id AND g.team_abbr = o.team_abbr AND g.minutes_played > 0
  JOIN latest_games l ON l.player_lookup = g.player_lookup AND l.season_year = o.season_year - 1 AND l.team_abbr = o.team_abbr
  -- not one who has already played this season (stints: his games before $to): his team is the one he
  -- played for since (the context or the roster rule), not last season's
  LEFT JOIN (SELECT player_lookup, season_year, min(game_date) AS first_game_date FROM stints GROUP BY player_lookup, season_year) s
    ON s.player_lookup = l.player_lookup AND s.season_year = o.season_year
  WHERE s.first_game_date IS NULL OR s.first_game_date >= o.game_date
),
targets AS (
  SELECT x.player_lookup, x.universal_player_id, x.game_id, x.game_date, x.season_year, x.team_abbr, x.opponent_team_abbr,
         x.home_game, x.target_source
  FROM (SELECT * FROM context_targets UNION ALL SELECT * FROM roster_targets UNION ALL SELECT * FROM opener_targets) x
  WHERE true
  -- one game a day per player: the pre-game context first, then the roster, then last season's team
  QUALIFY row_number() OVER (PARTITION BY x.player_lookup, x.game_date ORDER BY x.priority, x.game_id) = 1
)

-- name: training-targets
WITH
targets AS (
  -- every played game in [$from, $to]: the rows a model is fitted on (the refit date is after $to)
  SELECT g.player_lookup, g.universal_player_id, g.game_id, g.game_date, g.season_year, g.team_abbr,
         g.opponent_team_abbr, g.home_game, 'played' AS target_source
  FROM nba_analytics.player_game_summary g
  WHERE g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND g.minutes_played > 0
  QUALIFY row_number() OVER (PARTITION BY g.player_lookup, g.game_date ORDER BY g.game_id) = 1
)

-- name: features
, game_rows AS (
  -- his games with minutes, numbered within the season; the weights give exponentially weighted
  -- averages as ratios of running sums (weight of game j = decay^-j; exact NUMERIC sums, so the
  -- batch's layout cannot change a value)
  SELECT g.player_lookup, g.season_year, g.game_id, g.game_date, g.minutes_played,
         CAST(g.points AS NUMERIC(38, 9)) AS points,
         CAST(g.minutes_played AS NUMERIC(38, 9)) AS minutes,
         CASE WHEN g.starter_flag THEN 1 ELSE 0 END AS started,
         CAST(g.usage_rate AS NUMERIC(38, 9)) AS usage,
         CAST(g.fg_attempts + 0.44 * g.ft_attempts AS NUMERIC(38, 9)) AS possessions,
         CAST(o.points AS NUMERIC(38, 9)) AS team_points,
         CAST(power(0.9, -s.seq) AS NUMERIC(38, 9)) AS w9,
         CAST(g.points * power(0.9, -s.seq) AS NUMERIC(38, 9)) AS w9_points,
         CAST(g.minutes_played * power(0.9, -s.seq) AS NUMERIC(38, 9)) AS w9_minutes,
         CAST(o.points * power(0.9, -s.seq) AS NUMERIC(38, 9)) AS w9_team_points,
         CAST((g.fg_attempts + 0.44 * g.ft_attempts) * power(0.9, -s.seq) AS NUMERIC(38, 9)) AS w9_possessions,
         -- his first game this season: season totals read every game from it on
         min(g.game_date) OVER (PARTITION BY g.player_lookup, g.season_year) AS season_first_game_date,
         CAST(power(0.7, -s.seq) AS NUMERIC(38, 9)) AS w7,
         CAST(g.points * power(0.7, -s.seq) AS NUMERIC(38, 9)) AS w7_points,
         CAST(g.minutes_played * power(0.7, -s.seq) AS NUMERIC(38, 9)) AS w7_minutes
  FROM nba_analytics.player_game_summary g
  JOIN (
    SELECT player_lookup, game_id,
           row_number() OVER (PARTITION BY player_lookup, season_year ORDER BY game_date, game_id) AS seq
    FROM nba_analytics.player_game_summary
    WHERE minutes_played > 0 AND player_lookup IN (SELECT player_lookup FROM targets)
      AND season_year IN (SELECT season_year FROM targets)
  ) s ON s.player_lookup = g.player_lookup AND s.game_id = g.game_id
  LEFT JOIN nba_analytics.team_offense_game_summary o ON o.game_id = g.game_id AND o.team_abbr = g.team_abbr
  WHERE g.minutes_played > 0
)
-- include: player-games(running_sums=points minutes team_points w9 w9_points w9_minutes w9_team_points w9_possessions w7 w7_points w7_minutes)
-- include: games-before(entity=player_lookup, keys=targets, at=game_date, rows=player_games, out=player_asof)
, history AS (
  -- his last 10 games before D (n = 1 is the latest): k, his games before D, is the seq of the latest
  -- (the as-of rule lives in games-before); the running totals are read at n = 1
  SELECT a.player_lookup, a.d, a.k, a.k - g.seq + 1 AS n, g.game_date, g.minutes_played, g.points, g.minutes,
         g.started, g.usage, g.possessions, g.season_first_game_date,
         g.cum_points, g.cum_minutes, g.cum_team_points, g.cum_w9, g.cum_w9_points, g.cum_w9_minutes, g.cum_w9_team_points, g.cum_w9_possessions, g.cum_w7, g.cum_w7_points, g.cum_w7_minutes
  FROM player_asof a
  JOIN player_games g ON g.player_lookup = a.player_lookup AND g.season_year = a.season_year
   AND g.seq BETWEEN a.k - 9 AND a.k
)
, form AS (
  -- this season before D: season totals (running sums at his latest game) and the last 10 games
  SELECT player_lookup, d, max(k) AS k, max(game_date) AS last_game_date, min(season_first_game_date) AS first_game_date,
         sum(CASE WHEN n = 1 THEN cum_points END) AS season_points,
         sum(CASE WHEN n = 1 THEN cum_minutes END) AS season_minutes,
         sum(CASE WHEN n = 1 THEN cum_team_points END) AS season_team_points,
         sum(CASE WHEN n = 1 THEN cum_w9 END) AS w9,
         sum(CASE WHEN n = 1 THEN cum_w9_points END) AS w9_points,
         sum(CASE WHEN n = 1 THEN cum_w9_minutes END) AS w9_minutes,
         sum(CASE WHEN n = 1 THEN cum_w9_team_points END) AS w9_team_points,
         sum(CASE WHEN n = 1 THEN cum_w9_possessions END) AS w9_possessions,
         sum(CASE WHEN n = 1 THEN cum_w7 END) AS w7,
         sum(CASE WHEN n = 1 THEN cum_w7_points END) AS w7_points,
         sum(CASE WHEN n = 1 THEN cum_w7_minutes END) AS w7_minutes,
         count(*) AS games_10,
         sum(points) AS points_10,
         sum(points * points) AS points_sq_10,
         sum(CASE WHEN n <= 5 THEN points END) AS points_5,
         sum(CASE WHEN n <= 5 THEN 1 ELSE 0 END) AS games_5,
         sum(CASE WHEN n <= 3 THEN points END) AS points_3,
         sum(CASE WHEN n <= 3 THEN minutes END) AS minutes_3,
         sum(CASE WHEN n <= 3 THEN 1 ELSE 0 END) AS games_3,
         max(CASE WHEN n = 1 THEN minutes_played END) AS minutes_1,
         sum(CASE WHEN n = 1 THEN started END) AS started_1,
         sum(started) AS starts_10,
         sum(possessions) AS possessions_10,
         sum(usage) AS usage_10,
         count(usage) AS usage_games_10
  FROM history
  GROUP BY player_lookup, d
),
previous_season AS (
  SELECT g.player_lookup, g.season_year + 1 AS season_year, count(*) AS games, max(g.game_date) AS last_game_date,
         min(g.game_date) AS first_game_date,
         sum(CAST(g.points AS NUMERIC(38, 9))) AS points, sum(CAST(g.minutes_played AS NUMERIC(38, 9))) AS minutes
  FROM nba_analytics.player_game_summary g
  WHERE g.minutes_played > 0 AND g.season_year + 1 IN (SELECT season_year FROM targets)
    AND g.player_lookup IN (SELECT player_lookup FROM targets)
  GROUP BY g.player_lookup, g.season_year
),
team_slots AS (
  -- each target game's number in its team's season: the team's games before D are the lower numbers
  SELECT DISTINCT tg.team_abbr, tg.game_id, tg.season_year, tg.team_game_no
  FROM nba_reference.team_games tg
  WHERE tg.game_id IN (SELECT game_id FROM targets)
),
recent_team_games AS (
  SELECT s.team_abbr, s.game_id, s.team_game_no - p.team_game_no AS back, p.game_id AS previous_game_id, p.game_date AS previous_game_date
  FROM team_slots s
  JOIN nba_reference.team_games p ON p.team_abbr = s.team_abbr AND p.season_year = s.season_year
   AND p.team_game_no BETWEEN s.team_game_no - 10 AND s.team_game_no - 1
),
team_recent AS (
  SELECT team_abbr, game_id, count(*) AS games, sum(CASE WHEN back <= 3 THEN 1 ELSE 0 END) AS games_3,
         max(previous_game_date) AS last_game_date, min(previous_game_date) AS first_game_date
  FROM recent_team_games
  GROUP BY team_abbr, game_id
),
rotation AS (
  -- who played for the team in its last 10 games, his minutes and points there, and whether he
  -- played its latest game
  SELECT r.team_abbr, r.game_id, g.player_lookup, count(*) AS apps,
         sum(CASE WHEN r.back <= 3 THEN 1 ELSE 0 END) AS apps_3,
         max(CASE WHEN r.back = 1 THEN 1 ELSE 0 END) AS played_last,
         sum(CAST(g.minutes_played AS NUMERIC(38, 9))) AS minutes, sum(CAST(g.points AS NUMERIC(38, 9))) AS points
  FROM recent_team_games r
  JOIN nba_analytics.player_game_summary g ON g.game_id = r.previous_game_id AND g.team_abbr = r.team_abbr AND g.minutes_played > 0
  GROUP BY r.team_abbr, r.game_id, g.player_lookup
),
team_absences AS (
  -- the rotation's minutes and points per team game (over the last 10) of those who missed the latest game
  SELECT r.team_abbr, r.game_id,
         {{float64(sum(CASE WHEN r.played_last = 0 THEN r.minutes END))}} / max(t.games) AS vacated_minutes,
         {{float64(sum(CASE WHEN r.played_last = 0 THEN r.points END))}} / max(t.games) AS vacated_points,
         {{float64(sum(r.points))}} / max(t.games) AS rotation_points,
         sum(CASE WHEN r.played_last = 0 AND r.minutes >= 25 * r.apps THEN 1 ELSE 0 END) AS regulars_out
  FROM rotation r JOIN team_recent t ON t.team_abbr = r.team_abbr AND t.game_id = r.game_id
  GROUP BY r.team_abbr, r.game_id
),
mlfs AS (
  -- the feature store's context features of D (its row is dated D and read only games before D)
  SELECT m.player_lookup, m.game_date, m.source_last_game_date, m.source_first_game_date,
         {{mlfs_feature_columns}}
  FROM nba_predictions.ml_feature_store_v2 m
  WHERE m.game_date BETWEEN (SELECT min(game_date) FROM targets) AND (SELECT max(game_date) FROM targets)
    AND m.feature_version = '{{feature_version}}'
),
raw AS (
  -- each ratio of NUMERIC sums divides a FLOAT64 ({{float64(…)}}): on BigQuery NUMERIC / NUMERIC (or
  -- INT64) is a NUMERIC rounded at 9 dp, on DuckDB a DOUBLE division; the piece makes both the latter
  SELECT t.player_lookup, t.universal_player_id, t.game_id, t.game_date, t.season_year, t.team_abbr, t.opponent_team_abbr,
         t.home_game, t.target_source,
         coalesce(f.k, 0) AS k, f.last_game_date, f.first_game_date,
         ({{float64(f.season_points)}} / f.k) AS pts_season,
         ({{float64(f.points_10)}} / f.games_10) AS pts_l10,
         ({{float64(f.points_5)}} / nullif(f.games_5, 0)) AS pts_l5,
         ({{float64(f.points_3)}} / nullif(f.games_3, 0)) AS pts_l3,
         ({{float64(f.w9_points)}} / f.w9) AS pts_ew90,
         ({{float64(f.w7_points)}} / f.w7) AS pts_ew70,
         ({{float64(f.season_minutes)}} / f.k) AS min_season,
         ({{float64(f.minutes_3)}} / nullif(f.games_3, 0)) AS min_l3,
         f.minutes_1 AS min_l1,
         ({{float64(f.w9_minutes)}} / f.w9) AS min_ew90,
         ({{float64(f.w7_minutes)}} / f.w7) AS min_ew70,
         ({{float64(f.season_points)}} / nullif(f.season_minutes, 0)) AS ppm_season,
         ({{float64(f.w9_points)}} / nullif(f.w9_minutes, 0)) AS ppm_ew90,
         ({{float64(f.season_points)}} / nullif(f.season_team_points, 0)) AS share_season,
         ({{float64(f.w9_points)}} / nullif(f.w9_team_points, 0)) AS share_ew90,
         ({{float64(f.w9_possessions)}} / f.w9) AS poss_ew90,
         ({{float64(f.possessions_10)}} / f.games_10) AS poss_l10,
         ({{float64(f.usage_10)}} / nullif(f.usage_games_10, 0)) AS usg_l10,
         CASE WHEN f.games_10 >= 2
              THEN sqrt({{float64(f.games_10 * f.points_sq_10 - f.points_10 * f.points_10)}} / (f.games_10 * (f.games_10 - 1))) END AS sd_l10,
         f.starts_10 / f.games_10 AS start_l10,
         f.started_1 AS start_l1,
         coalesce(ps.games, 0) AS prev_games,
         ({{float64(ps.points)}} / ps.games) AS prev_pts,
         ({{float64(ps.minutes)}} / ps.games) AS prev_min,
         ps.last_game_date AS prev_last_game_date, ps.first_game_date AS prev_first_game_date,
         coalesce(tr.games, 0) AS team_games_back, coalesce(tr.games_3, 0) AS team_games_3, tr.last_game_date AS team_last_game_date,
         tr.first_game_date AS team_first_game_date,
         coalesce(ro.played_last, 0) AS played_last_raw, coalesce(ro.apps_3, 0) AS apps_3,
         (ta.vacated_minutes) AS vacated_minutes, (ta.vacated_points) AS vacated_points,
         (ta.rotation_points) AS rotation_points, ta.regulars_out,
         u.game_total, u.game_spread, u.team_implied_total,
         -- days since his latest game, capped at 6 (DATE minus integer is portable, a difference of dates is not)
         CASE WHEN f.last_game_date IS NULL THEN 6 WHEN f.last_game_date >= t.game_date - 1 THEN 1
              WHEN f.last_game_date >= t.game_date - 2 THEN 2 WHEN f.last_game_date >= t.game_date - 3 THEN 3
              WHEN f.last_game_date >= t.game_date - 4 THEN 4 WHEN f.last_game_date >= t.game_date - 5 THEN 5 ELSE 6 END AS rest_days,
         m.player_lookup IS NOT NULL AS has_mlfs, m.source_last_game_date AS mlfs_last_game_date,
         m.source_first_game_date AS mlfs_first_game_date,
         {{mlfs_feature_names}}
  FROM targets t
  LEFT JOIN form f ON f.player_lookup = t.player_lookup AND f.d = t.game_date
  LEFT JOIN previous_season ps ON ps.player_lookup = t.player_lookup AND ps.season_year = t.season_year
  LEFT JOIN team_recent tr ON tr.team_abbr = t.team_abbr AND tr.game_id = t.game_id
  LEFT JOIN rotation ro ON ro.team_abbr = t.team_abbr AND ro.game_id = t.game_id AND ro.player_lookup = t.player_lookup
  LEFT JOIN team_absences ta ON ta.team_abbr = t.team_abbr AND ta.game_id = t.game_id
  LEFT JOIN nba_analytics.upcoming_team_game_context u ON u.team_abbr = t.team_abbr AND u.game_id = t.game_id
  LEFT JOIN mlfs m ON m.player_lookup = t.player_lookup AND m.game_date = t.game_date
),
features AS (
  -- every feature non-NULL: a missing input becomes a neutral value (and a flag), so that one model
  -- serves a player's first games, the bootstrap fortnight (no MLFS rows) and games without odds
  SELECT player_lookup, universal_player_id, game_id, game_date, season_year, team_abbr, opponent_team_abbr, target_source,
         k,
         coalesce(pts_season, 0) AS pts_season, coalesce(pts_l10, 0) AS pts_l10, coalesce(pts_l5, 0) AS pts_l5,
         coalesce(pts_l3, 0) AS pts_l3, coalesce(pts_ew90, 0) AS pts_ew90, coalesce(pts_ew70, 0) AS pts_ew70,
         coalesce(min_season, 0) AS min_season, coalesce(min_l3, 0) AS min_l3, coalesce(min_l1, 0) AS min_l1,
         coalesce(min_ew90, 0) AS min_ew90, coalesce(min_ew70, 0) AS min_ew70,
         coalesce(ppm_season, 0) AS ppm_season, coalesce(ppm_ew90, 0) AS ppm_ew90,
         coalesce(share_season, 0) AS share_season, coalesce(share_ew90, 0) AS share_ew90,
         coalesce(poss_ew90, 0) AS poss_ew90, coalesce(poss_l10, 0) AS poss_l10,
         coalesce(usg_l10, 0) AS usg_l10, coalesce(sd_l10, 0) AS sd_l10,
         coalesce(start_l10, 0) AS start_l10, coalesce(start_l1, 0) AS start_l1,
         -- the previous season counts as a prior from 5 games on
         CASE WHEN prev_games >= 5 THEN prev_pts ELSE 0 END AS prev_pts,
         CASE WHEN prev_games >= 5 THEN prev_min ELSE 0 END AS prev_min,
         CASE WHEN prev_games >= 5 THEN 1 ELSE 0 END AS has_prev,
         -- without earlier team games this season nothing is known about absences: neutral values
         CASE WHEN team_games_back = 0 THEN 1 ELSE played_last_raw END AS played_last,
         team_games_3 - apps_3 AS missed_last_3,
         coalesce(vacated_minutes, 0) AS vacated_minutes, coalesce(vacated_points, 0) AS vacated_points,
         coalesce(vacated_points / nullif(rotation_points, 0), 0) AS vacated_share,
         coalesce(regulars_out, 0) AS regulars_out,
         CASE WHEN team_implied_total IS NULL OR game_spread IS NULL OR game_total IS NULL THEN 0 ELSE 1 END AS has_odds,
         coalesce(team_implied_total, 112) AS implied_total, coalesce(game_spread, 0) AS spread, coalesce(game_total, 224) AS game_total,
         CASE WHEN home_game THEN 1 ELSE 0 END AS home, CASE WHEN rest_days = 1 THEN 1 ELSE 0 END AS b2b, rest_days,
         CASE WHEN has_mlfs THEN 1 ELSE 0 END AS has_mlfs,
         {{mlfs_feature_defaults}},
         -- the latest game any input read (always before D): the as-of audit checks it
         CASE WHEN coalesce(last_game_date, prev_last_game_date, team_last_game_date, mlfs_last_game_date) IS NOT NULL THEN
           greatest(coalesce(last_game_date, prev_last_game_date, team_last_game_date, mlfs_last_game_date),
                    coalesce(prev_last_game_date, last_game_date, team_last_game_date, mlfs_last_game_date),
                    coalesce(team_last_game_date, last_game_date, prev_last_game_date, mlfs_last_game_date),
                    coalesce(mlfs_last_game_date, last_game_date, prev_last_game_date, team_last_game_date)) END AS source_last_game_date,
         -- and the earliest (the previous season's first game; MLFS rows may read three seasons back)
         CASE WHEN coalesce(first_game_date, prev_first_game_date, team_first_game_date, mlfs_first_game_date) IS NOT NULL THEN
           least(coalesce(first_game_date, prev_first_game_date, team_first_game_date, mlfs_first_game_date),
                 coalesce(prev_first_game_date, first_game_date, team_first_game_date, mlfs_first_game_date),
                 coalesce(team_first_game_date, first_game_date, prev_first_game_date, mlfs_first_game_date),
                 coalesce(mlfs_first_game_date, first_game_date, prev_first_game_date, team_first_game_date)) END AS source_first_game_date
  FROM raw
)

-- name: training
-- The fitting rows: each played game's terms (the model's design matrix) and what happened.
-- (has_mlfs is one of the terms: a second column of that name would be ambiguous on BigQuery)
SELECT f.game_date, f.player_lookup, f.k,
       {{term_columns}},
       (g.points) AS points, (g.minutes_played) AS minutes
FROM features f
JOIN nba_analytics.player_game_summary g ON g.player_lookup = f.player_lookup AND g.game_id = f.game_id
ORDER BY f.game_date, f.player_lookup

-- name: compute
, fits AS (
  -- each date's model: the latest refit on or before it (the prepare step has just fitted it)
  SELECT d.game_date, m.refit_date, m.model_kind, m.training_window_start, m.training_window_end
  FROM (SELECT DISTINCT game_date FROM features) d
  JOIN nba_predictions.points_model_fits m ON m.model_version = '{{model_version}}' AND m.refit_date <= d.game_date
  WHERE true
  QUALIFY row_number() OVER (PARTITION BY d.game_date ORDER BY m.refit_date DESC) = 1
),
coefficients AS (
  -- the stored coefficients of each refit, one column per component and term
  SELECT c.refit_date,
         {{coefficient_columns}}
  FROM nba_predictions.points_model_coefficients c
  WHERE c.model_version = '{{model_version}}' AND c.refit_date IN (SELECT refit_date FROM fits)
  GROUP BY c.refit_date
),
linear AS (
  SELECT f.*, m.refit_date, m.model_kind, m.training_window_start, m.training_window_end,
         greatest(0, {{points_predictor}}) AS level,
         greatest(0, {{minutes_predictor}}) AS minutes_level
  FROM features f
  JOIN fits m ON m.game_date = f.game_date
  JOIN coefficients c ON c.refit_date = m.refit_date
),
residual_grid AS (
  SELECT refit_date, level_bin, level_lo, level_hi, quantile_pct, residual, mean_residual
  FROM nba_predictions.points_model_residuals
  WHERE model_version = '{{model_version}}' AND refit_date IN (SELECT refit_date FROM fits)
),
residual_bins AS (
  SELECT refit_date, level_bin, level_lo, level_hi, max(mean_residual) AS mean_residual,
         max(CASE WHEN quantile_pct = 10 THEN residual END) AS r10,
         max(CASE WHEN quantile_pct = 25 THEN residual END) AS r25,
         max(CASE WHEN quantile_pct = 50 THEN residual END) AS r50,
         max(CASE WHEN quantile_pct = 75 THEN residual END) AS r75,
         max(CASE WHEN quantile_pct = 90 THEN residual END) AS r90
  FROM residual_grid
  GROUP BY refit_date, level_bin, level_lo, level_hi
),
distribution AS (
  -- the predictive distribution: the level plus the residual quantiles of its bin at the refit
  SELECT l.*, b.level_bin,
         greatest(0, l.level + b.r10) AS q10, greatest(0, l.level + b.r25) AS q25, greatest(0, l.level + b.r50) AS q50,
         greatest(0, l.level + b.r75) AS q75, greatest(0, l.level + b.r90) AS q90,
         greatest(0, l.level + b.mean_residual) AS mean_points
  FROM linear l
  JOIN residual_bins b ON b.refit_date = l.refit_date AND l.level >= b.level_lo AND l.level < b.level_hi
),
prop_rows AS (
  -- the sportsbook snapshots of the batch's dates taken before tip-off: each row is one side of one points
  -- line (a snapshot from after tip-off is an in-play line, which knows how the game is going)
  SELECT res.canonical_lookup AS player_lookup, pl.game_date, pl.snapshot_utc, pl.source_row, pl.side, pl.line,
         pl.draftkings, pl.fanduel, pl.pointsbet
  FROM nba_raw.player_prop_lines pl
  JOIN nba_reference.player_name_resolution res ON res.name_lookup = {{player_lookup(pl.player_name)}}
  WHERE pl.prop = 'player points ou' AND pl.line IS NOT NULL
    AND pl.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
    AND (pl.tipoff_utc IS NULL OR pl.snapshot_utc < pl.tipoff_utc)
),
lines AS (
  -- the latest pre-game snapshot's first 'over' row (the pre-game context's current_points_line, which
  -- leaves in-play snapshots out the same way)
  SELECT player_lookup, game_date, snapshot_utc, line
  FROM prop_rows
  WHERE side = 'over'
  QUALIFY row_number() OVER (PARTITION BY player_lookup, game_date ORDER BY snapshot_utc DESC, source_row) = 1
),
book_sides AS (
  SELECT player_lookup, game_date, snapshot_utc, line, side, 'draftkings' AS book, draftkings AS price FROM prop_rows
  UNION ALL
  SELECT player_lookup, game_date, snapshot_utc, line, side, 'fanduel', fanduel FROM prop_rows
  UNION ALL
  SELECT player_lookup, game_date, snapshot_utc, line, side, 'pointsbet', pointsbet FROM prop_rows
),
book_prices AS (
  -- each book that priced both sides of that line in that snapshot, with its implied probabilities
  SELECT x.*,
         CASE WHEN over_price < 0 THEN -over_price / (100 - over_price) ELSE 100 / (100 + over_price) END AS over_implied,
         CASE WHEN under_price < 0 THEN -under_price / (100 - under_price) ELSE 100 / (100 + under_price) END AS under_implied
  FROM (
    SELECT l.player_lookup, l.game_date, l.line, s.book,
           max(CASE WHEN s.side = 'over' THEN s.price END) AS over_price,
           max(CASE WHEN s.side = 'under' THEN s.price END) AS under_price
    FROM lines l
    JOIN book_sides s ON s.player_lookup = l.player_lookup AND s.game_date = l.game_date AND s.snapshot_utc = l.snapshot_utc
     AND s.line = l.line AND s.price IS NOT NULL
    GROUP BY l.player_lookup, l.game_date, l.line, s.book
  ) x
  WHERE over_price IS NOT NULL AND under_price IS NOT NULL
),
market AS (
  -- no-vig probability of the over: each book's over / (over + under), averaged over the books;
  -- the prices shown are the first book's (alphabetically)
  SELECT l.player_lookup, l.game_date, l.line,
         count(b.book) AS books,
         avg(b.over_implied / (b.over_implied + b.under_implied)) AS implied_p_over,
         max(CASE WHEN b.book_rank = 1 THEN b.book END) AS price_book,
         max(CASE WHEN b.book_rank = 1 THEN b.over_price END) AS over_price,
         max(CASE WHEN b.book_rank = 1 THEN b.under_price END) AS under_price
  FROM lines l
  LEFT JOIN (SELECT p.*, row_number() OVER (PARTITION BY player_lookup, game_date ORDER BY book) AS book_rank FROM book_prices p) b
    ON b.player_lookup = l.player_lookup AND b.game_date = l.game_date
  GROUP BY l.player_lookup, l.game_date, l.line
),
line_knots AS (
  -- the predicted distribution at the residual grid of the row's bin, for rows with a line
  SELECT d.player_lookup, d.game_date, m.line, g.quantile_pct / 100.0 AS tau, greatest(0, d.level + g.residual) AS v
  FROM distribution d
  JOIN market m ON m.player_lookup = d.player_lookup AND m.game_date = d.game_date
  JOIN residual_grid g ON g.refit_date = d.refit_date AND g.level_bin = d.level_bin
),
line_cdf AS (
  -- P(points <= line): linear between the two knots around the line; beyond the outer knots, half
  -- of the outer tail's mass
  SELECT player_lookup, game_date,
         CASE WHEN max(CASE WHEN v <= line THEN tau END) IS NULL THEN min(tau) / 2
              WHEN min(CASE WHEN v > line THEN tau END) IS NULL THEN (1 + max(tau)) / 2
              ELSE max(CASE WHEN v <= line THEN tau END)
                   + (min(CASE WHEN v > line THEN tau END) - max(CASE WHEN v <= line THEN tau END))
                     * (max(line) - max(CASE WHEN v <= line THEN v END))
                     / (min(CASE WHEN v > line THEN v END) - max(CASE WHEN v <= line THEN v END)) END AS p_under
  FROM line_knots
  GROUP BY player_lookup, game_date
)
SELECT d.game_date, d.player_lookup, d.universal_player_id, d.game_id, d.team_abbr, d.opponent_team_abbr, d.season_year, d.target_source,
       round(CAST(d.q50 AS NUMERIC(18, 6)), 2) AS predicted_points_median,
       round(CAST(d.mean_points AS NUMERIC(18, 6)), 2) AS predicted_points_mean,
       round(CAST(d.q10 AS NUMERIC(18, 6)), 2) AS points_q10,
       round(CAST(d.q25 AS NUMERIC(18, 6)), 2) AS points_q25,
       round(CAST(d.q50 AS NUMERIC(18, 6)), 2) AS points_q50,
       round(CAST(d.q75 AS NUMERIC(18, 6)), 2) AS points_q75,
       round(CAST(d.q90 AS NUMERIC(18, 6)), 2) AS points_q90,
       round(CAST(d.minutes_level AS NUMERIC(18, 6)), 1) AS expected_minutes,
       '{{model_version}}' AS model_version, d.model_kind, d.refit_date, d.training_window_start, d.training_window_end,
       d.k AS games_played_season,
       d.has_mlfs = 1 AS has_feature_store_row,
       d.k < 5 AS few_games,
       d.has_odds = 0 AS no_game_odds,
       d.played_last = 0 AS missed_last_team_game,
       m.line AS points_line, m.books AS line_books, m.price_book, m.over_price, m.under_price,
       round(CAST(1 - c.p_under AS NUMERIC(18, 6)), 4) AS p_over,
       round(CAST(c.p_under AS NUMERIC(18, 6)), 4) AS p_under,
       round(CAST(m.implied_p_over AS NUMERIC(18, 6)), 4) AS implied_p_over,
       round(CAST(1 - c.p_under - m.implied_p_over AS NUMERIC(18, 6)), 4) AS edge,
       d.source_first_game_date, d.source_last_game_date,
       current_timestamp AS processed_at,
       $run_id AS run_id
FROM distribution d
LEFT JOIN market m ON m.player_lookup = d.player_lookup AND m.game_date = d.game_date
LEFT JOIN line_cdf c ON c.player_lookup = d.player_lookup AND c.game_date = d.game_date

-- name: failures
-- Non-bootstrap dates: every player of the pre-game context should have his MLFS row; without it the
-- context features are neutral values (the row is still predicted, has_feature_store_row = false).
-- Roster and opener rows have none by design (MLFS covers the pre-game context only).
SELECT f.game_date AS analysis_date, f.player_lookup AS entity_id, 'MISSING_DEPENDENCY' AS failure_category,
       'no MLFeatureStoreProcessor row: context features fell back to neutral values' AS failure_reason,
       true AS can_retry, false AS is_expected
FROM features f
JOIN nba_reference.game_dates gd ON gd.game_date = f.game_date AND NOT gd.is_bootstrap
WHERE f.has_mlfs = 0 AND f.target_source = 'context'
