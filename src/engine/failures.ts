// nba_processing.precompute_failures: upserted on (processor, date, entity, category) so that
// re-runs raise occurrence_count instead of piling up rows (the prior art's append-only table
// reached 7,713 rows), and cleared when a partition later succeeds.
import type { IsoDate } from '../core/dates.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { DateLevelCategory } from './types.js';

export const DATE_LEVEL = 'DATE_LEVEL';
const REASON_MAX = 1000;

/** A timestamp parameter DuckDB reads as TIMESTAMP (UTC wall clock, no zone suffix). */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

const UPSERT_TAIL = `
ON CONFLICT (processor_name, analysis_date, entity_id, failure_category) DO UPDATE SET
  run_id = excluded.run_id,
  failure_reason = excluded.failure_reason,
  can_retry = excluded.can_retry,
  is_expected = excluded.is_expected,
  occurrence_count = precompute_failures.occurrence_count + 1,
  last_seen_at = excluded.last_seen_at`;

const COLUMNS = `(processor_name, run_id, analysis_date, entity_id, failure_category, failure_reason, can_retry, is_expected, occurrence_count, first_seen_at, last_seen_at)`;

export interface FailureWriteContext {
  readonly processorName: string;
  readonly runId: string;
  readonly now: Date;
  readonly timeoutMs: number;
}

/**
 * Upserts the entity failures a processor's failuresSql reports for [from, to], then deletes the
 * partitions' failure rows this run did not see again (including old DATE_LEVEL rows): what is left
 * is exactly the current set of failures of those partitions. Runs inside the batch transaction.
 */
export async function replaceEntityFailures(tx: Warehouse, failuresSql: string, params: Readonly<Record<string, string | number>>, from: IsoDate, to: IsoDate, c: FailureWriteContext): Promise<void> {
  const select = failuresSql.trim().replace(/;\s*$/, '');
  const p = { ...params, processor_name: c.processorName, run_id: c.runId, now: sqlTimestamp(c.now), from, to };
  await tx.exec(
    `INSERT INTO nba_processing.precompute_failures ${COLUMNS}
SELECT $processor_name, $run_id, CAST(x.analysis_date AS DATE), CAST(x.entity_id AS VARCHAR), CAST(x.failure_category AS VARCHAR),
       left(coalesce(CAST(x.failure_reason AS VARCHAR), ''), ${REASON_MAX}), coalesce(CAST(x.can_retry AS BOOLEAN), true),
       coalesce(CAST(x.is_expected AS BOOLEAN), false), 1, CAST($now AS TIMESTAMP), CAST($now AS TIMESTAMP)
FROM (${select}) x
WHERE CAST(x.analysis_date AS DATE) BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
-- ON CONFLICT refuses to touch one key twice in a statement; a processor may report an entity twice.
QUALIFY row_number() OVER (PARTITION BY x.analysis_date, x.entity_id, x.failure_category ORDER BY x.failure_reason) = 1
${UPSERT_TAIL}`,
    p,
    { timeoutMs: c.timeoutMs },
  );
  await tx.exec(
    `DELETE FROM nba_processing.precompute_failures
WHERE processor_name = $processor_name AND analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND run_id <> $run_id`,
    p,
    { timeoutMs: c.timeoutMs },
  );
}

/** Records one date-level failure (MISSING_DEPENDENCIES, QUERY_TIMEOUT, PROCESSING_ERROR) per date. */
export async function upsertDateLevelFailures(tx: Warehouse, dates: readonly IsoDate[], category: DateLevelCategory, reason: string, c: FailureWriteContext): Promise<void> {
  if (dates.length === 0) return;
  await tx.exec(
    `INSERT INTO nba_processing.precompute_failures ${COLUMNS}
SELECT $processor_name, $run_id, CAST(d AS DATE), '${DATE_LEVEL}', $category, left($reason, ${REASON_MAX}),
       $can_retry, false, 1, CAST($now AS TIMESTAMP), CAST($now AS TIMESTAMP)
FROM unnest(CAST($dates AS VARCHAR[])) AS u(d)
${UPSERT_TAIL}`,
    {
      processor_name: c.processorName,
      run_id: c.runId,
      category,
      reason,
      // A missing upstream or a timeout may pass next time; a processing error needs a fix first.
      can_retry: category !== 'PROCESSING_ERROR',
      now: sqlTimestamp(c.now),
      dates: [...dates],
    },
    { timeoutMs: c.timeoutMs },
  );
}
