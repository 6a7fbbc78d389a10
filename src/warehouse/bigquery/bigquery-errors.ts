// How a BigQuery failure is handled: retried (rate limits, backend errors, 5xx/429), retried as a
// whole transaction (BigQuery cancelled it for a concurrent one on the same table), reported as a
// timeout, or passed on. One classification, used by the warehouse and documented for the engine.
import { CourtsideError } from '../../core/errors.js';

export type BigQueryErrorClass = 'transient' | 'conflict' | 'timeout' | 'fatal';

/** A job that finished with an errorResult. */
export class BigQueryJobError extends CourtsideError {
  readonly reason: string;
  readonly jobId: string;
  constructor(jobId: string, reason: string, message: string, sql: string) {
    super('BIGQUERY_JOB', `BigQuery job ${jobId} failed (${reason}): ${message} — in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    this.reason = reason;
    this.jobId = jobId;
  }
}

/**
 * BigQuery accepted a job, then its status or results could not be read (the API kept failing): the
 * job may have run, so it is not resubmitted (a load would append twice). Its message names the job
 * to look up; the cause is the last API error.
 */
export class JobStateUnknownError extends CourtsideError {
  readonly jobId: string;
  constructor(jobId: string, what: string, sql: string, cause: unknown) {
    super('BIGQUERY_JOB_UNKNOWN', `BigQuery job ${jobId} was accepted but ${what} (${cause instanceof Error ? cause.message : String(cause)}); it was not resubmitted, since it may have run — check the job before running this again — in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`, 1, { cause });
    this.jobId = jobId;
  }
}

/**
 * BigQuery aborted a transaction because another one changed the same table first. Nothing of it
 * was committed, so running the whole unit again is safe. Its message contains "Conflict", which
 * the engine's isTransient() retries like DuckDB's write-write conflicts.
 */
export class TransactionConflictError extends CourtsideError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSACTION_CONFLICT', `Conflict: BigQuery aborted the transaction for a concurrent update of the same table (${message})`, 1, options);
  }
}

/** Reasons BigQuery documents as retryable (https://cloud.google.com/bigquery/docs/error-messages). */
const TRANSIENT_REASONS = new Set(['rateLimitExceeded', 'backendError', 'internalError', 'jobBackendError', 'jobInternalError']);
const TRANSIENT_HTTP = new Set([408, 429, 500, 502, 503, 504]);
const CONFLICT = /concurrent update|aborted due to concurrent|could not serialize access|transaction .*conflict/i;
const TIMEOUT = /timed out|timeout exceeded|exceeded the (job )?timeout|job execution was cancelled: job timed out/i;
const NETWORK = /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up)\b/;

interface ApiErrorLike {
  readonly code?: unknown;
  readonly errors?: readonly { readonly reason?: string; readonly message?: string }[];
  readonly message?: string;
}

/** The reasons an error carries: a job's errorResult reason, or the REST error's `errors[].reason`. */
export function errorReasons(err: unknown): string[] {
  if (err instanceof BigQueryJobError) return [err.reason];
  const e = err as ApiErrorLike | null;
  return (e?.errors ?? []).map((x) => x.reason ?? '').filter((r) => r !== '');
}

export function classifyBigQueryError(err: unknown): BigQueryErrorClass {
  if (err instanceof TransactionConflictError) return 'conflict';
  const message = err instanceof Error ? err.message : String(err);
  const reasons = errorReasons(err);
  if (CONFLICT.test(message)) return 'conflict';
  if (reasons.includes('timeout') || (err instanceof BigQueryJobError && (err.reason === 'stopped' || err.reason === 'timeout') && TIMEOUT.test(message))) return 'timeout';
  if (reasons.some((r) => TRANSIENT_REASONS.has(r))) return 'transient';
  const code = (err as ApiErrorLike | null)?.code;
  if (typeof code === 'number' && TRANSIENT_HTTP.has(code)) return 'transient';
  if (typeof code === 'string' && NETWORK.test(code)) return 'transient';
  if (NETWORK.test(message)) return 'transient';
  return 'fatal';
}

/** For the engine's retry policy: a BigQuery error worth another attempt (transient or a conflict). */
export function isRetryableBigQueryError(err: unknown): boolean {
  const c = classifyBigQueryError(err);
  return c === 'transient' || c === 'conflict';
}
