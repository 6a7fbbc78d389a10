-- SQL fragments shared by the Phase 4 processors: which players a row is computed for, and what a
-- row for date D may read of the past. THE AS-OF RULE lives here: a row for D reads only games
-- dated strictly before D, in D's season.
--
-- A processor's SQL includes a fragment with a line `-- include: <fragment>(<param>=<value>, ...)`,
-- placed after a CTE (it stands for `, <the fragment's CTEs>`) or right after `WITH`. {{param}} is
-- replaced by its value (an integer or a column name); a line ending `-- for each x in xs` is
-- repeated for each name in the list `xs`, with {{x}} replaced by that name (no line if the list is
-- not given). See sql-file.ts.

-- fragment: player-targets
-- The players of upcoming_player_game_context on each non-bootstrap game date D in [$from, $to]:
-- the rows a player processor computes.
-- Gives: targets (the context's columns; game_date = D), one row per player and D.
targets AS (
  SELECT u.*
  FROM nba_analytics.upcoming_player_game_context u
  JOIN nba_reference.game_dates d ON d.game_date = u.game_date AND NOT d.is_bootstrap
  WHERE u.game_date BETWEEN $from::DATE AND $to::DATE
  -- a player has one game a day; if the context ever holds two, keep one so the grain holds
  QUALIFY row_number() OVER (PARTITION BY u.player_lookup, u.game_date ORDER BY u.game_id) = 1
)

-- fragment: player-last-games
-- Each target player's last {{n}} games with minutes before D this season (n = 1 is the latest), and
-- his season-to-date running totals of the columns named in running_sums (cum_<x>, and games_with_<x>
-- counting the games where x is not NULL), which read at n = 1 are the totals of all k games before D;
-- running_first_game_date is the first game those totals read (for source_first_game_date).
-- Needs: targets (player_lookup, season_year, game_date = D); game_rows, the columns of
--   nba_analytics.player_game_summary the processor reads, with player_lookup, season_year, game_id,
--   game_date and minutes_played.
-- Gives: history (player_lookup, d, k = games before D, n, the game_rows columns, running totals and
--   running_first_game_date).
player_games AS (
  -- numbered within the season, so that "the last N games before D" is an equality join on seq
  -- (much cheaper than ranking every (player, D, game) triple)
  SELECT g.*,
         sum(g.{{running_sum}}) OVER w AS cum_{{running_sum}},  -- for each running_sum in running_sums
         count(g.{{running_sum}}) OVER w AS games_with_{{running_sum}},  -- for each running_sum in running_sums
         min(g.game_date) OVER w AS running_first_game_date,
         row_number() OVER w AS seq
  FROM game_rows g
  WHERE g.minutes_played > 0 AND g.season_year IN (SELECT DISTINCT season_year FROM targets)
    -- only the target players' games before the batch's last date are ever read; a window over
    -- (player, season) ordered by date is unchanged by dropping other players and later dates
    AND g.player_lookup IN (SELECT DISTINCT player_lookup FROM targets)
    AND g.game_date < (SELECT max(game_date) FROM targets)
  WINDOW w AS (PARTITION BY g.player_lookup, g.season_year ORDER BY g.game_date, g.game_id ROWS UNBOUNDED PRECEDING)
),
counted AS (
  -- k = games before D: the as-of rule (strictly earlier dates)
  SELECT t.player_lookup, t.game_date AS d, t.season_year, count(g.seq) AS k
  FROM targets t
  LEFT JOIN player_games g ON g.player_lookup = t.player_lookup AND g.season_year = t.season_year AND g.game_date < t.game_date
  GROUP BY t.player_lookup, t.game_date, t.season_year
),
wanted AS (
  -- the seq numbers of the last {{n}} games before D; n = 1 is the latest
  SELECT c.*, o.n, c.k - o.n + 1 AS seq
  FROM counted c
  CROSS JOIN range(1, {{n}} + 1) o(n)
  WHERE o.n <= c.k
),
history AS (
  SELECT w.player_lookup, w.d, w.k, w.n, g.* EXCLUDE (player_lookup, season_year, seq)
  FROM wanted w
  JOIN player_games g ON g.player_lookup = w.player_lookup AND g.season_year = w.season_year AND g.seq = w.seq
)

-- fragment: team-games-before
-- Every game of each team before D this season, newest first (n = 1 is the latest).
-- Needs: team_keys (team_abbr, d, season_year), one row per team and D; team_game_rows, the columns of
--   a team game summary the processor reads, with team_abbr, season_year, game_id and game_date.
-- Gives: team_history (team_abbr, d, n, the team_game_rows columns).
team_history AS (
  SELECT k.team_abbr, k.d, g.* EXCLUDE (team_abbr, season_year),
         row_number() OVER (PARTITION BY k.team_abbr, k.d ORDER BY g.game_date DESC, g.game_id DESC) AS n
  FROM team_keys k
  JOIN team_game_rows g ON g.team_abbr = k.team_abbr AND g.season_year = k.season_year AND g.game_date < k.d
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
-- Needs: shortfalls (chk, entity_kind 'player' | 'team', entity_id, team_abbr, d, season_year, games,
--   needed, source 'player_game_summary' | 'team_defense_game_summary'), one row per check; games may
--   be NULL for a team (then: its scheduled games present in source).
-- Gives: shortfall_causes (the shortfalls columns with games filled, team_games, missing_games,
--   is_expected, cause).
phase3_team_games AS (
  -- the team-games each Phase 3 summary holds: a scheduled game with no row for the team is a gap
  SELECT DISTINCT 'player_game_summary' AS source, team_abbr, season_year, game_id
  FROM nba_analytics.player_game_summary
  WHERE season_year IN (SELECT DISTINCT season_year FROM shortfalls)
    AND team_abbr IN (SELECT DISTINCT team_abbr FROM shortfalls)  -- only the shortfalls' teams are joined
  UNION ALL
  SELECT 'team_defense_game_summary', defending_team_abbr, season_year, game_id
  FROM nba_analytics.team_defense_game_summary
  WHERE season_year IN (SELECT DISTINCT season_year FROM shortfalls)
    AND defending_team_abbr IN (SELECT DISTINCT team_abbr FROM shortfalls)
),
shortfall_teams AS (
  -- the team's calendar before D (as-of: strictly earlier dates) and what the source lacks of it
  SELECT k.team_abbr, k.d, k.source,
         count(s.game_id) AS team_games,
         count(s.game_id) FILTER (WHERE p.game_id IS NULL) AS missing_games,
         list(s.game_date ORDER BY s.game_date) FILTER (WHERE p.game_id IS NULL) AS missing_dates
  FROM (SELECT DISTINCT team_abbr, d, season_year, source FROM shortfalls) k
  LEFT JOIN nba_reference.team_games s ON s.team_abbr = k.team_abbr AND s.season_year = k.season_year AND s.game_date < k.d
  LEFT JOIN phase3_team_games p
    ON p.source = k.source AND p.team_abbr = s.team_abbr AND p.season_year = s.season_year AND p.game_id = s.game_id
  GROUP BY k.team_abbr, k.d, k.source
),
shortfall_facts AS (
  SELECT s.* EXCLUDE (games), coalesce(s.games, f.team_games - f.missing_games) AS games,
         f.team_games, f.missing_games, f.missing_dates
  FROM shortfalls s
  JOIN shortfall_teams f ON f.team_abbr = s.team_abbr AND f.d = s.d AND f.source = s.source
),
shortfall_causes AS (
  SELECT s.* EXCLUDE (missing_dates),
         CASE
           WHEN games >= needed THEN false
           WHEN team_games < needed THEN true
           WHEN missing_games > 0 THEN false
           ELSE entity_kind = 'player'
         END AS is_expected,
         CASE
           WHEN games >= needed THEN
             concat('inputs were sufficient (', games, ' games, ', needed, ' needed) yet the row is missing')
           WHEN team_games < needed THEN
             concat('early season: ', team_abbr, ' has played ', team_games, ' of the ', needed, ' games needed')
           WHEN missing_games > 0 THEN
             concat('Phase 3 missing ', missing_games, ' of ', team_abbr, '''s ', team_games, ' scheduled games before ', d,
                    ' in ', source, ' (', array_to_string(list_slice(missing_dates, 1, 5), ', '),
                    CASE WHEN missing_games > 5 THEN ', ...' ELSE '' END, ')')
           WHEN entity_kind = 'player' THEN
             concat('player has ', games, ' of the ', needed, ' games needed (', team_abbr, ' has played ', team_games,
                    ', Phase 3 complete)')
           ELSE
             concat(source, ' has ', games, ' of ', team_abbr, '''s ', team_games, ' scheduled games before ', d,
                    ' (', needed, ' needed) although none is missing')
         END AS cause
  FROM shortfall_facts s
)
