// DDL for the raw, reference and Phase 3 (analytics) layers. Column names are the prior art's:
// users' queries rely on them (SYSTEM.md §2). Every analytics row carries processed_at and run_id.
// One text for both engines: views use only portable SQL and dialect pieces (the BigQuery renderer
// maps types, keys and layouts); views and tables are made here, by migrate, never inside an ingest
// (BigQuery runs no DDL inside a transaction).
import { PLAYER_NAME_RESOLUTION_DDL } from './registry/resolution.js';

/** The schedule and the Phase 3 tables (what Phase 4 reads of ingest's output). */
export const PHASE3_TABLES = [
  'nba_reference.schedule',
  'nba_analytics.player_game_summary',
  'nba_analytics.team_offense_game_summary',
  'nba_analytics.team_defense_game_summary',
  'nba_analytics.upcoming_player_game_context',
  'nba_analytics.upcoming_team_game_context',
] as const;

export const INGEST_DDL = `
CREATE SCHEMA IF NOT EXISTS nba_raw;
CREATE SCHEMA IF NOT EXISTS nba_reference;
CREATE SCHEMA IF NOT EXISTS nba_analytics;
CREATE SCHEMA IF NOT EXISTS nba_processing;

-- One row per play-by-play event, deduplicated at load.
CREATE TABLE IF NOT EXISTS nba_raw.play_by_play (
  game_id VARCHAR NOT NULL,          -- NBA id with leading 00, e.g. 0022100001
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,      -- 2021 = 2021-22
  team_abbr VARCHAR,                 -- team of the event (tricode)
  opponent_team_abbr VARCHAR,
  team_id BIGINT,
  period INTEGER NOT NULL,
  clock_seconds DOUBLE NOT NULL,     -- time left in the period, seconds
  action_number INTEGER NOT NULL,
  action_type VARCHAR,
  description VARCHAR,
  qualifiers VARCHAR[],
  player_name VARCHAR,
  person_id BIGINT,
  score_home INTEGER,
  score_away INTEGER,
  shot_result VARCHAR,
  is_field_goal BOOLEAN,
  assisted BOOLEAN,
  assister_id BIGINT,
  foul_drawn_person_id BIGINT,
  steal_person_id BIGINT,
  block_person_id BIGINT,
  players_on BIGINT[],
  source_file VARCHAR NOT NULL,
  loaded_at TIMESTAMP NOT NULL
  -- unique on (game_id, action_number): guaranteed by the deduplicating load and checked by a test;
  -- no index, since maintaining one costs more than the whole load.
);

-- Game betting lines (kyleskom): one row per game, keyed by date + team names as the source has no ids.
CREATE TABLE IF NOT EXISTS nba_raw.game_odds (
  game_date DATE NOT NULL,
  season_label VARCHAR NOT NULL,
  home_team_name VARCHAR NOT NULL,
  away_team_name VARCHAR NOT NULL,
  home_team_abbr VARCHAR,            -- resolved through the team registry; NULL = unresolved (tracked)
  away_team_abbr VARCHAR,
  game_total DOUBLE,                 -- OU
  spread DOUBLE,
  ml_home INTEGER,
  ml_away INTEGER,
  final_points INTEGER,
  home_win_margin INTEGER,
  source_file VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  loaded_at TIMESTAMP NOT NULL
);

-- Player prop lines (betfinder snapshots): one side of one market at snapshot time.
CREATE TABLE IF NOT EXISTS nba_raw.player_prop_lines (
  snapshot_utc TIMESTAMP NOT NULL,
  source_commit VARCHAR NOT NULL,
  prop VARCHAR NOT NULL,
  game_date DATE NOT NULL,           -- US game date (tip-off UTC minus 5 h)
  tipoff_utc TIMESTAMP,
  player_name VARCHAR NOT NULL,      -- as the sportsbook wrote it
  team_abbr VARCHAR,
  opponent_team_abbr VARCHAR,
  home_team_abbr VARCHAR,
  away_team_abbr VARCHAR,
  side VARCHAR,                      -- over / under
  line DOUBLE,
  draftkings DOUBLE,
  fanduel DOUBLE,
  pointsbet DOUBLE,
  source_file VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  loaded_at TIMESTAMP NOT NULL
);

-- Names as each source spells them, with the source's own id where it has one.
CREATE TABLE IF NOT EXISTS nba_raw.player_name_sources (
  source VARCHAR NOT NULL,           -- commonplayerinfo | shotchart | betfinder | pbp
  source_player_id BIGINT,
  name VARCHAR NOT NULL,
  season_label VARCHAR,
  extra JSON,
  loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS nba_raw.load_log (
  run_id VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  target_table VARCHAR NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  duplicates_dropped BIGINT NOT NULL,
  loaded_at TIMESTAMP NOT NULL
);

-- Every game of the season, derived from the play-by-play.
CREATE TABLE IF NOT EXISTS nba_reference.schedule (
  game_id VARCHAR PRIMARY KEY,
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  home_team_abbr VARCHAR NOT NULL,
  away_team_abbr VARCHAR NOT NULL,
  home_points INTEGER,
  away_points INTEGER,
  ot_periods INTEGER,
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);

-- Partition calendar for Phase 4: every game date, its season opener and whether it is bootstrap
-- (the first 14 days after the opener are empty by design, SYSTEM.md §3).
CREATE OR REPLACE VIEW nba_reference.game_dates AS
SELECT game_date, season_year, games, season_opener,
       {{day_diff(game_date, season_opener)}} AS days_since_opener,
       {{day_diff(game_date, season_opener)}} < 14 AS is_bootstrap
FROM (
  SELECT game_date, season_year, count(*) AS games,
         min(game_date) OVER (PARTITION BY season_year) AS season_opener
  FROM nba_reference.schedule GROUP BY game_date, season_year
) dates;

-- Every game from each team's side, numbered within the team's season, with its days of rest
-- (days since the team's previous game; NULL for its first). Grain: team × game.
CREATE OR REPLACE VIEW nba_reference.team_games AS
SELECT game_id, game_date, season_year, team_abbr, opponent_team_abbr, home_game,
       row_number() OVER w AS team_game_no,
       {{day_diff(game_date, lag(game_date) OVER w)}} AS days_rest
FROM (SELECT game_id, game_date, season_year, home_team_abbr AS team_abbr, away_team_abbr AS opponent_team_abbr, true AS home_game
      FROM nba_reference.schedule
      UNION ALL
      SELECT game_id, game_date, season_year, away_team_abbr, home_team_abbr, false FROM nba_reference.schedule) sides
WINDOW w AS (PARTITION BY season_year, team_abbr ORDER BY game_date, game_id);

CREATE TABLE IF NOT EXISTS nba_reference.teams (
  team_abbr VARCHAR PRIMARY KEY,
  team_id BIGINT,
  team_name VARCHAR
);

CREATE TABLE IF NOT EXISTS nba_reference.team_aliases (
  alias VARCHAR PRIMARY KEY,         -- e.g. 'Charlotte Bobcats'
  team_abbr VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS nba_reference.nba_players_registry (
  universal_player_id BIGINT PRIMARY KEY,   -- NBA person id
  player_lookup VARCHAR NOT NULL,
  player_name VARCHAR NOT NULL,             -- official display name (first last)
  display_fi_last VARCHAR,                  -- 'T. Young'
  name_source VARCHAR NOT NULL,
  birthdate DATE,
  seasons VARCHAR[],
  processed_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS nba_reference.player_aliases (
  alias_lookup VARCHAR NOT NULL,            -- player_lookup of the alias spelling
  alias_name VARCHAR NOT NULL,
  canonical_lookup VARCHAR NOT NULL,        -- player_lookup in the registry
  universal_player_id BIGINT NOT NULL,
  alias_source VARCHAR NOT NULL,            -- betfinder | shotchart | manual ...
  is_active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (alias_lookup)
);

CREATE TABLE IF NOT EXISTS nba_processing.registry_failures (
  player_lookup VARCHAR NOT NULL,           -- the name as seen, normalised
  raw_name VARCHAR,
  game_date DATE NOT NULL,
  processor_name VARCHAR NOT NULL,
  team_abbr VARCHAR,
  season VARCHAR,
  game_id VARCHAR,
  created_at TIMESTAMP NOT NULL,
  resolved_at TIMESTAMP,
  reprocessed_at TIMESTAMP,
  occurrence_count INTEGER NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (player_lookup, game_date, processor_name)
);

-- Phase 3. Grain: one row per player per game played.
CREATE TABLE IF NOT EXISTS nba_analytics.player_game_summary (
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  player_name VARCHAR NOT NULL,
  game_id VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  home_game BOOLEAN NOT NULL,
  starter_flag BOOLEAN NOT NULL,
  minutes_played DOUBLE NOT NULL,
  points INTEGER NOT NULL,
  fg_attempts INTEGER NOT NULL, fg_makes INTEGER NOT NULL,
  three_pt_attempts INTEGER NOT NULL, three_pt_makes INTEGER NOT NULL,
  ft_attempts INTEGER NOT NULL, ft_makes INTEGER NOT NULL,
  paint_attempts INTEGER NOT NULL, paint_makes INTEGER NOT NULL,
  mid_range_attempts INTEGER NOT NULL, mid_range_makes INTEGER NOT NULL,
  assisted_fg_makes INTEGER NOT NULL, unassisted_fg_makes INTEGER NOT NULL,
  offensive_rebounds INTEGER NOT NULL, defensive_rebounds INTEGER NOT NULL, total_rebounds INTEGER NOT NULL,
  assists INTEGER NOT NULL, turnovers INTEGER NOT NULL, steals INTEGER NOT NULL, blocks INTEGER NOT NULL,
  personal_fouls INTEGER NOT NULL,
  usage_rate DOUBLE,                 -- estimated (Basketball-Reference formula), percent
  ts_pct DOUBLE,                     -- fraction
  win_flag BOOLEAN NOT NULL,
  is_active BOOLEAN NOT NULL,
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (player_lookup, game_id)
);

-- Grain: one row per team per game (the team on offence).
CREATE TABLE IF NOT EXISTS nba_analytics.team_offense_game_summary (
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  game_id VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  home_game BOOLEAN NOT NULL,
  points INTEGER NOT NULL,
  opponent_points INTEGER NOT NULL,
  fg_attempts INTEGER NOT NULL, fg_makes INTEGER NOT NULL,
  three_pt_attempts INTEGER NOT NULL, three_pt_makes INTEGER NOT NULL,
  ft_attempts INTEGER NOT NULL, ft_makes INTEGER NOT NULL,
  offensive_rebounds INTEGER NOT NULL, defensive_rebounds INTEGER NOT NULL,
  assists INTEGER NOT NULL, turnovers INTEGER NOT NULL,
  possessions DOUBLE NOT NULL,       -- FGA - OREB + TOV + 0.44 * FTA
  minutes_played DOUBLE NOT NULL,    -- team minutes / 5 (48 + 5 per OT)
  ot_periods INTEGER NOT NULL,
  pace DOUBLE NOT NULL,              -- possessions per 48 minutes (mean of both teams)
  offensive_rating DOUBLE NOT NULL,  -- points per 100 possessions
  win_flag BOOLEAN NOT NULL,
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (team_abbr, game_id)
);

-- Grain: one row per defending team per game (what the opponent did against it).
CREATE TABLE IF NOT EXISTS nba_analytics.team_defense_game_summary (
  defending_team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  game_id VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  home_game BOOLEAN NOT NULL,
  points_allowed INTEGER NOT NULL,
  opp_fg_attempts INTEGER NOT NULL, opp_fg_makes INTEGER NOT NULL,
  opp_paint_attempts INTEGER NOT NULL, opp_paint_makes INTEGER NOT NULL,
  opp_mid_range_attempts INTEGER NOT NULL, opp_mid_range_makes INTEGER NOT NULL,
  opp_three_pt_attempts INTEGER NOT NULL, opp_three_pt_makes INTEGER NOT NULL,
  opp_paint_points INTEGER NOT NULL,
  blocks_paint INTEGER NOT NULL, blocks_mid_range INTEGER NOT NULL, blocks_three_pt INTEGER NOT NULL,
  steals INTEGER NOT NULL,
  defensive_rating DOUBLE NOT NULL,  -- points allowed per 100 opponent possessions
  opponent_pace DOUBLE NOT NULL,
  win_flag BOOLEAN NOT NULL,
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (defending_team_abbr, game_id)
);

-- Grain: one row per player per scheduled game on game_date, pre-game (games strictly before game_date).
CREATE TABLE IF NOT EXISTS nba_analytics.upcoming_player_game_context (
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  game_id VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  home_game BOOLEAN NOT NULL,
  days_rest INTEGER,                 -- days since the player's previous game (NULL = none this season)
  back_to_back BOOLEAN NOT NULL,
  games_in_last_7_days INTEGER NOT NULL,
  games_in_last_14_days INTEGER NOT NULL,
  minutes_in_last_7_days DOUBLE NOT NULL,
  minutes_in_last_14_days DOUBLE NOT NULL,
  avg_minutes_per_game_last_7 DOUBLE,
  back_to_backs_last_14_days INTEGER NOT NULL,
  opponent_days_rest INTEGER,
  team_days_rest INTEGER,
  player_age DOUBLE,                 -- years, 2 dp (display)
  player_age_years INTEGER,          -- completed years on game_date: what age thresholds compare
  player_status VARCHAR,             -- no injury reports in our data: always NULL
  current_points_line DOUBLE,        -- from prop lines where they exist
  avg_usage_rate_last_7_games DOUBLE, -- minutes-weighted: sum(usage x minutes) / sum(minutes)
  usage_rate_season DOUBLE,          -- minutes-weighted, season to date
  season_phase VARCHAR,
  source_last_game_date DATE,        -- latest game any part of the row read; always < game_date (audited)
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (player_lookup, game_id)
);

-- Grain: one row per team per scheduled game on game_date, pre-game.
CREATE TABLE IF NOT EXISTS nba_analytics.upcoming_team_game_context (
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  game_id VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  home_game BOOLEAN NOT NULL,
  game_total DOUBLE,                 -- over/under from the odds table
  game_spread DOUBLE,                -- from this team's side: negative = favourite
  team_implied_total DOUBLE,
  days_rest INTEGER,
  opponent_days_rest INTEGER,
  back_to_back BOOLEAN NOT NULL,
  team_pace_last_10 DOUBLE,
  opponent_pace_last_10 DOUBLE,
  source_last_game_date DATE,        -- latest game the pace windows read (NULL = none); always < game_date
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (team_abbr, game_id)
);

-- Columns added after the first release, for warehouses created before them (rebuilt by the next ingest).
ALTER TABLE nba_analytics.upcoming_player_game_context ADD COLUMN IF NOT EXISTS player_age_years INTEGER;
ALTER TABLE nba_analytics.upcoming_team_game_context ADD COLUMN IF NOT EXISTS source_last_game_date DATE;

-- Incremental ingest bookkeeping: per game date, the fingerprint of the landed inputs last ingested
-- (an unchanged date is skipped) and what that ingest did.
CREATE TABLE IF NOT EXISTS nba_raw.landing_ingests (
  game_date DATE NOT NULL,
  fingerprint VARCHAR NOT NULL,      -- the date's scheduled games + SHA-256 of every landed file read
  lines_fingerprint VARCHAR NOT NULL, -- SHA-256 of the game-line and prop files alone
  files INTEGER NOT NULL,
  run_id VARCHAR NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  summary VARCHAR,                   -- JSON text of the date's ingest summary
  PRIMARY KEY (game_date)
);
${PLAYER_NAME_RESOLUTION_DDL}`;
