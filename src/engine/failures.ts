// nba_processing.precompute_failures: upserted on (processor, date, entity, category) so that
// re-runs raise occurrence_count instead of piling up rows (the prior art's append-only table
// reached 7,713 rows), and cleared when a partition later succeeds.
import type { IsoDate } from '../core/dates.js';
import type { DateLevelCategory } from './types.js';

export const DATE_LEVEL = 'DATE_LEVEL';
const REASON_MAX = 1000;

/** A timestamp parameter DuckDB reads as TIMESTAMP (UTC wall clock, no zone suffix). */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

const COLUMNS = `(processor_name, run_id, analysis_date, entity_id, failure_category, failure_reason, can_retry, is_expected, occurrence_count, first_seen_at, last_seen_at)`;

/** The upsert's key; MERGE is the one text both engines run (DuckDB ≥ 1.4 and BigQuery). */
const ON_KEY = `ON t.processor_name = s.processor_name AND t.analysis_date = s.analysis_date AND t.entity_id = s.entity_id AND t.failure_category = s.failure_category`;

const UPSERT = `WHEN MATCHED THEN UPDATE SET run_id = $run_id, failure_reason = s.failure_reason, can_retry = s.can_retry, is_expected = s.is_expected,
  occurrence_count = t.occurrence_count + 1, last_seen_at = CAST($now AS TIMESTAMP)
WHEN NOT MATCHED THEN INSERT ${COLUMNS}
  VALUES (s.processor_name, $run_id, s.analysis_date, s.entity_id, s.failure_category, s.failure_reason, s.can_retry, s.is_expected, 1, CAST($now AS TIMESTAMP), CAST($now AS TIMESTAMP))`;

export interface FailureWriteContext {
  readonly processorName: string;
  readonly runId: string;
  readonly now: Date;
}

/** Parameters the failure statements bind besides the processor's own (thresholds, $from, $to). */
export function failureParams(c: FailureWriteContext): Record<string, string> {
  return { processor_name: c.processorName, run_id: c.runId, now: sqlTimestamp(c.now) };
}

/**
 * Upserts the entity failures a processor's failuresSql reports for [$from, $to] and deletes the
 * partitions' failure rows this run did not see again (old DATE_LEVEL rows included): what is left
 * is exactly the current set of failures of those partitions. One statement, inside the batch unit.
 */
export function mergeEntityFailuresSql(failuresSql: string): string {
  const select = failuresSql.trim().replace(/;\s*$/, '');
  return `MERGE INTO nba_processing.precompute_failures AS t
USING (
  SELECT $processor_name AS processor_name, CAST(x.analysis_date AS DATE) AS analysis_date, CAST(x.entity_id AS STRING) AS entity_id,
         CAST(x.failure_category AS STRING) AS failure_category, left(coalesce(CAST(x.failure_reason AS STRING), ''), ${REASON_MAX}) AS failure_reason,
         coalesce(CAST(x.can_retry AS BOOL), true) AS can_retry, coalesce(CAST(x.is_expected AS BOOL), false) AS is_expected
  FROM (${select}) AS x
  WHERE CAST(x.analysis_date AS DATE) BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  -- MERGE takes each key once; a processor may report an entity twice.
  QUALIFY row_number() OVER (PARTITION BY x.analysis_date, x.entity_id, x.failure_category ORDER BY x.failure_reason NULLS LAST) = 1
) AS s
${ON_KEY}
${UPSERT}
WHEN NOT MATCHED BY SOURCE AND t.processor_name = $processor_name AND t.analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) THEN DELETE`;
}

/**
 * One date-level failure (MISSING_DEPENDENCIES, QUERY_TIMEOUT, PROCESSING_ERROR) per date of $dates.
 * Params: failureParams, $dates, $category, $reason, $can_retry.
 */
export const MERGE_DATE_LEVEL_FAILURES_SQL = `MERGE INTO nba_processing.precompute_failures AS t
USING (
  SELECT $processor_name AS processor_name, CAST(d AS DATE) AS analysis_date, '${DATE_LEVEL}' AS entity_id, $category AS failure_category,
         left($reason, ${REASON_MAX}) AS failure_reason, $can_retry AS can_retry, false AS is_expected
  FROM {{unnest_as($dates, d)}}
) AS s
${ON_KEY}
${UPSERT}`;

/**
 * A partition that did not run keeps one DATE_LEVEL row, of its current category: the DATE_LEVEL rows
 * of $dates of another category are deleted ($category '' = all of them: a skipped partition's
 * failure is reported at its upstream). Entity rows stay with the old output rows they describe.
 * Params: $processor_name, $dates, $category.
 */
export const DELETE_OTHER_DATE_LEVEL_FAILURES_SQL = `DELETE FROM nba_processing.precompute_failures
WHERE processor_name = $processor_name AND entity_id = '${DATE_LEVEL}' AND failure_category <> $category
  AND analysis_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})`;

/** Parameters of MERGE_DATE_LEVEL_FAILURES_SQL. */
export function dateLevelParams(dates: readonly IsoDate[], category: DateLevelCategory, reason: string, c: FailureWriteContext): Record<string, string | boolean | readonly string[]> {
  // A missing upstream or a timeout may pass next time; a processing error needs a fix first.
  return { ...failureParams(c), dates: [...dates], category, reason, can_retry: category !== 'PROCESSING_ERROR' };
}
