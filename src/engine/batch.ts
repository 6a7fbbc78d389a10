// One batch of one processor = one atomic unit: stage the candidates, delete the range, insert the
// recomputed rows, run the audits, merge the failure rows, replace the partition statuses. On
// BigQuery that is ONE script job (BEGIN … COMMIT TRANSACTION), on DuckDB the same statements in one
// transaction: either all of it commits or none of it does, so a crash leaves the old partitions or
// the new ones, never a mix or duplicates.
import type { IsoDate } from '../core/dates.js';
import { QueryTimeoutError, errorMessage } from '../core/errors.js';
import { batchQueries } from '../processors/batch-queries.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import { tablesOf } from '../warehouse/bigquery/parse-ddl.js';
import { assertEmpty, renderPieces, type Dialect } from '../warehouse/dialect-pieces.js';
import type { SqlValue, Warehouse } from '../warehouse/warehouse.js';
import { dateLevelParams, DELETE_OTHER_DATE_LEVEL_FAILURES_SQL, failureParams, mergeEntityFailuresSql, MERGE_DATE_LEVEL_FAILURES_SQL } from './failures.js';
import { BATCH_STATUSES_SQL, DELETE_STATUSES_IN_RANGE_SQL, DELETE_STATUSES_OF_DATES_SQL, partitionEntries, statusParams, successStatusesSql, UNSUCCESSFUL_STATUSES_SQL } from './partitions.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { DateLevelCategory, GameDate } from './types.js';

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

const outputColumnsCache = new WeakMap<ProcessorDefinition, readonly string[]>();

/** The output table's columns, from the processor's DDL: INSERT names them (BY NAME is DuckDB's alone). */
export function outputColumns(p: ProcessorDefinition): readonly string[] {
  let columns = outputColumnsCache.get(p);
  if (!columns) {
    const table = tablesOf(p.ddl).get(p.outputTable);
    if (!table) throw new Error(`${p.key}: its DDL does not create its output table ${p.outputTable}`);
    columns = table.columns.map((c) => c.name);
    outputColumnsCache.set(p, columns);
  }
  return columns;
}

/**
 * The statements of one batch, in order, for `dialect` (only the audits' form differs). Params:
 * batchParams. The last statement returns the batch's partitions as stored.
 */
