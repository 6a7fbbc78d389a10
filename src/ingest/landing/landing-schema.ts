// Bookkeeping of the incremental ingest: per game date, the fingerprint of the landed inputs last
// ingested (so an unchanged date is skipped) and what that ingest did. Created on first use.
export const LANDING_DDL = `
CREATE SCHEMA IF NOT EXISTS nba_raw;
-- Grain: one row per game date ingested from the landing folder (the latest successful ingest).
CREATE TABLE IF NOT EXISTS nba_raw.landing_ingests (
  game_date DATE NOT NULL,
  fingerprint VARCHAR NOT NULL,      -- the date's scheduled games + SHA-256 of every landed file read
  lines_fingerprint VARCHAR NOT NULL, -- SHA-256 of the game-line and prop files alone
  files INTEGER NOT NULL,
  run_id VARCHAR NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  summary JSON,
  PRIMARY KEY (game_date)
);
`;
