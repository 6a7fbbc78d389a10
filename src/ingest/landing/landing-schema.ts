// Bookkeeping of the incremental ingest: per game date, the fingerprint of the landed inputs last
// ingested (so an unchanged date is skipped) and what that ingest did. Created on first use.
import type { Warehouse } from '../../warehouse/warehouse.js';

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

/** Forgets what was ingested from the landing folder in a date range (a bulk ingest replaced it). */
export async function forgetLandedIngests(tx: Warehouse, range: { readonly from: string; readonly to: string }): Promise<void> {
  await tx.exec(LANDING_DDL);
  await tx.exec(`DELETE FROM nba_raw.landing_ingests WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, range);
}