export function batchStatements(dialect: Dialect, p: ProcessorDefinition): string[] {
  const q = batchQueries(p);
  const columns = outputColumns(p).join(', ');
  return [
    ...q.setup,
    `DELETE FROM ${p.outputTable} WHERE ${p.dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    `INSERT INTO ${p.outputTable} (${columns})\nSELECT ${columns} FROM (${q.computeSql}) AS courtside_output`,
    ...p.audits.flatMap((a) => assertEmpty(dialect, a.sql, `${p.processorName}: audit '${a.name}' failed`)),
    mergeEntityFailuresSql(q.failuresSql),
    DELETE_STATUSES_IN_RANGE_SQL,
    successStatusesSql(p),
    BATCH_STATUSES_SQL,
  ];
}

const renderedCache: Record<Dialect, WeakMap<ProcessorDefinition, readonly string[]>> = { duckdb: new WeakMap(), bigquery: new WeakMap() };

/**
 * batchStatements with their pieces rendered, once per processor and dialect: the texts never change
 * (values are bound parameters), and rendering a processor's SQL costs milliseconds each time, while
 * the warehouses pass text without pieces through unchanged.
 */
export function renderedBatchStatements(dialect: Dialect, p: ProcessorDefinition): readonly string[] {
  let statements = renderedCache[dialect].get(p);
  if (!statements) {
    statements = batchStatements(dialect, p).map((s) => renderPieces(s, dialect));
    renderedCache[dialect].set(p, statements);
  }
  return statements;
}

/** The parameters of batchStatements: the processor's thresholds, the range, and the bookkeeping values. */
export function batchParams(p: ProcessorDefinition, b: BatchSpec, c: BatchContext, startedAt: Date, now: Date): Record<string, SqlValue> {
  const w = { processorName: p.processorName, version: p.version, runId: c.runId, startedAt, finishedAt: now };
  return { ...c.thresholds, ...statusParams(w), ...failureParams({ processorName: p.processorName, runId: c.runId, now }), from: b.from, to: b.to, partitions: partitionEntries(b.dates, b.fingerprints) };
}

type StatusRow = { partition_date: string; status: string; rows_written: number; entity_failures: number; output_checksum: string | null };

async function writeBatch(wh: Warehouse, p: ProcessorDefinition, b: BatchSpec, c: BatchContext, startedAt: Date): Promise<PartitionResult[]> {
  // Labels name the run and processor on every BigQuery job (DuckDB ignores them).
  const q = { timeoutMs: c.timeoutMs, labels: { run_id: c.runId, processor: p.key } };
  const statements = renderedBatchStatements(wh.dialect, p);
  const params = batchParams(p, b, c, startedAt, new Date());
  // A processor with a prepare step (e.g. fitting the models its SQL reads) runs it first in the
  // batch's transaction, so that what it writes commits or rolls back with the batch.
  const prepare = p.prepare;
  const rows = (prepare
    ? await wh.transaction(async (tx) => {
        await prepare(tx, params, q);
        return tx.script(statements, params, q);
      })
    : await wh.script(statements, params, q)) as StatusRow[];
  return rows.map((r) => ({ date: r.partition_date, status: r.status, rowsWritten: Number(r.rows_written), entityFailures: Number(r.entity_failures), outputChecksum: r.output_checksum }));
}

/** Runs one batch with bounded retries; a failure is recorded (status + DATE_LEVEL row), not thrown. */
export async function runBatch(wh: Warehouse, p: ProcessorDefinition, b: BatchSpec, c: BatchContext): Promise<BatchOutcome> {
  const startedAt = new Date();
  try {
    const partitions = await withRetry(() => writeBatch(wh, p, b, c, startedAt), c.retry, c.onRetry);
    return { ok: true, category: null, error: null, partitions, durationMs: Date.now() - startedAt.getTime() };
  } catch (err) {
    return failBatch(wh, p, b, c, err, startedAt);
  }
}

/**
 * Records a batch that could not be built because of `err` — its own unit failed (rolled back
 * whole), or a read it needed first did — as failed: QUERY_TIMEOUT for a timeout, else
 * PROCESSING_ERROR, one DATE_LEVEL row per date. The run goes on.
 */
export async function failBatch(wh: Warehouse, p: ProcessorDefinition, b: BatchSpec, c: BatchContext, err: unknown, startedAt: Date): Promise<BatchOutcome> {
  const category: DateLevelCategory = err instanceof QueryTimeoutError ? 'QUERY_TIMEOUT' : 'PROCESSING_ERROR';
  const reason = `${p.key} ${b.from}..${b.to}: ${errorMessage(err)}`;
  const dates = b.dates.map((d) => d.date);
  await recordFailure(wh, p, dates, 'failed', category, reason, c, startedAt);
  const partitions = dates.map((date) => ({ date, status: 'failed', rowsWritten: 0, entityFailures: 0, outputChecksum: null }));
  return { ok: false, category, error: reason, partitions, durationMs: Date.now() - startedAt.getTime() };
}

/**
 * The bound of the bookkeeping that records partitions as failed or skipped (recordFailure): not the
 * batch's own timeout, which is what it may have to record. Under that timeout a batch that timed
 * out could not be recorded as QUERY_TIMEOUT whenever the recording itself took as long as the work
 * did (`--timeout-seconds 0.01` on DuckDB; a few seconds on BigQuery, where a DML script job takes
 * seconds): the run stopped, failed, instead of going on. It writes a few rows per date, so it gets
 * the bound every other bookkeeping query has (the CLI's 5 minutes: run history, reports), or the
 * run's timeout when that is longer.
 */
export const BOOKKEEPING_TIMEOUT_MS = 300_000;

export function bookkeepingTimeoutMs(runTimeoutMs: number): number {
  return Math.max(runTimeoutMs, BOOKKEEPING_TIMEOUT_MS);
}

/**
 * Marks partitions that cannot be computed: `failed` with a DATE_LEVEL failure row, or
 * `skipped_upstream` (the failure is reported once, at the upstream). Old output rows are kept.
 */
export async function recordFailure(wh: Warehouse, p: ProcessorDefinition, dates: readonly IsoDate[], status: 'failed' | 'skipped_upstream', category: DateLevelCategory | null, reason: string, c: BatchContext, startedAt: Date): Promise<void> {
  if (dates.length === 0) return;
  const finishedAt = new Date();
  const w = { processorName: p.processorName, version: p.version, runId: c.runId, startedAt, finishedAt };
  const statements = [DELETE_STATUSES_OF_DATES_SQL, UNSUCCESSFUL_STATUSES_SQL];
  let params: Record<string, SqlValue> = { ...statusParams(w), dates: [...dates], status, category: category ?? '', detail: reason };
  if (status === 'failed' && category) {
    statements.push(MERGE_DATE_LEVEL_FAILURES_SQL);
    params = { ...params, ...dateLevelParams(dates, category, reason, { processorName: p.processorName, runId: c.runId, now: finishedAt }) };
  }
  statements.push(DELETE_OTHER_DATE_LEVEL_FAILURES_SQL);
  const options = { timeoutMs: bookkeepingTimeoutMs(c.timeoutMs), labels: { run_id: c.runId, processor: p.key } };
  await withRetry(() => wh.script(statements, params, options), c.retry, c.onRetry);
}
