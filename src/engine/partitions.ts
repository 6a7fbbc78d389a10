// nba_processing.partition_status: one row per (processor, game date). The engine plans from it
// (missing / failed / stale) instead of from a checkpoint's "last success".
import { createHash } from 'node:crypto';
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { sqlTimestamp } from './failures.js';
import { partitionKey, type DependencyVerdict, type GameDate, type PartitionState, type PartitionStatus } from './types.js';

export const GAME_DATES_SQL = `SELECT game_date, is_bootstrap FROM nba_reference.game_dates
WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY game_date`;

export async function loadGameDates(wh: Warehouse, from: IsoDate, to: IsoDate, timeoutMs?: number): Promise<GameDate[]> {
  const rows = await wh.query<{ game_date: string; is_bootstrap: boolean }>(GAME_DATES_SQL, { from, to }, { timeoutMs });
  return rows.map((r) => ({ date: r.game_date, isBootstrap: r.is_bootstrap === true }));
}

// Every processor's statuses in the range: the table is small, and rows of processors not asked for are dropped below.
export const PARTITION_STATES_SQL = `SELECT processor_name, partition_date, status, processor_version, upstream_fingerprint, output_checksum
FROM nba_processing.partition_status
WHERE partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;

/** Stored states by partitionKey(processor key, date). */
export async function loadPartitionStates(wh: Warehouse, processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate, timeoutMs?: number): Promise<Map<string, PartitionState>> {
  const keyByName = new Map(processors.map((p) => [p.processorName, p.key]));
  const rows = await wh.query<{ processor_name: string; partition_date: string; status: PartitionStatus; processor_version: string; upstream_fingerprint: string | null; output_checksum: string | null }>(
    PARTITION_STATES_SQL,
    { from, to },
    { timeoutMs },
  );
  const states = new Map<string, PartitionState>();
  for (const r of rows) {
    const key = keyByName.get(r.processor_name);
    if (key) states.set(partitionKey(key, r.partition_date), { status: r.status, version: r.processor_version, fingerprint: r.upstream_fingerprint, outputChecksum: r.output_checksum });
  }
  return states;
}

/**
 * The upstream fingerprint of a partition: the Phase 3 check results it read (row counts and
 * content checksums) plus the output checksums of the upstream processors' partitions that date.
 * Content-based, so an upstream rerun that writes identical rows does not make downstream stale.
 */
export function upstreamFingerprint(phase3Parts: readonly string[], upstream: readonly { processor: string; outputChecksum: string | null }[]): string {
  const parts = [...phase3Parts, ...upstream.map((u) => `${u.processor}:${u.outputChecksum ?? 'none'}`).sort()];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * The fingerprint of a partition: its checks' and read windows' parts (the verdict), and its upstream
 * processors' partitions of D; `outputWindowParts`, when given, replaces the verdict's windows over
 * other processors' partitions (read again after a run rebuilt some of them).
 */
export function partitionFingerprint(verdict: DependencyVerdict | undefined, upstream: readonly { processor: string; outputChecksum: string | null }[], outputWindowParts?: readonly string[]): string {
  return upstreamFingerprint([...(verdict?.fingerprintParts ?? []), ...(outputWindowParts ?? verdict?.outputWindowParts ?? [])], upstream);
}

export interface StatusWrite {
  readonly processorName: string;
  readonly version: string;
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

const STATUS_COLUMNS = `(processor_name, partition_date, status, failure_category, rows_written, entity_failures, run_id, processor_version,
  upstream_fingerprint, output_checksum, detail, started_at, finished_at, duration_ms)`;

/** Parameters every status statement binds. */
export function statusParams(w: StatusWrite): Record<string, string | number> {
  return {
    processor_name: w.processorName,
    run_id: w.runId,
    version: w.version,
    started_at: sqlTimestamp(w.startedAt),
    finished_at: sqlTimestamp(w.finishedAt),
    duration_ms: w.finishedAt.getTime() - w.startedAt.getTime(),
  };
}

/** A batch's statuses replace every status of the processor in [$from, $to] (the batch's dates are the game dates there). */
export const DELETE_STATUSES_IN_RANGE_SQL = `DELETE FROM nba_processing.partition_status
WHERE processor_name = $processor_name AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;

