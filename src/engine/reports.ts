// Read-only reports over the engine's bookkeeping: coverage, failures, run history.
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';

/** Per processor name in $names: game dates in range, partitions by status, dates with no status at all, rows. */
export const COVERAGE_SQL = `WITH p AS (SELECT processor_name FROM {{unnest_as($names, processor_name)}}),
g AS (SELECT game_date FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE))
SELECT p.processor_name,
       count(g.game_date) AS game_dates,
       -- count(CASE …), not countif: DuckDB's countif is NULL when the condition is NULL on every row
       -- (a processor without statuses); GoogleSQL's is 0.
       count(CASE WHEN s.status = 'complete' THEN 1 END) AS complete,
       -- complete partitions can be empty when every entity fell short (e.g. PSZA before anyone has 10 games)
       count(CASE WHEN s.status = 'complete' AND s.rows_written > 0 THEN 1 END) AS dates_with_rows,
       count(CASE WHEN s.status = 'bootstrap_empty' THEN 1 END) AS bootstrap,
       count(CASE WHEN s.status = 'failed' THEN 1 END) AS failed,
       count(CASE WHEN s.status = 'skipped_upstream' THEN 1 END) AS skipped,
       count(CASE WHEN g.game_date IS NOT NULL AND s.status IS NULL THEN 1 END) AS missing,
       coalesce(sum(CASE WHEN s.status IN ('complete', 'bootstrap_empty') THEN s.rows_written END), 0) AS rows_written
FROM p LEFT JOIN g ON true
LEFT JOIN nba_processing.partition_status s ON s.processor_name = p.processor_name AND s.partition_date = g.game_date
GROUP BY p.processor_name`;

/** Per processor: game dates in range, partitions by status, dates with no status at all, rows; in the processors' order. */
export async function coverageReport(wh: Warehouse, processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate): Promise<Row[]> {
  const rows = await wh.query(COVERAGE_SQL, { names: processors.map((p) => p.processorName), from, to });
  const byName = new Map(rows.map((r) => [r['processor_name'], r]));
  return processors.map((p) => ({ processor: p.key, ...byName.get(p.processorName) }));
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

/** Latest runs first. Params: $limit. */
export const RUNS_SQL = `SELECT run_id, command, mode, status, started_at, finished_at,
       round(CAST({{ms_between(started_at, coalesce(finished_at, started_at))}} / 1000.0 AS NUMERIC(18, 3)), 1) AS seconds,
       CAST(arguments AS STRING) AS arguments,
       (SELECT count(*) FROM nba_processing.run_steps s WHERE s.run_id = h.run_id) AS batches,
       CAST(json_value(summary, '$.failed') AS INT64) AS failed_partitions
FROM nba_processing.run_history h ORDER BY started_at DESC, run_id DESC LIMIT $limit`;

/** Latest runs first, with the per-processor totals the engine stored in the summary. */
export async function runsReport(wh: Warehouse, limit = 20): Promise<Row[]> {
  return wh.query(RUNS_SQL, { limit: Math.max(1, Math.floor(limit)) });
}

/** The batches of one run, in the order they finished. */
export const RUN_STEPS_SQL = `SELECT processor_name, batch_from, batch_to, status, partitions, rows_written, duration_ms, error
FROM nba_processing.run_steps WHERE run_id = $run_id ORDER BY finished_at, processor_name`;

export async function runStepsReport(wh: Warehouse, runId: string): Promise<Row[]> {
  return wh.query(RUN_STEPS_SQL, { run_id: runId });
}
