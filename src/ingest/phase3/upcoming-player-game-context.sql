-- Grain: one row per player per scheduled game on game_date, pre-game: built only from games
-- strictly before game_date. The player set is who appeared for the team in its previous 10
-- games (no knowledge of who plays that night); a player seen for two teams (traded) belongs to
-- the team of his latest game before the date. source_last_game_date is the latest game date any
-- part of the row read (player set, rest, 7/14-day windows, usage), taken from the same joined rows,
-- so that the as-of audit (context-audits.ts) fails the build if one ever reads the game date.
INSERT INTO nba_analytics.upcoming_player_game_context (
  player_lookup, universal_player_id, game_id, game_date, season_year, team_abbr, opponent_team_abbr, home_game,
  days_rest, back_to_back, games_in_last_7_days, games_in_last_14_days, minutes_in_last_7_days, minutes_in_last_14_days,
  avg_minutes_per_game_last_7, back_to_backs_last_14_days, opponent_days_rest, team_days_rest, player_age, player_age_years,
  player_status, current_points_line, avg_usage_rate_last_7_games, usage_rate_season, season_phase, source_last_game_date,
  processed_at, run_id)
WITH targets AS (
  SELECT * FROM nba_reference.team_games WHERE game_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})
),
candidates AS (
  -- Players who appeared in one of the team's 10 games before the target game.
  SELECT t.game_id, p.player_lookup, max(prev.game_date) AS roster_last_game_date
  FROM targets t
  JOIN nba_reference.team_games prev ON prev.team_abbr = t.team_abbr AND prev.season_year = t.season_year
   AND prev.team_game_no BETWEEN t.team_game_no - 10 AND t.team_game_no - 1
  JOIN nba_analytics.player_game_summary p ON p.game_id = prev.game_id AND p.team_abbr = t.team_abbr
  GROUP BY t.game_id, p.player_lookup
),
history AS (
  -- Each player's games of a season, numbered in date order (one game a date: a total order).
  SELECT player_lookup, universal_player_id, game_id, game_date, season_year, team_abbr, minutes_played, usage_rate,
         {{day_diff(game_date, lag(game_date) OVER w)}} = 1 AS was_back_to_back,
         row_number() OVER w AS seq
  FROM nba_analytics.player_game_summary
  WINDOW w AS (PARTITION BY player_lookup, season_year ORDER BY game_date, game_id)
),
player_keys AS (
  -- The (player, season, target date) whose past a row reads: one per candidate and date.
  SELECT DISTINCT c.player_lookup, t.season_year, t.game_date FROM candidates c JOIN targets t ON t.game_id = c.game_id
),
as_of AS (
  -- His games before D without joining every earlier game to every (player, D): his games and the
  -- target dates in one date order, a target date sorting before a game of the same date (THE AS-OF
  -- RULE, as games-before in processors/shared/fragments.sql); ROWS frames over a total order.
  -- k = his games before D (the seq of his latest one), usage_k = those with minutes.
  SELECT player_lookup, season_year, game_date, k, usage_k FROM (
    SELECT u.player_lookup, u.season_year, u.game_date, u.is_key,
           count(u.seq) OVER w AS k, count(u.with_minutes) OVER w AS usage_k
    FROM (SELECT player_lookup, season_year, game_date, seq, CASE WHEN minutes_played > 0 THEN 1 END AS with_minutes, 0 AS is_key FROM history
          UNION ALL
          SELECT player_lookup, season_year, game_date, NULL, NULL, 1 FROM player_keys) u
    WINDOW w AS (PARTITION BY u.player_lookup, u.season_year ORDER BY u.game_date, u.is_key DESC ROWS UNBOUNDED PRECEDING)
  ) e
  WHERE is_key = 1
),
usage_games AS (
  -- Usage is a per-minute rate: averages weight each game by its minutes (sum(usage x minutes) /
  -- sum(minutes) over the games with a usage), so a 2-minute cameo cannot dominate. His games with
  -- minutes in date order with running sums over the season and his last 7 (exact decimals).
  SELECT g.player_lookup, g.season_year, g.game_date,
         row_number() OVER (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id) AS usage_seq,
         sum(g.usage_minutes) OVER season_w AS season_usage_minutes, sum(g.usage_weight) OVER season_w AS season_usage_weight,
         sum(g.usage_minutes) OVER last_7 AS last_7_usage_minutes, sum(g.usage_weight) OVER last_7 AS last_7_usage_weight
  FROM (SELECT player_lookup, season_year, game_id, game_date,
               CAST(usage_rate AS NUMERIC(18, 2)) * CAST(minutes_played AS NUMERIC(18, 2)) AS usage_minutes,
               CASE WHEN usage_rate IS NOT NULL THEN CAST(minutes_played AS NUMERIC(18, 2)) END AS usage_weight
        FROM history WHERE minutes_played > 0) g
  WINDOW season_w AS (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id ROWS UNBOUNDED PRECEDING),
         last_7 AS (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
),
latest AS (
  -- At each (target game, player): his most recent game before the date (any team: rest and current
  -- team), and usage read at his latest game with minutes before it.
  SELECT c.game_id, c.player_lookup, h.team_abbr AS latest_team, h.game_date AS last_game_date, h.universal_player_id,
         c.roster_last_game_date,
         u.last_7_usage_minutes / nullif(u.last_7_usage_weight, 0) AS usage_last_7,
         u.season_usage_minutes / nullif(u.season_usage_weight, 0) AS usage_season,
         u.game_date AS usage_last_game_read
  -- (targets has a row per team of a game: one per game here)
  FROM candidates c JOIN (SELECT DISTINCT game_id, game_date, season_year FROM targets) t ON t.game_id = c.game_id
  JOIN as_of a ON a.player_lookup = c.player_lookup AND a.season_year = t.season_year AND a.game_date = t.game_date
  JOIN history h ON h.player_lookup = a.player_lookup AND h.season_year = a.season_year AND h.seq = a.k
  LEFT JOIN usage_games u ON u.player_lookup = a.player_lookup AND u.season_year = a.season_year AND u.usage_seq = a.usage_k
),
players AS (
  SELECT t.game_id, t.game_date, t.season_year, t.team_abbr, t.opponent_team_abbr, t.home_game,
         l.player_lookup, l.universal_player_id, l.last_game_date, l.roster_last_game_date,
         l.usage_last_7, l.usage_season, l.usage_last_game_read
  FROM targets t JOIN latest l ON l.game_id = t.game_id AND l.latest_team = t.team_abbr
),
windows AS (
  SELECT p.game_id, p.player_lookup,
    count(CASE WHEN h.game_date >= p.game_date - 7 THEN 1 END) AS games_7,
    count(CASE WHEN h.game_date >= p.game_date - 14 THEN 1 END) AS games_14,
    -- Exact decimal sums (minutes have 2 decimals): the result cannot depend on summation order.
    coalesce(sum(CASE WHEN h.game_date >= p.game_date - 7 THEN CAST(h.minutes_played AS NUMERIC(18, 2)) END), 0) AS minutes_7,
    coalesce(sum(CASE WHEN h.game_date >= p.game_date - 14 THEN CAST(h.minutes_played AS NUMERIC(18, 2)) END), 0) AS minutes_14,
    count(CASE WHEN h.game_date >= p.game_date - 14 AND h.was_back_to_back THEN 1 END) AS b2b_14,
    max(h.game_date) AS last_game_read
  FROM players p
  JOIN history h ON h.player_lookup = p.player_lookup AND h.season_year = p.season_year
   AND h.game_date < p.game_date AND h.game_date >= p.game_date - 14
  GROUP BY p.game_id, p.player_lookup
),
points_lines AS (
  -- The latest pre-game 'over' line of each resolved player and date; between rows of one
  -- snapshot, the first in file order (explicit, so the result never depends on scan order).
  -- Pre-game: a snapshot taken at or after tip-off (where it is known) is an in-play line.
  SELECT player_lookup, game_date, line FROM (
    SELECT res.canonical_lookup AS player_lookup, pl.game_date, pl.line,
           row_number() OVER (PARTITION BY res.canonical_lookup, pl.game_date ORDER BY pl.snapshot_utc DESC, pl.source_row) AS choice
    FROM nba_raw.player_prop_lines pl
    JOIN nba_reference.player_name_resolution res ON res.name_lookup = {{player_lookup(pl.player_name)}}
    WHERE pl.prop = 'player points ou' AND pl.side = 'over' AND pl.line IS NOT NULL
      AND (pl.tipoff_utc IS NULL OR pl.snapshot_utc < pl.tipoff_utc)
      AND pl.game_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})
  ) lines WHERE choice = 1
),
opener AS (
  SELECT season_year, min(game_date) AS opener FROM nba_reference.schedule GROUP BY season_year
)
SELECT p.player_lookup, p.universal_player_id, p.game_id, p.game_date, p.season_year, p.team_abbr, p.opponent_team_abbr, p.home_game,
       {{day_diff(p.game_date, p.last_game_date)}} AS days_rest,
       {{day_diff(p.game_date, p.last_game_date)}} = 1 AS back_to_back,
       coalesce(w.games_7, 0) AS games_in_last_7_days, coalesce(w.games_14, 0) AS games_in_last_14_days,
       -- rounded on NUMERIC (.5 ties round the same way on every engine); a step that applies a threshold
       -- to minutes per game computes it from the exact 7-day sum and count, not from this rounded average
       round(CAST(coalesce(w.minutes_7, 0) AS NUMERIC(18, 9)), 2) AS minutes_in_last_7_days,
       round(CAST(coalesce(w.minutes_14, 0) AS NUMERIC(18, 9)), 2) AS minutes_in_last_14_days,
       CASE WHEN w.games_7 > 0 THEN round(CAST(w.minutes_7 / w.games_7 AS NUMERIC(18, 9)), 2) END AS avg_minutes_per_game_last_7,
       coalesce(w.b2b_14, 0) AS back_to_backs_last_14_days,
       otr.days_rest AS opponent_days_rest, ttr.days_rest AS team_days_rest,
       CASE WHEN r.birthdate IS NOT NULL THEN
         round(CAST({{day_diff(p.game_date, r.birthdate)}} / 365.25 AS NUMERIC(18, 9)), 2) END AS player_age,
       -- completed years on the game date (the birthday counts): what age thresholds compare, since a
       -- rounded fractional age crosses 30 up to two days early
       EXTRACT(YEAR FROM p.game_date) - EXTRACT(YEAR FROM r.birthdate)
         - CASE WHEN EXTRACT(MONTH FROM p.game_date) * 100 + EXTRACT(DAY FROM p.game_date)
                     < EXTRACT(MONTH FROM r.birthdate) * 100 + EXTRACT(DAY FROM r.birthdate) THEN 1 ELSE 0 END AS player_age_years,
       CAST(NULL AS STRING) AS player_status,
       pl.line AS current_points_line,
       round(CAST(p.usage_last_7 AS NUMERIC(18, 9)), 2) AS avg_usage_rate_last_7_games,
       round(CAST(p.usage_season AS NUMERIC(18, 9)), 2) AS usage_rate_season,
       CASE WHEN {{day_diff(p.game_date, o.opener)}} < 30 THEN 'early_season' ELSE 'regular_season' END AS season_phase,
       -- the latest game read by any part of the row (a part that read none stands aside)
       greatest(p.last_game_date, coalesce(p.roster_last_game_date, p.last_game_date), coalesce(w.last_game_read, p.last_game_date),
                coalesce(p.usage_last_game_read, p.last_game_date)) AS source_last_game_date,
       CAST(current_timestamp AS TIMESTAMP) AS processed_at, $run_id AS run_id
FROM players p
LEFT JOIN windows w ON w.game_id = p.game_id AND w.player_lookup = p.player_lookup
LEFT JOIN nba_reference.team_games ttr ON ttr.game_id = p.game_id AND ttr.team_abbr = p.team_abbr
LEFT JOIN nba_reference.team_games otr ON otr.game_id = p.game_id AND otr.team_abbr = p.opponent_team_abbr
LEFT JOIN nba_reference.nba_players_registry r ON r.universal_player_id = p.universal_player_id
LEFT JOIN points_lines pl ON pl.player_lookup = p.player_lookup AND pl.game_date = p.game_date
JOIN opener o ON o.season_year = p.season_year;
