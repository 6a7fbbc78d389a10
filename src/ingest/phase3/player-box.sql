-- Grain: one row per player per game played (appeared in a lineup, or recorded a non-foul stat),
-- by NBA person id, before name resolution. Counting rules follow data/README.md §2 (checked
-- against official NBA totals). Team totals ride along for the usage estimate and team tables.
CREATE OR REPLACE TEMP TABLE tmp_player_box AS
WITH ev AS (
  SELECT * FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
),
-- Minutes: clock time between consecutive events goes to the lineup of the earlier event; the
-- period's start and end go to its first and last lineups.
ordered AS (
  SELECT game_id, period, clock_seconds, players_on,
         lead(clock_seconds) OVER w AS next_clock,
         row_number() OVER w AS seq
  FROM ev
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
  SELECT game_id, person_id, sum(CAST(seconds AS DECIMAL(18, 3))) AS seconds
  FROM (SELECT game_id, unnest(players_on) AS person_id, seconds FROM segments)
  GROUP BY game_id, person_id
),
-- A player's team in a game: the team of his own events (every player who enters has at least a substitution).
player_team AS (
  SELECT game_id, person_id, mode(team_abbr) AS team_abbr
  FROM ev WHERE person_id > 0 AND team_abbr IS NOT NULL GROUP BY game_id, person_id
),
first_full_lineup AS (
  SELECT game_id, arg_min(players_on, (clock_seconds * -1, action_number)) AS players_on
  FROM ev WHERE period = 1 AND len(players_on) = 10 GROUP BY game_id
),
starters AS (
  SELECT game_id, unnest(players_on) AS person_id FROM first_full_lineup
),
shooting AS (
  SELECT game_id, person_id,
    count(*) FILTER (WHERE is_field_goal) AS fga,
    count(*) FILTER (WHERE is_field_goal AND shot_result = 'Made') AS fgm,
    count(*) FILTER (WHERE is_field_goal AND action_type = '3pt') AS fg3a,
    count(*) FILTER (WHERE is_field_goal AND action_type = '3pt' AND shot_result = 'Made') AS fg3m,
    count(*) FILTER (WHERE action_type = 'freethrow') AS fta,
    count(*) FILTER (WHERE action_type = 'freethrow' AND shot_result = 'Made') AS ftm,
    count(*) FILTER (WHERE is_field_goal AND action_type = '2pt' AND list_contains(qualifiers, 'pointsinthepaint')) AS paint_a,
    count(*) FILTER (WHERE is_field_goal AND action_type = '2pt' AND list_contains(qualifiers, 'pointsinthepaint') AND shot_result = 'Made') AS paint_m,
    count(*) FILTER (WHERE is_field_goal AND action_type = '2pt' AND NOT list_contains(qualifiers, 'pointsinthepaint')) AS mid_a,
    count(*) FILTER (WHERE is_field_goal AND action_type = '2pt' AND NOT list_contains(qualifiers, 'pointsinthepaint') AND shot_result = 'Made') AS mid_m,
    count(*) FILTER (WHERE is_field_goal AND shot_result = 'Made' AND assister_id > 0) AS assisted_m,
    -- Rebound descriptions carry running per-game counters: '(Off:1 Def:3)'.
    coalesce(max(TRY_CAST(regexp_extract(description, '\(Off:(\d+) Def:\d+\)', 1) AS INTEGER)) FILTER (WHERE action_type = 'rebound'), 0) AS oreb,
    coalesce(max(TRY_CAST(regexp_extract(description, '\(Off:\d+ Def:(\d+)\)', 1) AS INTEGER)) FILTER (WHERE action_type = 'rebound'), 0) AS dreb,
    count(*) FILTER (WHERE action_type = 'turnover') AS tov,
    count(*) FILTER (WHERE action_type = 'steal') AS stl,
    count(*) FILTER (WHERE action_type = 'block') AS blk,
    -- Personal fouls carry a '(n PF)' counter; technical, delay and defensive-3-second fouls do not.
    count(*) FILTER (WHERE action_type = 'foul' AND regexp_matches(description, '\(\d+ PF\)')) AS pf,
    count(*) FILTER (WHERE action_type IN ('2pt', '3pt', 'freethrow', 'rebound', 'turnover', 'steal', 'block')) AS non_foul_events
  FROM ev WHERE person_id > 0 GROUP BY game_id, person_id
),
assists AS (
  SELECT game_id, assister_id AS person_id, count(*) AS ast
  FROM ev WHERE is_field_goal AND shot_result = 'Made' AND assister_id > 0 GROUP BY game_id, assister_id
),
players AS (
  SELECT game_id, person_id FROM on_court WHERE seconds > 0
  UNION
  SELECT game_id, person_id FROM shooting WHERE non_foul_events > 0
  UNION
  SELECT game_id, person_id FROM assists
),
box AS (
  SELECT p.game_id, p.person_id, t.team_abbr,
         CAST(coalesce(oc.seconds, 0) AS DOUBLE) / 60.0 AS minutes, coalesce(oc.seconds, 0) AS on_court_seconds,
         coalesce(s.fga, 0) AS fga, coalesce(s.fgm, 0) AS fgm, coalesce(s.fg3a, 0) AS fg3a, coalesce(s.fg3m, 0) AS fg3m,
         coalesce(s.fta, 0) AS fta, coalesce(s.ftm, 0) AS ftm,
         coalesce(s.paint_a, 0) AS paint_a, coalesce(s.paint_m, 0) AS paint_m,
         coalesce(s.mid_a, 0) AS mid_a, coalesce(s.mid_m, 0) AS mid_m, coalesce(s.assisted_m, 0) AS assisted_m,
         coalesce(s.oreb, 0) AS oreb, coalesce(s.dreb, 0) AS dreb, coalesce(s.tov, 0) AS tov,
         coalesce(s.stl, 0) AS stl, coalesce(s.blk, 0) AS blk, coalesce(s.pf, 0) AS pf, coalesce(a.ast, 0) AS ast,
         st.person_id IS NOT NULL AS starter
  FROM players p
  JOIN player_team t USING (game_id, person_id)
  LEFT JOIN on_court oc USING (game_id, person_id)
  LEFT JOIN shooting s USING (game_id, person_id)
  LEFT JOIN assists a USING (game_id, person_id)
  LEFT JOIN starters st USING (game_id, person_id)
),
team_totals AS (
  -- Team turnovers (shot clock etc.) have no player but count toward usage's team possessions.
  SELECT b.game_id, b.team_abbr, CAST(sum(b.on_court_seconds) AS DOUBLE) / 60.0 AS minutes, sum(b.fga) AS fga, sum(b.fta) AS fta,
         sum(b.tov) + coalesce(any_value(tt.team_tov), 0) AS tov
  FROM box b
  LEFT JOIN (SELECT game_id, team_abbr, count(*) AS team_tov FROM ev
             WHERE action_type = 'turnover' AND coalesce(person_id, 0) = 0 GROUP BY ALL) tt USING (game_id, team_abbr)
  GROUP BY b.game_id, b.team_abbr
)
SELECT b.* EXCLUDE (on_court_seconds), tt.minutes AS team_minutes, tt.fga AS team_fga, tt.fta AS team_fta, tt.tov AS team_tov,
       tt.tov - sum(b.tov) OVER (PARTITION BY b.game_id, b.team_abbr) AS team_only_tov
FROM box b JOIN team_totals tt ON tt.game_id = b.game_id AND tt.team_abbr = b.team_abbr;
