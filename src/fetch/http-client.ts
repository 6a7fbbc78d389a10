// A polite HTTP client for the feeds: at most one request per host every `minIntervalMs`, a timeout
// per attempt that covers the body too, and bounded retries with backoff on 429, 5xx, timeouts and
// dropped connections — waiting what a Retry-After header asks (up to a cap) before the next try.
import { CourtsideError, errorMessage } from '../core/errors.js';
import type { HttpPolicy } from './feed-config.js';

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Attempts it took (1 = first try). */
  readonly attempts: number;
  /** Set when a 200 body kept failing the caller's check on every attempt (e.g. truncated JSON). */
  readonly invalid?: string;
}

/** A request that did not get a usable answer: retries exhausted, or a Retry-After beyond the cap. */
export class HttpFetchError extends CourtsideError {
  readonly url: string;
  readonly status: number | null;
  readonly attempts: number;
  constructor(url: string, status: number | null, attempts: number, reason: string) {
    super('FETCH_FAILED', `${url}: ${reason} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, 1);
    this.url = url;
    this.status = status;
    this.attempts = attempts;
  }
}

export interface GetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Checks a 200 body; a reason (e.g. "truncated JSON") makes the attempt count as failed and
   * retried. When every attempt fails it, the last response is returned with `invalid` set, so
   * that it can still land untouched and be reported.
   */
  readonly validate?: (body: Buffer) => string | undefined;
}

export interface HttpClient {
  get(url: string, options?: GetOptions): Promise<HttpResponse>;
}

export interface HttpClientDeps {
  readonly fetch?: typeof globalThis.fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Called before each retry (for logs): what failed and how long we wait. */
  readonly onRetry?: (url: string, attempt: number, reason: string, waitMs: number) => void;
  /** Query parameters whose values never appear in errors or logs (API keys). */
  readonly secretParams?: readonly string[];
}

const RETRYABLE_STATUS = (s: number) => s === 429 || s === 408 || (s >= 500 && s <= 599);

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The URL as logs and manifests may show it: secret query values replaced. */
export function redactUrl(url: string, secretParams: readonly string[] = ['apiKey']): string {
  try {
    const u = new URL(url);
    for (const p of secretParams) if (u.searchParams.has(p)) u.searchParams.set(p, 'REDACTED');
    return u.toString();
  } catch {
    return url;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createHttpClient(policy: HttpPolicy, deps: HttpClientDeps = {}): HttpClient {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const secrets = deps.secretParams ?? ['apiKey'];
  // Per host: when the next request may start. Requests to one host queue behind each other.
  const nextSlot = new Map<string, number>();
  const queues = new Map<string, Promise<unknown>>();

  async function pace(host: string): Promise<void> {
    const wait = (nextSlot.get(host) ?? 0) - now();
    if (wait > 0) await sleep(wait);
    nextSlot.set(host, now() + policy.minIntervalMs);
  }

  async function attempt(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    const res = await doFetch(url, { headers, signal, redirect: 'follow' });
    // Reading the body under the same signal: a response that stalls mid-body times out too.
    const body = Buffer.from(await res.arrayBuffer());
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => (out[k] = v));
    return { status: res.status, headers: out, body };
  }

  async function getOnce(url: string, options: GetOptions): Promise<HttpResponse> {
    const host = new URL(url).host;
    const shown = redactUrl(url, secrets);
    const headers = { 'user-agent': policy.userAgent, accept: 'application/json', ...(options.headers ?? {}) };
    let lastReason = '';
    let lastStatus: number | null = null;
    let lastInvalid: HttpResponse | undefined;
    for (let n = 1; n <= policy.attempts; n++) {
      await pace(host);
      let waitMs: number;
      try {
        const r = await attempt(url, headers);
        const invalid = r.status === 200 ? options.validate?.(r.body) : undefined;
        if (!RETRYABLE_STATUS(r.status) && invalid === undefined) return { url, status: r.status, headers: r.headers, body: r.body, attempts: n };
        if (invalid !== undefined) {
          lastInvalid = { url, status: r.status, headers: r.headers, body: r.body, attempts: n, invalid };
          lastReason = invalid;
          lastStatus = r.status;
          waitMs = backoff(n);
          if (n === policy.attempts) break;
          deps.onRetry?.(shown, n, lastReason, waitMs);
          await sleep(waitMs);
          continue;
        }
        lastStatus = r.status;
        lastReason = `HTTP ${r.status}`;
        const asked = retryAfterMs(r.headers['retry-after'], now());
        if (asked !== undefined && asked > policy.maxRetryAfterMs) {
          throw new HttpFetchError(shown, r.status, n, `server asked to retry after ${Math.round(asked / 1000)} s, beyond the ${Math.round(policy.maxRetryAfterMs / 1000)} s limit`);
        }
        waitMs = asked ?? backoff(n);
      } catch (err) {
        if (err instanceof HttpFetchError) throw err;
        lastStatus = null;
        lastReason = isTimeout(err) ? `no complete response within ${policy.timeoutMs} ms` : `connection failed: ${causeMessage(err)}`;
        waitMs = backoff(n);
      }
      if (n === policy.attempts) break;
      deps.onRetry?.(shown, n, lastReason, waitMs);
      await sleep(waitMs);
    }
    if (lastInvalid && lastReason === lastInvalid.invalid) return { ...lastInvalid, attempts: policy.attempts };
    throw new HttpFetchError(shown, lastStatus, policy.attempts, lastReason);
  }

  function backoff(attemptNo: number): number {
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNo - 1));
    return Math.round(delay / 2 + Math.random() * (delay / 2));
  }

  return {
    get(url, options = {}) {
      const host = new URL(url).host;
      const run = (queues.get(host) ?? Promise.resolve()).then(() => getOnce(url, options));
      queues.set(host, run.catch(() => undefined));
      return run;
    },
  };
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } } | null;
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError';
}

function causeMessage(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause ? `${errorMessage(err)} (${errorMessage(cause)})` : errorMessage(err);
}
