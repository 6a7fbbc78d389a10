// The version marker that makes a DuckDB file a Courtside warehouse. Kept apart from migrate.ts so
// that reading a warehouse does not load the DDL of every table (and with it every processor).
/**
 * The layout version this code writes. Bump it when a change would break an older Courtside reading
 * the file: an older build then refuses the warehouse instead of misreading it.
 */
export const SCHEMA_VERSION = 1;

/** The version marker: a DuckDB file without this table is not ours (see duckdb/identify.ts). */
export const META_TABLE = 'nba_processing.courtside_meta';

export const META_DDL = `
CREATE SCHEMA IF NOT EXISTS nba_processing;
-- One row: this file is a Courtside warehouse, and which layout version wrote it last.
CREATE TABLE IF NOT EXISTS ${META_TABLE} (
  product VARCHAR NOT NULL,           -- always 'courtside'
  schema_version INTEGER NOT NULL,
  created_at TIMESTAMP NOT NULL,
  migrated_at TIMESTAMP NOT NULL
);
-- A fingerprint of the DDL that last migrated the file: a write command whose DDL has the same one
-- has nothing to create and skips migrating (no write transaction, nothing to checkpoint).
ALTER TABLE ${META_TABLE} ADD COLUMN IF NOT EXISTS schema_fingerprint VARCHAR;`;
