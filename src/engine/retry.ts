// Bounded retry with exponential backoff for transient warehouse errors (write-write conflicts
// between concurrent processors, a busy file). Timeouts and logic errors are never retried.
import { QueryTimeoutError } from '../core/errors.js';

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5_000 };

const TRANSIENT = [
  /\bConflict\b/i, // DuckDB optimistic concurrency: "Conflict on tuple deletion", "Conflict on update"
  /TransactionContext Error/i,
  /Could not set lock on file/i,
  /\b(EBUSY|EAGAIN|resource temporarily unavailable|device or resource busy)\b/i,
  /IO Error.*\bbusy\b/i,
];

export function isTransient(err: unknown): boolean {
  if (err instanceof QueryTimeoutError) return false;
  const message = err instanceof Error ? err.message : String(err);
  return TRANSIENT.some((re) => re.test(message));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work`; on a transient error waits base × 2^n (jittered, capped) and tries again. */
export async function withRetry<T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, onRetry?: (err: unknown, attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      onRetry?.(err, attempt);
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}
