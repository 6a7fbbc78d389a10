-- Grain: one row per game. Derived from the play-by-play: the home team is the one whose scoring
-- events move score_home (the v3 feed carries both running scores on every event).
INSERT INTO nba_reference.schedule (game_id, game_date, season_year, home_team_abbr, away_team_abbr, home_points, away_points, ot_periods, processed_at, run_id)
WITH scoring AS (
  SELECT game_id, team_abbr, opponent_team_abbr,
         score_home - lag(score_home, 1, 0) OVER w AS home_delta,
         score_away - lag(score_away, 1, 0) OVER w AS away_delta
  FROM nba_raw.play_by_play
  WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND shot_result = 'Made'
  WINDOW w AS (PARTITION BY game_id ORDER BY period, clock_seconds DESC, action_number)
),
home_votes AS (
  SELECT game_id, team_abbr, sum(home_delta) - sum(away_delta) AS home_score_moves
  FROM scoring GROUP BY game_id, team_abbr
),
home AS (
  SELECT game_id, team_abbr AS home_team_abbr FROM (
    SELECT game_id, team_abbr, row_number() OVER (PARTITION BY game_id ORDER BY home_score_moves DESC, team_abbr) AS vote
    FROM home_votes
  ) ranked WHERE vote = 1
),
games AS (
  SELECT game_id, min(game_date) AS game_date, min(season_year) AS season_year, max(period) AS last_period,
         -- Running scores only grow; the last event by number can carry a stale score (a block logged after a free throw).
         max(score_home) AS home_points,
         max(score_away) AS away_points
  FROM nba_raw.play_by_play
  WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  GROUP BY game_id
),
away AS (  -- the game's other team
  SELECT e.game_id, min(e.team_abbr) AS away_team_abbr
  FROM nba_raw.play_by_play e JOIN home h ON h.game_id = e.game_id
  WHERE e.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND e.team_abbr <> h.home_team_abbr
  GROUP BY e.game_id
)
SELECT g.game_id, g.game_date, g.season_year, h.home_team_abbr, a.away_team_abbr,
       g.home_points, g.away_points, greatest(g.last_period - 4, 0),
       CAST(current_timestamp AS TIMESTAMP), $run_id
FROM games g JOIN home h ON h.game_id = g.game_id LEFT JOIN away a ON a.game_id = g.game_id;