/**
 * $partitions: one entry per date of the batch, `YYYY-MM-DD|b|fingerprint` (b = 1 for a bootstrap
 * date): one array instead of three parallel ones, which the engines would zip differently.
 */
export function partitionEntries(dates: readonly GameDate[], fingerprints: readonly string[]): string[] {
  return dates.map((d, i) => `${d.date}|${d.isBootstrap ? 1 : 0}|${fingerprints[i] ?? ''}`);
}

/**
 * Statuses of a successful batch, counted from what the unit just wrote: rows and an order-independent
 * content checksum per date (run_id and processed_at left out, so identical recomputations give
 * identical checksums; on DuckDB the same values as hash(*COLUMNS(...)) gave before), and entity
 * failures per date. Params: statusParams, $from, $to, $partitions (partitionEntries).
 */
export function successStatusesSql(p: Pick<ProcessorDefinition, 'outputTable' | 'dateColumn'>): string {
  return `INSERT INTO nba_processing.partition_status ${STATUS_COLUMNS}
SELECT $processor_name AS processor_name, d.day AS partition_date, CASE WHEN d.boot AND o.n IS NULL THEN 'bootstrap_empty' ELSE 'complete' END AS status,
       NULL AS failure_category, coalesce(o.n, 0) AS rows_written, coalesce(f.n, 0) AS entity_failures, $run_id AS run_id,
       $version AS processor_version, d.fp AS upstream_fingerprint, CAST(coalesce(o.n, 0) AS STRING) || ':' || coalesce(o.h, '0') AS output_checksum,
       NULL AS detail, CAST($started_at AS TIMESTAMP) AS started_at, CAST($finished_at AS TIMESTAMP) AS finished_at, $duration_ms AS duration_ms
FROM (
  SELECT CAST(substr(e, 1, 10) AS DATE) AS day, substr(e, 12, 1) = '1' AS boot, substr(e, 14) AS fp
  FROM {{unnest_as($partitions, e)}}
) d
LEFT JOIN (
  SELECT CAST(r.${p.dateColumn} AS DATE) AS day, count(*) AS n, CAST(bit_xor({{row_hash(r, processed_at, run_id)}}) AS STRING) AS h
  FROM ${p.outputTable} r
  WHERE r.${p.dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  GROUP BY 1
) o ON o.day = d.day
LEFT JOIN (
  SELECT analysis_date AS day, count(*) AS n FROM nba_processing.precompute_failures
  WHERE processor_name = $processor_name AND entity_id <> 'DATE_LEVEL' AND analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  GROUP BY analysis_date
) f ON f.day = d.day`;
}

/** What a batch reports back: its partitions as now stored. Params: $processor_name, $from, $to. */
export const BATCH_STATUSES_SQL = `SELECT partition_date, status, rows_written, entity_failures, output_checksum FROM nba_processing.partition_status
WHERE processor_name = $processor_name AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
ORDER BY partition_date`;

/** Partitions that did not run replace their statuses. Params: $processor_name, $dates. */
export const DELETE_STATUSES_OF_DATES_SQL = `DELETE FROM nba_processing.partition_status
WHERE processor_name = $processor_name AND partition_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})`;

/**
 * Statuses of partitions that did not run (failed or skipped_upstream); their old output rows stay.
 * Params: statusParams, $dates, $status, $category ('' = none), $detail.
 */
export const UNSUCCESSFUL_STATUSES_SQL = `INSERT INTO nba_processing.partition_status ${STATUS_COLUMNS}
SELECT $processor_name AS processor_name, CAST(d AS DATE) AS partition_date, $status AS status, NULLIF($category, '') AS failure_category,
       0 AS rows_written, 0 AS entity_failures, $run_id AS run_id, $version AS processor_version, NULL AS upstream_fingerprint,
       NULL AS output_checksum, left($detail, 1000) AS detail, CAST($started_at AS TIMESTAMP) AS started_at,
       CAST($finished_at AS TIMESTAMP) AS finished_at, $duration_ms AS duration_ms
FROM {{unnest_as($dates, d)}}`;
