// DDL for the engine's own bookkeeping in nba_processing (SYSTEM.md §4).
export const ENGINE_DDL = `
CREATE SCHEMA IF NOT EXISTS nba_processing;

-- One row per (processor, partition date): the engine resumes from here, never from "the last success".
CREATE TABLE IF NOT EXISTS nba_processing.partition_status (
  processor_name VARCHAR NOT NULL,
  partition_date DATE NOT NULL,
  status VARCHAR NOT NULL,            -- complete | bootstrap_empty | failed | skipped_upstream
  failure_category VARCHAR,           -- date level: MISSING_DEPENDENCIES | QUERY_TIMEOUT | PROCESSING_ERROR
  rows_written BIGINT NOT NULL,
  entity_failures BIGINT NOT NULL,
  run_id VARCHAR NOT NULL,
  processor_version VARCHAR NOT NULL,
  upstream_fingerprint VARCHAR,       -- hash of the upstream partitions read
  output_checksum VARCHAR,            -- row count + content hash of the output; downstream fingerprints use it
  detail VARCHAR,                     -- why a partition failed or was skipped
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  duration_ms BIGINT NOT NULL,        -- of the batch this partition was computed in
  PRIMARY KEY (processor_name, partition_date)
);
-- Files created before these columns existed.
ALTER TABLE nba_processing.partition_status ADD COLUMN IF NOT EXISTS output_checksum VARCHAR;
ALTER TABLE nba_processing.partition_status ADD COLUMN IF NOT EXISTS detail VARCHAR;

-- Upserted on (processor, date, entity, category); a successful rerun clears stale rows.
CREATE TABLE IF NOT EXISTS nba_processing.precompute_failures (
  processor_name VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  analysis_date DATE NOT NULL,
  entity_id VARCHAR NOT NULL,         -- player_lookup, team_abbr, or DATE_LEVEL
  failure_category VARCHAR NOT NULL,
  failure_reason VARCHAR NOT NULL,
  can_retry BOOLEAN NOT NULL,
  is_expected BOOLEAN NOT NULL,
  occurrence_count INTEGER NOT NULL,
  first_seen_at TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  PRIMARY KEY (processor_name, analysis_date, entity_id, failure_category)
);

CREATE TABLE IF NOT EXISTS nba_processing.run_history (
  run_id VARCHAR PRIMARY KEY,
  command VARCHAR NOT NULL,
  arguments VARCHAR,                  -- JSON text (a STRING on BigQuery too: one text reads it on both)
  mode VARCHAR NOT NULL,              -- backfill | daily | ingest | maintenance
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status VARCHAR NOT NULL,            -- running | success | partial | failed | interrupted
  summary VARCHAR                     -- JSON text: per processor partitions, rows, failures, timings
);
-- The process of a run, so that a later command can mark a run whose process is gone (SIGKILL,
-- crash, full disk) 'interrupted': pid, host, and the process's start (boot id + start ticks on
-- Linux), which tells a reused pid apart. Files created before these columns existed get them here.
ALTER TABLE nba_processing.run_history ADD COLUMN IF NOT EXISTS pid INT64;
ALTER TABLE nba_processing.run_history ADD COLUMN IF NOT EXISTS hostname STRING;
ALTER TABLE nba_processing.run_history ADD COLUMN IF NOT EXISTS process_start STRING;

-- Per processor and batch timings of a run (for profiling and the runs report).
CREATE TABLE IF NOT EXISTS nba_processing.run_steps (
  run_id VARCHAR NOT NULL,
  processor_name VARCHAR NOT NULL,
  batch_from DATE NOT NULL,
  batch_to DATE NOT NULL,
  status VARCHAR NOT NULL,
  partitions INTEGER NOT NULL,
  rows_written BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  error VARCHAR,
  finished_at TIMESTAMP NOT NULL
);

-- Notification rate limiting (daily mode): identical signatures at most N per window.
CREATE TABLE IF NOT EXISTS nba_processing.notification_log (
  signature VARCHAR NOT NULL,
  event_type VARCHAR NOT NULL,
  sent_at TIMESTAMP NOT NULL,
  suppressed BOOLEAN NOT NULL,
  run_id VARCHAR
);
`;
