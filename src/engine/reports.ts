// Read-only reports over the engine's bookkeeping: coverage, failures, run history.
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { findOrphans } from './orphans.js';
import { liveness } from './process-identity.js';

/** The first and last game dates in the warehouse, or null before any ingest. */
export async function gameDateRange(wh: Warehouse): Promise<{ from: IsoDate; to: IsoDate } | null> {
  const [r] = await wh.query<{ first: string | null; last: string | null }>(
    `SELECT CAST(min(game_date) AS STRING) AS first, CAST(max(game_date) AS STRING) AS last FROM nba_reference.game_dates`,
  );
  return r?.first && r.last ? { from: r.first, to: r.last } : null;
}

/**
 * Per processor: game dates in range, partitions by status, game dates with no status at all, and
 * rows. A complete partition with no rows (every entity fell short, e.g. PSZA before anyone has 10
 * games) is counted apart, as `complete_empty`, so that `complete` means "has rows". And orphans:
 * rows and dates in range that are not game dates (e.g. left by an older re-ingest), which the
 * game-date columns cannot show; `reset` over the range removes them.
 */
export async function coverageReport(wh: Warehouse, processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate): Promise<Row[]> {
  const range = { from, to };
  const [dates] = await wh.query<{ n: number }>(
    `SELECT count(*) AS n FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    range,
  );
  const counts = await wh.query<{ processor_name: string; complete: number; complete_empty: number; bootstrap: number; failed: number; skipped: number; with_status: number; rows_written: number }>(
    `SELECT s.processor_name,
       countif(s.status = 'complete' AND s.rows_written > 0) AS complete,
       countif(s.status = 'complete' AND s.rows_written = 0) AS complete_empty,
       countif(s.status = 'bootstrap_empty') AS bootstrap,
       countif(s.status = 'failed') AS failed,
       countif(s.status = 'skipped_upstream') AS skipped,
       count(*) AS with_status,
       coalesce(sum(CASE WHEN s.status IN ('complete', 'bootstrap_empty') THEN s.rows_written END), 0) AS rows_written
FROM nba_processing.partition_status s
JOIN nba_reference.game_dates g ON g.game_date = s.partition_date
WHERE s.partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
GROUP BY s.processor_name`,
    range,
  );
  const gameDates = Number(dates?.n ?? 0);
  const orphans = await findOrphans(wh, processors, { from, to });
  return processors.map((p) => {
    const c = counts.find((x) => x.processor_name === p.processorName);
    const o = orphans.find((x) => x.processor === p.key);
    return {
      processor: p.key,
      processor_name: p.processorName,
      game_dates: gameDates,
      complete: Number(c?.complete ?? 0),
      complete_empty: Number(c?.complete_empty ?? 0),
      bootstrap: Number(c?.bootstrap ?? 0),
      failed: Number(c?.failed ?? 0),
      skipped: Number(c?.skipped ?? 0),
      missing: gameDates - Number(c?.with_status ?? 0),
      rows_written: Number(c?.rows_written ?? 0),
      orphan_dates: o?.dates ?? 0,
      orphan_rows: o?.rows ?? 0,
    };
  });
}

export interface FailureReport {
  readonly byCategory: Row[];
  readonly topReasons: Row[];
}

/** Failure rows by processor × category (expected vs real), and the most frequent reasons. */
const FAILURES_WHERE = `analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND ($processor = '' OR processor_name = $processor)`;

/** Failure rows by processor × category, expected vs real. Params: $from, $to, $processor ('' = all). */
export const FAILURES_BY_CATEGORY_SQL = `SELECT processor_name, failure_category,
       count(*) AS failures, countif(is_expected) AS expected, countif(NOT is_expected) AS real,
       count(DISTINCT analysis_date) AS dates, count(DISTINCT entity_id) AS entities, CAST(sum(occurrence_count) AS INT64) AS occurrences,
       max(last_seen_at) AS last_seen_at
FROM nba_processing.precompute_failures WHERE ${FAILURES_WHERE}
GROUP BY processor_name, failure_category ORDER BY processor_name, failures DESC, failure_category`;

/** The most frequent reasons. Params: as FAILURES_BY_CATEGORY_SQL, and $top. */
export const TOP_REASONS_SQL = `SELECT processor_name, failure_category, failure_reason, count(*) AS failures, min(analysis_date) AS first_date, max(analysis_date) AS last_date
FROM nba_processing.precompute_failures WHERE ${FAILURES_WHERE}
GROUP BY processor_name, failure_category, failure_reason ORDER BY failures DESC, processor_name, failure_category, failure_reason LIMIT $top`;

/** Failure rows by processor × category (expected vs real), and the most frequent reasons. */
export async function failuresReport(wh: Warehouse, from: IsoDate, to: IsoDate, processorName?: string, topN = 10): Promise<FailureReport> {
  const params = { from, to, processor: processorName ?? '' };
  const byCategory = await wh.query(FAILURES_BY_CATEGORY_SQL, params);
  const topReasons = await wh.query(TOP_REASONS_SQL, { ...params, top: Math.max(1, Math.floor(topN)) });
  return { byCategory, topReasons };
}

/**
 * Latest runs first. Params: $limit. `processColumns`: the process columns, or NULLs on a warehouse
 * written before they existed. `seconds` is NULL when the run's end is unknown: still running, or
 * killed before it committed a batch (marked interrupted with no finished_at; an older courtside
 * marked those with finished_at = started_at, which no run that ended otherwise has).
 */
export function runsSql(processColumns = 'pid, hostname, process_start'): string {
  return `SELECT run_id, command, mode, status, started_at, finished_at,
       CASE WHEN finished_at IS NULL OR (status = 'interrupted' AND finished_at = started_at) THEN NULL
            ELSE round(CAST({{ms_between(started_at, finished_at)}} / 1000.0 AS NUMERIC(18, 3)), 1) END AS seconds,
       CAST(arguments AS STRING) AS arguments,
       (SELECT count(*) FROM nba_processing.run_steps s WHERE s.run_id = h.run_id) AS batches,
       CAST(json_value(summary, '$.failed') AS INT64) AS failed_partitions,
       ${processColumns}
FROM nba_processing.run_history h ORDER BY started_at DESC, run_id DESC LIMIT $limit`;
}

/**
 * Latest runs first, with the per-processor totals the engine stored in the summary. A run still
 * recorded as running whose process is gone shows as `interrupted` (the next command that starts
 * a run records it so); `process` is pid@host.
 */
export async function runsReport(wh: Warehouse, limit = 20): Promise<Row[]> {
  const rows = await wh.query(runsSql(await runProcessColumns(wh)), { limit: Math.max(1, Math.floor(limit)) });
  return rows.map(({ pid, hostname, process_start, ...r }) => ({
    ...r,
    status: observedRunStatus(r['status'], { pid, hostname, process_start }),
    process: pid === null ? null : `${String(pid)}@${String(hostname)}`,
  }));
}

/**
 * run_history's process columns (pid, hostname, process_start) for a SELECT list. A warehouse opened
 * read-only is not migrated: one written by an older courtside has none yet (NULLs instead).
 */
export async function runProcessColumns(wh: Warehouse): Promise<string> {
  const columns = await wh.columns('nba_processing.run_history');
  return columns?.includes('process_start') ? 'pid, hostname, process_start' : 'CAST(NULL AS INT64) AS pid, CAST(NULL AS STRING) AS hostname, CAST(NULL AS STRING) AS process_start';
}

/** A run recorded as running whose process is gone (SIGKILL, crash) is `interrupted`; any other status stands. */
export function observedRunStatus(status: unknown, p: { readonly pid: unknown; readonly hostname: unknown; readonly process_start: unknown }): unknown {
  const gone = status === 'running' && liveness({ pid: p.pid as number | null, hostname: p.hostname as string | null, start: p.process_start as string | null }) === 'gone';
  return gone ? 'interrupted' : status;
}

/** The batches of one run, in the order they finished. */
export const RUN_STEPS_SQL = `SELECT processor_name, batch_from, batch_to, status, partitions, rows_written, duration_ms, error
FROM nba_processing.run_steps WHERE run_id = $run_id ORDER BY finished_at, processor_name`;

export async function runStepsReport(wh: Warehouse, runId: string): Promise<Row[]> {
  return wh.query(RUN_STEPS_SQL, { run_id: runId });
}
