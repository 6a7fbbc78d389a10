// nba_processing.partition_status: one row per (processor, game date). The engine plans from it
// (missing / failed / stale) instead of from a checkpoint's "last success".
import { createHash } from 'node:crypto';
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { sqlTimestamp } from './failures.js';
import { partitionKey, type GameDate, type PartitionState, type PartitionStatus } from './types.js';

export async function loadGameDates(wh: Warehouse, from: IsoDate, to: IsoDate, timeoutMs?: number): Promise<GameDate[]> {
  const rows = await wh.query<{ game_date: string; is_bootstrap: boolean }>(
    `SELECT game_date, is_bootstrap FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY game_date`,
    { from, to },
    { timeoutMs },
  );
  return rows.map((r) => ({ date: r.game_date, isBootstrap: r.is_bootstrap === true }));
}

/** Stored states by partitionKey(processor key, date). */
export async function loadPartitionStates(wh: Warehouse, processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate, timeoutMs?: number): Promise<Map<string, PartitionState>> {
  const keyByName = new Map(processors.map((p) => [p.processorName, p.key]));
  const rows = await wh.query<{ processor_name: string; partition_date: string; status: PartitionStatus; processor_version: string; upstream_fingerprint: string | null; output_checksum: string | null }>(
    `SELECT processor_name, partition_date, status, processor_version, upstream_fingerprint, output_checksum
FROM nba_processing.partition_status
WHERE processor_name IN (SELECT unnest(CAST($names AS VARCHAR[]))) AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    { names: [...keyByName.keys()], from, to },
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

export interface StatusWrite {
  readonly processorName: string;
  readonly version: string;
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly timeoutMs: number;
}

const STATUS_COLUMNS = `(processor_name, partition_date, status, failure_category, rows_written, entity_failures, run_id, processor_version,
  upstream_fingerprint, output_checksum, detail, started_at, finished_at, duration_ms)`;

/**
 * Statuses of a successful batch, counted from what the transaction just wrote: rows and an
 * order-independent content checksum per date (run_id and processed_at left out, so identical
 * recomputations give identical checksums), and entity failures per date.
 */
export async function writeSuccessStatuses(tx: Warehouse, p: ProcessorDefinition, dates: readonly GameDate[], fingerprints: readonly string[], from: IsoDate, to: IsoDate, w: StatusWrite): Promise<void> {
  await tx.exec(
    `INSERT OR REPLACE INTO nba_processing.partition_status ${STATUS_COLUMNS}
SELECT $processor_name, d.day, CASE WHEN d.boot AND o.n IS NULL THEN 'bootstrap_empty' ELSE 'complete' END, NULL,
       coalesce(o.n, 0), coalesce(f.n, 0), $run_id, $version, d.fp,
       coalesce(o.n, 0)::VARCHAR || ':' || coalesce(o.h, '0'), NULL,
       CAST($started_at AS TIMESTAMP), CAST($finished_at AS TIMESTAMP), $duration_ms
FROM (SELECT CAST(unnest(CAST($dates AS VARCHAR[])) AS DATE) AS day, unnest(CAST($boots AS INTEGER[])) = 1 AS boot, unnest(CAST($fps AS VARCHAR[])) AS fp) d
LEFT JOIN (
  SELECT CAST(${p.dateColumn} AS DATE) AS day, count(*) AS n, bit_xor(hash(*COLUMNS(c -> c NOT IN ('processed_at', 'run_id'))))::VARCHAR AS h
  FROM ${p.outputTable} WHERE ${p.dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) GROUP BY 1
) o ON o.day = d.day
LEFT JOIN (
  SELECT analysis_date AS day, count(*) AS n FROM nba_processing.precompute_failures
  WHERE processor_name = $processor_name AND entity_id <> 'DATE_LEVEL' AND analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) GROUP BY 1
) f ON f.day = d.day`,
    {
      processor_name: w.processorName,
      run_id: w.runId,
      version: w.version,
      started_at: sqlTimestamp(w.startedAt),
      finished_at: sqlTimestamp(w.finishedAt),
      duration_ms: w.finishedAt.getTime() - w.startedAt.getTime(),
      dates: dates.map((d) => d.date),
      boots: dates.map((d) => (d.isBootstrap ? 1 : 0)),
      fps: [...fingerprints],
      from,
      to,
    },
    { timeoutMs: w.timeoutMs },
  );
}

/** Statuses of partitions that did not run (failed or skipped_upstream); their old rows stay. */
export async function writeUnsuccessfulStatuses(tx: Warehouse, dates: readonly IsoDate[], status: 'failed' | 'skipped_upstream', category: string | null, detail: string, w: StatusWrite): Promise<void> {
  if (dates.length === 0) return;
  await tx.exec(
    `INSERT OR REPLACE INTO nba_processing.partition_status ${STATUS_COLUMNS}
SELECT $processor_name, CAST(d AS DATE), $status, NULLIF($category, ''), 0, 0, $run_id, $version, NULL, NULL, left($detail, 1000),
       CAST($started_at AS TIMESTAMP), CAST($finished_at AS TIMESTAMP), $duration_ms
FROM unnest(CAST($dates AS VARCHAR[])) AS u(d)`,
    {
      processor_name: w.processorName,
      status,
      category: category ?? '',
      run_id: w.runId,
      version: w.version,
      detail,
      started_at: sqlTimestamp(w.startedAt),
      finished_at: sqlTimestamp(w.finishedAt),
      duration_ms: w.finishedAt.getTime() - w.startedAt.getTime(),
      dates: [...dates],
    },
    { timeoutMs: w.timeoutMs },
  );
}

/** Output checksums of partitions after the batch, for downstream fingerprints within this run. */
export async function loadOutputChecksums(tx: Warehouse, processorName: string, from: IsoDate, to: IsoDate, timeoutMs: number): Promise<Map<IsoDate, string | null>> {
  const rows = await tx.query<{ partition_date: string; output_checksum: string | null }>(
    `SELECT partition_date, output_checksum FROM nba_processing.partition_status
WHERE processor_name = $processor_name AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    { processor_name: processorName, from, to },
    { timeoutMs },
  );
  return new Map(rows.map((r) => [r.partition_date, r.output_checksum]));
}
