-- Grain: one row per player per game played (appeared in a lineup, or recorded a non-foul stat),
-- by NBA person id, before name resolution. Counting rules follow data/README.md §2 (checked
-- against official NBA totals). Team totals ride along for the usage estimate and team tables.
-- Each CTE reads nba_raw.play_by_play itself, with the same date filter and only the columns it
-- needs: one shared CTE of the events, read by several, is materialised by DuckDB with every column
-- (about half of this statement's time).
CREATE OR REPLACE TEMP TABLE tmp_player_box AS
WITH
-- Minutes: clock time between consecutive events goes to the lineup of the earlier event; the
-- period's start and end go to its first and last lineups.
ordered AS (
  SELECT game_id, period, clock_seconds, players_on,
         lead(clock_seconds) OVER w AS next_clock,
         row_number() OVER w AS seq
  FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  WINDOW w AS (PARTITION BY game_id, period ORDER BY clock_seconds DESC, action_number)
),
segments AS (
  SELECT game_id, players_on,
         (CASE WHEN seq = 1 THEN (CASE WHEN period <= 4 THEN 720 ELSE 300 END) - clock_seconds ELSE 0 END)
         + clock_seconds - coalesce(next_clock, 0) AS seconds
  FROM ordered
),
on_court AS (
  -- Clocks are in hundredths: summing exact decimals makes the total independent of the (parallel,
  -- unordered) summation order, so a minutes value on a rounding boundary cannot flip between runs.
  -- A segment of no time adds nothing to any sum (a player left with none is no different from one
  -- never on court: the box reads seconds > 0, and 0 for a player without a row): about 40% of
  -- events share their clock with the next, and grouping by the lineup list is the costly part.
  SELECT l.game_id, person_id, sum(l.seconds) AS seconds
  FROM (SELECT game_id, players_on, sum(CAST(seconds AS NUMERIC(18, 3))) AS seconds FROM segments WHERE seconds <> 0 GROUP BY game_id, players_on) l
  CROSS JOIN {{unnest_as(l.players_on, person_id)}}
  GROUP BY l.game_id, person_id
),
-- A player's team in a game: the team of most of his own events (every player who enters has at least a substitution).
player_team AS (
  SELECT game_id, person_id, team_abbr FROM (
    SELECT game_id, person_id, team_abbr, row_number() OVER (PARTITION BY game_id, person_id ORDER BY count(*) DESC, team_abbr) AS choice
    FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND person_id > 0 AND team_abbr IS NOT NULL GROUP BY game_id, person_id, team_abbr
  ) counted WHERE choice = 1
),
first_full_lineup AS (
  SELECT game_id, players_on FROM (
    SELECT game_id, players_on, row_number() OVER (PARTITION BY game_id ORDER BY clock_seconds DESC, action_number) AS seq
    FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND period = 1 AND array_length(players_on) = 10
  ) lineups WHERE seq = 1
),
starters AS (
  SELECT f.game_id, person_id FROM first_full_lineup f CROSS JOIN {{unnest_as(f.players_on, person_id)}}
),
shooting AS (
  SELECT game_id, person_id,
    count(CASE WHEN is_field_goal THEN 1 END) AS fga,
    count(CASE WHEN is_field_goal AND shot_result = 'Made' THEN 1 END) AS fgm,
    count(CASE WHEN is_field_goal AND action_type = '3pt' THEN 1 END) AS fg3a,
    count(CASE WHEN is_field_goal AND action_type = '3pt' AND shot_result = 'Made' THEN 1 END) AS fg3m,
    count(CASE WHEN action_type = 'freethrow' THEN 1 END) AS fta,
    count(CASE WHEN action_type = 'freethrow' AND shot_result = 'Made' THEN 1 END) AS ftm,
    count(CASE WHEN is_field_goal AND action_type = '2pt' AND in_paint THEN 1 END) AS paint_a,
    count(CASE WHEN is_field_goal AND action_type = '2pt' AND in_paint AND shot_result = 'Made' THEN 1 END) AS paint_m,
    count(CASE WHEN is_field_goal AND action_type = '2pt' AND NOT in_paint THEN 1 END) AS mid_a,
    count(CASE WHEN is_field_goal AND action_type = '2pt' AND NOT in_paint AND shot_result = 'Made' THEN 1 END) AS mid_m,
    count(CASE WHEN is_field_goal AND shot_result = 'Made' AND assister_id > 0 THEN 1 END) AS assisted_m,
    -- Rebound descriptions carry running per-game counters: '(Off:1 Def:3)' (rebound_counters, below).
    coalesce(max(CAST(substr(rebound_counters, 6, strpos(rebound_counters, ' ') - 6) AS INT64)), 0) AS oreb,
    coalesce(max(CAST(substr(rebound_counters, strpos(rebound_counters, 'Def:') + 4, length(rebound_counters) - strpos(rebound_counters, 'Def:') - 4) AS INT64)), 0) AS dreb,
    count(CASE WHEN action_type = 'turnover' THEN 1 END) AS tov,
    count(CASE WHEN action_type = 'steal' THEN 1 END) AS stl,
    count(CASE WHEN action_type = 'block' THEN 1 END) AS blk,
    -- Personal fouls carry a '(n PF)' counter; technical, delay and defensive-3-second fouls do not.
    -- (a match is found where removing it changes the text: the same on both engines)
    count(CASE WHEN action_type = 'foul' AND regexp_replace(description, '[(][0-9]+ PF[)]', '') <> description THEN 1 END) AS pf,
    count(CASE WHEN action_type IN ('2pt', '3pt', 'freethrow', 'rebound', 'turnover', 'steal', 'block') THEN 1 END) AS non_foul_events
  FROM (
    -- NBA's own paint tag (also on misses). A rebound's counters are its description's first
    -- '(Off:n Def:m)', matched whole (one regular expression per rebound: a capture group costs the
    -- engine a slower matcher, and two groups two passes); n and m are then cut out by position.
    SELECT game_id, person_id, action_type, description, shot_result, is_field_goal, assister_id,
           {{array_contains(qualifiers, 'pointsinthepaint')}} AS in_paint,
           CASE WHEN action_type = 'rebound' THEN NULLIF(regexp_extract(description, '[(]Off:[0-9]+ Def:[0-9]+[)]'), '') END AS rebound_counters
    FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND person_id > 0
  ) e
  GROUP BY game_id, person_id
),
assists AS (
  SELECT game_id, assister_id AS person_id, count(*) AS ast
  FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND is_field_goal AND shot_result = 'Made' AND assister_id > 0 GROUP BY game_id, assister_id
),
players AS (
  SELECT game_id, person_id FROM on_court WHERE seconds > 0
  UNION DISTINCT
  SELECT game_id, person_id FROM shooting WHERE non_foul_events > 0
  UNION DISTINCT
  SELECT game_id, person_id FROM assists
),
box AS (
  SELECT p.game_id, p.person_id, t.team_abbr,
         -- DOUBLE on both engines: a decimal divided by 60.0 (a DECIMAL literal on DuckDB, FLOAT64 on BigQuery)
         coalesce(oc.seconds, 0) / 60.0 AS minutes, coalesce(oc.seconds, 0) AS on_court_seconds,
         coalesce(s.fga, 0) AS fga, coalesce(s.fgm, 0) AS fgm, coalesce(s.fg3a, 0) AS fg3a, coalesce(s.fg3m, 0) AS fg3m,
         coalesce(s.fta, 0) AS fta, coalesce(s.ftm, 0) AS ftm,
         coalesce(s.paint_a, 0) AS paint_a, coalesce(s.paint_m, 0) AS paint_m,
         coalesce(s.mid_a, 0) AS mid_a, coalesce(s.mid_m, 0) AS mid_m, coalesce(s.assisted_m, 0) AS assisted_m,
         coalesce(s.oreb, 0) AS oreb, coalesce(s.dreb, 0) AS dreb, coalesce(s.tov, 0) AS tov,
         coalesce(s.stl, 0) AS stl, coalesce(s.blk, 0) AS blk, coalesce(s.pf, 0) AS pf, coalesce(a.ast, 0) AS ast,
         st.person_id IS NOT NULL AS starter
  FROM players p
  JOIN player_team t ON t.game_id = p.game_id AND t.person_id = p.person_id
  LEFT JOIN on_court oc ON oc.game_id = p.game_id AND oc.person_id = p.person_id
  LEFT JOIN shooting s ON s.game_id = p.game_id AND s.person_id = p.person_id
  LEFT JOIN assists a ON a.game_id = p.game_id AND a.person_id = p.person_id
  LEFT JOIN starters st ON st.game_id = p.game_id AND st.person_id = p.person_id
),
team_totals AS (
  -- Team turnovers (shot clock etc.) have no player but count toward usage's team possessions.
  SELECT b.game_id, b.team_abbr, sum(b.on_court_seconds) / 60.0 AS minutes, sum(b.fga) AS fga, sum(b.fta) AS fta,
         sum(b.tov) + coalesce(any_value(tt.team_tov), 0) AS tov
  FROM box b
  LEFT JOIN (SELECT game_id, team_abbr, count(*) AS team_tov FROM nba_raw.play_by_play
             WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND action_type = 'turnover' AND coalesce(person_id, 0) = 0 GROUP BY game_id, team_abbr) tt
    ON tt.game_id = b.game_id AND tt.team_abbr = b.team_abbr
  GROUP BY b.game_id, b.team_abbr
)
SELECT b.game_id, b.person_id, b.team_abbr, b.minutes, b.fga, b.fgm, b.fg3a, b.fg3m, b.fta, b.ftm, b.paint_a, b.paint_m,
       b.mid_a, b.mid_m, b.assisted_m, b.oreb, b.dreb, b.tov, b.stl, b.blk, b.pf, b.ast, b.starter,
       tt.minutes AS team_minutes, tt.fga AS team_fga, tt.fta AS team_fta, tt.tov AS team_tov,
       tt.tov - sum(b.tov) OVER (PARTITION BY b.game_id, b.team_abbr) AS team_only_tov
FROM box b JOIN team_totals tt ON tt.game_id = b.game_id AND tt.team_abbr = b.team_abbr
-- in game order: the tables written from it (keyed by player and game) take their rows fastest in order
ORDER BY b.game_id, b.person_id;
