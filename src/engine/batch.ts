// One batch of one processor = one transaction: delete the range, insert the recomputed rows, run
// the audits, replace the failure rows, write the partition statuses. Either all of it commits or
// none of it does, so a crash leaves the old partitions or the new ones, never a mix or duplicates.
import type { IsoDate } from '../core/dates.js';
import { CourtsideError, QueryTimeoutError, errorMessage } from '../core/errors.js';
import { withBatchQueries } from '../processors/batch-queries.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { replaceEntityFailures, upsertDateLevelFailures } from './failures.js';
import { writeSuccessStatuses, writeUnsuccessfulStatuses } from './partitions.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { DateLevelCategory, GameDate } from './types.js';

/** An audit returned rows: the batch is rolled back and its partitions fail with PROCESSING_ERROR. */
export class AuditError extends CourtsideError {
  constructor(processor: string, audit: string, sample: unknown) {
    super('AUDIT_FAILED', `${processor}: audit '${audit}' failed, e.g. ${JSON.stringify(sample)}`);
  }
}

export interface BatchSpec {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly dates: readonly GameDate[];
  /** Upstream fingerprint per date, in the order of `dates`. */
  readonly fingerprints: readonly string[];
}

export interface BatchContext {
  readonly runId: string;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly onRetry?: (err: unknown, attempt: number) => void;
}

export interface PartitionResult {
  readonly date: IsoDate;
  readonly status: string;
  readonly rowsWritten: number;
  readonly entityFailures: number;
  readonly outputChecksum: string | null;
}

export interface BatchOutcome {
  readonly ok: boolean;
  readonly category: DateLevelCategory | null;
  readonly error: string | null;
  readonly partitions: readonly PartitionResult[];
  readonly durationMs: number;
}

const stripSemicolon = (sql: string) => sql.trim().replace(/;\s*$/, '');

async function writeBatch(tx: Warehouse, p: ProcessorDefinition, b: BatchSpec, c: BatchContext, startedAt: Date): Promise<PartitionResult[]> {
  const q = { timeoutMs: c.timeoutMs };
  const params = { ...c.thresholds, from: b.from, to: b.to, run_id: c.runId };
  await tx.exec(`DELETE FROM ${p.outputTable} WHERE ${p.dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, params, q);
  if (p.prepare) await p.prepare(tx, params, q);
  const now = new Date();
  await withBatchQueries(tx, p, params, q, async (queries) => {
    await tx.exec(`INSERT INTO ${p.outputTable} BY NAME SELECT * FROM (${queries.computeSql})`, params, q);
    for (const audit of p.audits) {
      const bad = await tx.query(`SELECT * FROM (${stripSemicolon(audit.sql)}) LIMIT 3`, params, q);
      if (bad.length > 0) throw new AuditError(p.processorName, audit.name, bad[0]);
    }
    await replaceEntityFailures(tx, queries.failuresSql, params, b.from, b.to, { processorName: p.processorName, runId: c.runId, now, timeoutMs: c.timeoutMs });
  });
  await writeSuccessStatuses(tx, p, b.dates, b.fingerprints, b.from, b.to, {
    processorName: p.processorName,
    version: p.version,
    runId: c.runId,
    startedAt,
    finishedAt: now,
    timeoutMs: c.timeoutMs,
  });
  const rows = await tx.query<{ partition_date: string; status: string; rows_written: number; entity_failures: number; output_checksum: string | null }>(
    `SELECT partition_date, status, rows_written, entity_failures, output_checksum FROM nba_processing.partition_status
WHERE processor_name = $processor_name AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY partition_date`,
    { processor_name: p.processorName, from: b.from, to: b.to },
    q,
  );
  return rows.map((r) => ({ date: r.partition_date, status: r.status, rowsWritten: r.rows_written, entityFailures: r.entity_failures, outputChecksum: r.output_checksum }));
}

/** Runs one batch with bounded retries; a failure is recorded (status + DATE_LEVEL row), not thrown. */
export async function runBatch(wh: Warehouse, p: ProcessorDefinition, b: BatchSpec, c: BatchContext): Promise<BatchOutcome> {
  const startedAt = new Date();
  try {
    const partitions = await withRetry(() => wh.transaction((tx) => writeBatch(tx, p, b, c, startedAt)), c.retry, c.onRetry);
    return { ok: true, category: null, error: null, partitions, durationMs: Date.now() - startedAt.getTime() };
  } catch (err) {
    const category: DateLevelCategory = err instanceof QueryTimeoutError ? 'QUERY_TIMEOUT' : 'PROCESSING_ERROR';
    const reason = `${p.key} ${b.from}..${b.to}: ${errorMessage(err)}`;
    const dates = b.dates.map((d) => d.date);
    await recordFailure(wh, p, dates, 'failed', category, reason, c, startedAt);
    const partitions = dates.map((date) => ({ date, status: 'failed', rowsWritten: 0, entityFailures: 0, outputChecksum: null }));
    return { ok: false, category, error: reason, partitions, durationMs: Date.now() - startedAt.getTime() };
  }
}

/**
 * Marks partitions that cannot be computed: `failed` with a DATE_LEVEL failure row, or
 * `skipped_upstream` (the failure is reported once, at the upstream). Old output rows are kept.
 */
export async function recordFailure(wh: Warehouse, p: ProcessorDefinition, dates: readonly IsoDate[], status: 'failed' | 'skipped_upstream', category: DateLevelCategory | null, reason: string, c: BatchContext, startedAt: Date): Promise<void> {
  if (dates.length === 0) return;
  const finishedAt = new Date();
  const w = { processorName: p.processorName, version: p.version, runId: c.runId, startedAt, finishedAt, timeoutMs: c.timeoutMs };
  await withRetry(
    () =>
      wh.transaction(async (tx) => {
        await writeUnsuccessfulStatuses(tx, dates, status, category, reason, w);
        if (status === 'failed' && category) await upsertDateLevelFailures(tx, dates, category, reason, { processorName: p.processorName, runId: c.runId, now: finishedAt, timeoutMs: c.timeoutMs });
      }),
    c.retry,
    c.onRetry,
  );
}
