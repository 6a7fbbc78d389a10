-- Grain: one row per team per scheduled game on game_date, pre-game. Lines come from the odds
-- table (joined on date + resolved home/away teams). The source's Spread is unsigned: the
-- moneyline favourite gets -spread, the underdog +spread. source_last_game_date is the latest game
-- the pace windows read (NULL if none), audited to be before game_date (context-audits.ts).
INSERT INTO nba_analytics.upcoming_team_game_context (
  team_abbr, opponent_team_abbr, game_id, game_date, season_year, home_game, game_total, game_spread, team_implied_total,
  days_rest, opponent_days_rest, back_to_back, team_pace_last_10, opponent_pace_last_10, source_last_game_date, processed_at, run_id)
WITH targets AS (
  SELECT * FROM nba_reference.team_games WHERE game_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})
),
recent_pace AS (
  SELECT t.game_id, t.team_abbr, o.pace, o.game_date
  FROM targets t
  JOIN nba_analytics.team_offense_game_summary o
    ON o.team_abbr = t.team_abbr AND o.season_year = t.season_year AND o.game_date < t.game_date
  WHERE true  -- (BigQuery's QUALIFY wants a WHERE, GROUP BY or HAVING beside it)
  QUALIFY row_number() OVER (PARTITION BY t.game_id, t.team_abbr ORDER BY o.game_date DESC) <= 10
),
pace_10 AS (
  SELECT game_id, team_abbr, avg(pace) AS pace_last_10, max(game_date) AS last_game_read FROM recent_pace GROUP BY game_id, team_abbr
),
odds AS (
  -- a total outside the plausible band (PLAUSIBLE_GAME_TOTAL: the source's scraped 3, 6.5, 22, 32.5) is unknown
  SELECT game_date, home_team_abbr, away_team_abbr,
         CASE WHEN game_total BETWEEN $total_min AND $total_max THEN game_total END AS game_total, spread, ml_home, ml_away
  FROM nba_raw.game_odds WHERE home_team_abbr IS NOT NULL AND away_team_abbr IS NOT NULL
)
SELECT t.team_abbr, t.opponent_team_abbr, t.game_id, t.game_date, t.season_year, t.home_game,
       od.game_total,
       CASE WHEN od.spread IS NULL THEN NULL
            WHEN od.spread = 0 THEN 0.0
            WHEN (od.ml_home < od.ml_away) = t.home_game THEN -abs(od.spread) ELSE abs(od.spread) END AS game_spread,
       CASE WHEN od.game_total IS NOT NULL THEN round(CAST(od.game_total / 2 -
            (CASE WHEN od.spread IS NULL OR od.spread = 0 THEN 0.0
                  WHEN (od.ml_home < od.ml_away) = t.home_game THEN -abs(od.spread) ELSE abs(od.spread) END) / 2 AS NUMERIC(18, 9)), 2) END AS team_implied_total,
       t.days_rest, og.days_rest AS opponent_days_rest, coalesce(t.days_rest = 1, false) AS back_to_back,
       -- rounded on NUMERIC (.5 ties round the same way on every engine)
       round(CAST(tp.pace_last_10 AS NUMERIC(18, 9)), 2) AS team_pace_last_10,
       round(CAST(op.pace_last_10 AS NUMERIC(18, 9)), 2) AS opponent_pace_last_10,
       CASE WHEN tp.last_game_read IS NULL THEN op.last_game_read WHEN op.last_game_read IS NULL THEN tp.last_game_read
            ELSE greatest(tp.last_game_read, op.last_game_read) END AS source_last_game_date,
       CAST(current_timestamp AS TIMESTAMP) AS processed_at, $run_id AS run_id
FROM targets t
LEFT JOIN odds od ON od.game_date = t.game_date
  AND od.home_team_abbr = CASE WHEN t.home_game THEN t.team_abbr ELSE t.opponent_team_abbr END
  AND od.away_team_abbr = CASE WHEN t.home_game THEN t.opponent_team_abbr ELSE t.team_abbr END
LEFT JOIN nba_reference.team_games og ON og.game_id = t.game_id AND og.team_abbr = t.opponent_team_abbr
LEFT JOIN pace_10 tp ON tp.game_id = t.game_id AND tp.team_abbr = t.team_abbr
LEFT JOIN pace_10 op ON op.game_id = t.game_id AND op.team_abbr = t.opponent_team_abbr;
