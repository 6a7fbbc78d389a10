-- SQL fragments shared by the Phase 4 processors: which players a row is computed for, and what a
-- row for date D may read of the past. THE AS-OF RULE lives here: a row for D reads only games
-- dated strictly before D, in D's season. Every fragment is one text for DuckDB and BigQuery
-- (warehouse/SQL.md).
--
-- A processor's SQL includes a fragment with a line `-- include: <fragment>(<param>=<value>, ...)`,
-- placed after a CTE (it stands for `, <the fragment's CTEs>`) or right after `WITH`. {{param}} is
-- replaced by its value (an integer or a column name); a line ending `-- for each x in xs` is
-- repeated for each name in the list `xs`, with {{x}} replaced by that name (no line if the list is
-- not given). See sql-file.ts.
--
-- "The last N games before D" is read without joining every earlier game to every (entity, D): the
-- games are numbered in date order (seq) and carry rolling aggregates over their last N rows (a window
-- frame), and games-before finds, for each (entity, D), k = its number of games before D, which is the
-- seq of its latest one; the aggregates of that row are the last N games before D.

-- fragment: player-targets
-- The players of upcoming_player_game_context on each non-bootstrap game date D in [$from, $to]:
-- the rows a player processor computes.
-- Gives: targets (the context's columns; game_date = D), one row per player and D.
targets AS (
  SELECT u.*
  FROM nba_analytics.upcoming_player_game_context u
  JOIN nba_reference.game_dates d ON d.game_date = u.game_date AND NOT d.is_bootstrap
  WHERE u.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  -- a player has one game a day; if the context ever holds two, keep one so the grain holds
  QUALIFY row_number() OVER (PARTITION BY u.player_lookup, u.game_date ORDER BY u.game_id) = 1
)

-- fragment: player-games
-- The target players' games with minutes this season, numbered in date order (seq), with season-to-date
-- running totals of the columns named in running_sums (cum_<x>, and games_with_<x> counting the games
-- where x is not NULL): read at his latest game before D they are the totals of all his games before D.
-- running_first_game_date is his first game of the season (what season totals read).
-- Needs: targets (player_lookup, season_year, game_date = D); game_rows, the columns of
--   nba_analytics.player_game_summary the processor reads, with player_lookup, season_year, game_id,
--   game_date and minutes_played.
-- Gives: player_games (the game_rows columns, seq, running totals, running_first_game_date), one row
--   per player and game.
player_games AS (
  SELECT g.*,
         sum(g.{{running_sum}}) OVER w AS cum_{{running_sum}},  -- for each running_sum in running_sums
         count(g.{{running_sum}}) OVER w AS games_with_{{running_sum}},  -- for each running_sum in running_sums
         min(g.game_date) OVER w AS running_first_game_date,
         -- (row_number takes no frame: its own window, the same order)
         row_number() OVER (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id) AS seq
  FROM game_rows g
  WHERE g.minutes_played > 0 AND g.season_year IN (SELECT DISTINCT season_year FROM targets)
    -- only the target players' games before the batch's last date are ever read; a window over
    -- (player, season) ordered by date is unchanged by dropping other players and later dates
    AND g.player_lookup IN (SELECT DISTINCT player_lookup FROM targets)
    AND g.game_date < (SELECT max(game_date) FROM targets)
  WINDOW w AS (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id ROWS UNBOUNDED PRECEDING)
)

-- fragment: team-games
-- The teams' games this season from a Phase 3 team summary, numbered in date order (seq).
-- Needs: team_keys (team_abbr, d, season_year), one row per team and D; team_game_rows, the columns of
--   a team game summary the processor reads, with team_abbr, season_year, game_id and game_date.
-- Gives: team_games (the team_game_rows columns, seq), one row per team and game.
team_games AS (
  SELECT g.*,
         row_number() OVER (PARTITION BY g.team_abbr, g.season_year ORDER BY g.game_date, g.game_id) AS seq
  FROM team_game_rows g
  WHERE g.season_year IN (SELECT DISTINCT season_year FROM team_keys)
    AND g.team_abbr IN (SELECT DISTINCT team_abbr FROM team_keys)
    AND g.game_date < (SELECT max(d) FROM team_keys)
)

-- fragment: games-before
-- THE AS-OF RULE for game history: for each key (entity, season, D), k = the number of its games this
-- season dated strictly before D, so the seq of its latest game before D (0: none). The games and the keys
-- are sorted together by date, each key before the games of its own date, and k is the running count of
-- games up to the key: one sort, where joining every earlier game to every key grows with both.
-- Params: entity (the entity column), keys (the CTE of keys), at (its date column), rows (the CTE of
--   numbered games: entity, season_year, game_date, seq), out (the name of the result).
-- Gives: <out> (entity, season_year, d, k), one row per key.
{{out}} AS (
  SELECT e.{{entity}}, e.season_year, e.game_date AS d, e.k
  FROM (
    SELECT u.{{entity}}, u.season_year, u.game_date, u.is_key,
           count(u.seq) OVER (PARTITION BY u.{{entity}}, u.season_year ORDER BY u.game_date, u.is_key DESC ROWS UNBOUNDED PRECEDING) AS k
    FROM (SELECT {{entity}}, season_year, game_date, seq, 0 AS is_key FROM {{rows}}
          UNION ALL
          SELECT {{entity}}, season_year, {{at}}, NULL, 1 FROM {{keys}}) u
  ) e
  WHERE e.is_key = 1
)

-- fragment: shortfall-causes
-- Why an entity has fewer games before D than a processor needs, so that real problems stand out:
--   1. inputs sufficient (games >= needed) yet the row is missing: REAL (a dependency row that should exist);
--   2. the calendar: the team has played fewer scheduled games before D than needed: EXPECTED;
--   3. a Phase 3 gap: the team has scheduled games before D with no rows in the Phase 3 summary the
--      count is read from (source): REAL, naming the games;
--   4. the player's own participation: the team's Phase 3 rows are complete and he appeared in fewer
--      games (joined late, injured, deep bench): EXPECTED. A team has no participation of its own, so
--      a team short of games with none missing is REAL.
-- The same facts classify a processor's own INSUFFICIENT_DATA and a downstream processor's missing
-- row of it (MISSING_DEPENDENCY, INCOMPLETE_DATA), so both say the same about the same cause.
-- The team's calendar is read as the game history is (games-before): the keys are sorted in among the
-- team's scheduled games, each before the games of its own date, and the running counts at a key are
-- the games before D and how many of them the source lacks.
-- Needs: shortfalls (chk, entity_kind 'player' | 'team', entity_id, team_abbr, d, season_year, games,
--   needed, source 'player_game_summary' | 'team_defense_game_summary'), one row per check; games may
--   be NULL for a team (then: its scheduled games present in source).
-- Gives: shortfall_causes (the shortfalls columns with games filled, team_games, missing_games,
--   is_expected, cause).
shortfall_keys AS (
  SELECT DISTINCT team_abbr, d, season_year, source FROM shortfalls
),
phase3_team_games AS (
  -- the team-games each Phase 3 summary holds: a scheduled game with no row for the team is a gap
  SELECT DISTINCT 'player_game_summary' AS source, team_abbr, season_year, game_id
  FROM nba_analytics.player_game_summary
  WHERE season_year IN (SELECT season_year FROM shortfall_keys WHERE source = 'player_game_summary')
    AND team_abbr IN (SELECT team_abbr FROM shortfall_keys WHERE source = 'player_game_summary')  -- only the shortfalls' teams are joined
  UNION ALL
  SELECT 'team_defense_game_summary', defending_team_abbr, season_year, game_id
  FROM nba_analytics.team_defense_game_summary
  WHERE season_year IN (SELECT season_year FROM shortfall_keys WHERE source = 'team_defense_game_summary')
    AND defending_team_abbr IN (SELECT team_abbr FROM shortfall_keys WHERE source = 'team_defense_game_summary')
),
shortfall_calendar AS (
  -- each source's view of the team's schedule and the keys in one date order, a key before the games
  -- of its own date (the as-of rule, as games-before reads it): at a key the running counts are the
  -- team's scheduled games before D and how many of them the source lacks; at a game the source
  -- lacks, the running count of gaps numbers it (the first five before D name the games)
  SELECT u.source, u.team_abbr, u.season_year, u.game_date, u.is_key, u.missing,
         count(u.game_id) OVER w AS team_games,
         sum(u.missing) OVER w AS missing_games
  FROM (
    SELECT c.source, s.team_abbr, s.season_year, s.game_date, s.game_id,
           CASE WHEN p.game_id IS NULL THEN 1 ELSE 0 END AS missing, 0 AS is_key
    FROM (SELECT DISTINCT team_abbr, season_year, source FROM shortfall_keys) c
    -- each scheduled game from both teams' sides (nba_reference.team_games without its numbering)
    JOIN (SELECT game_id, game_date, season_year, home_team_abbr AS team_abbr FROM nba_reference.schedule
          UNION ALL
          SELECT game_id, game_date, season_year, away_team_abbr FROM nba_reference.schedule) s
      ON s.team_abbr = c.team_abbr AND s.season_year = c.season_year
    LEFT JOIN phase3_team_games p
      ON p.source = c.source AND p.team_abbr = s.team_abbr AND p.season_year = s.season_year AND p.game_id = s.game_id
    -- games on or after the last D are never before any D
    WHERE s.game_date < (SELECT max(d) FROM shortfall_keys)
    UNION ALL
    SELECT source, team_abbr, season_year, d, NULL, 0, 1 FROM shortfall_keys
  ) u
  WINDOW w AS (PARTITION BY u.source, u.team_abbr, u.season_year ORDER BY u.game_date, u.is_key DESC, u.game_id ROWS UNBOUNDED PRECEDING)
),
shortfall_teams AS (
  SELECT k.team_abbr, k.d, k.source, k.team_games, k.missing_games, g.missing_dates
  FROM (SELECT team_abbr, season_year, source, game_date AS d, team_games, missing_games FROM shortfall_calendar WHERE is_key = 1) k
  LEFT JOIN (
    -- the first five gaps before D, in date order (only for the rare keys with gaps)
    SELECT k.team_abbr, k.game_date AS d, k.source, string_agg(CAST(m.game_date AS STRING), ', ' ORDER BY m.game_date) AS missing_dates
    FROM shortfall_calendar k
    JOIN shortfall_calendar m
      ON m.source = k.source AND m.team_abbr = k.team_abbr AND m.season_year = k.season_year
     AND m.is_key = 0 AND m.missing = 1 AND m.missing_games <= 5 AND m.game_date < k.game_date
    WHERE k.is_key = 1 AND k.missing_games > 0
    GROUP BY k.team_abbr, k.game_date, k.source
  ) g ON g.team_abbr = k.team_abbr AND g.d = k.d AND g.source = k.source
),
shortfall_facts AS (
  SELECT s.chk, s.entity_kind, s.entity_id, s.team_abbr, s.d, s.season_year, s.needed, s.source,
         coalesce(s.games, f.team_games - f.missing_games) AS games,
         f.team_games, f.missing_games, f.missing_dates
  FROM shortfalls s
  JOIN shortfall_teams f ON f.team_abbr = s.team_abbr AND f.d = s.d AND f.source = s.source
),
shortfall_causes AS (
  SELECT s.chk, s.entity_kind, s.entity_id, s.team_abbr, s.d, s.season_year, s.needed, s.source,
         s.games, s.team_games, s.missing_games,
         CASE
           WHEN games >= needed THEN false
           WHEN team_games < needed THEN true
           WHEN missing_games > 0 THEN false
           ELSE entity_kind = 'player'
         END AS is_expected,
         -- every part a STRING and never NULL (GoogleSQL's concat is NULL if any part is)
         CASE
           WHEN games >= needed THEN
             concat('inputs were sufficient (', CAST(games AS STRING), ' games, ', CAST(needed AS STRING), ' needed) yet the row is missing')
           WHEN team_games < needed THEN
             concat('early season: ', team_abbr, ' has played ', CAST(team_games AS STRING), ' of the ', CAST(needed AS STRING), ' games needed')
           WHEN missing_games > 0 THEN
             concat('Phase 3 missing ', CAST(missing_games AS STRING), ' of the ', CAST(team_games AS STRING), ' scheduled games of ', team_abbr,
                    ' before ', CAST(d AS STRING), ' in ', source, ' (', coalesce(missing_dates, ''),
                    CASE WHEN missing_games > 5 THEN ', ...' ELSE '' END, ')')
           WHEN entity_kind = 'player' THEN
             concat('player has ', CAST(games AS STRING), ' of the ', CAST(needed AS STRING), ' games needed (', team_abbr, ' has played ',
                    CAST(team_games AS STRING), ', Phase 3 complete)')
           ELSE
             concat(source, ' has ', CAST(games AS STRING), ' of the ', CAST(team_games AS STRING), ' scheduled games of ', team_abbr,
                    ' before ', CAST(d AS STRING), ' (', CAST(needed AS STRING), ' needed) although none is missing')
         END AS cause
  FROM shortfall_facts s
)
