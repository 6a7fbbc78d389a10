// Every notification send runs against a deadline: a sink that accepts the connection and never
// answers (or a mail server that never greets) costs the run at most `timeoutMs`, and the sink's
// socket is aborted rather than left to hold the process open.
import type { NotificationSink } from './event.js';

/** Default deadline of one send: long enough for a healthy webhook or SMTP server, short enough not to hold a run. */
export const DEFAULT_SEND_TIMEOUT_MS = 5_000;

export class SendTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response within ${formatSeconds(timeoutMs)}`);
    this.name = 'SendTimeoutError';
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Sends through `sink`, aborting it after `timeoutMs`. The race makes the deadline hold even for a
 * sink that ignores its signal; the signal is what makes a well-behaved sink close its socket.
 */
export async function sendWithDeadline(sink: NotificationSink, subject: string, body: string, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const err = new SendTimeoutError(timeoutMs);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    await Promise.race([sink.send(subject, body, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface ErrorLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly statusCode?: unknown;
  readonly statusMessage?: unknown;
  readonly body?: unknown;
}

/**
 * Why a send failed, in words: the deadline, an HTTP status, or the innermost cause. Client
 * libraries wrap the socket error ("A request error occurred: fetch failed") in ways that hide it.
 */
export function sendFailureCause(err: unknown): string {
  if (err instanceof SendTimeoutError) return err.message;
  const chain: ErrorLike[] = [];
  for (let e: unknown = err; e !== null && typeof e === 'object' && chain.length < 8; e = (e as ErrorLike).cause) chain.push(e as ErrorLike);
  const timeout = chain.find((e) => e instanceof SendTimeoutError);
  if (timeout instanceof SendTimeoutError) return timeout.message;
  const http = chain.find((e) => typeof e.statusCode === 'number');
  if (http) {
    const detail = typeof http.body === 'string' && http.body.trim() !== '' ? `: ${http.body.trim().slice(0, 200)}` : '';
    return `HTTP ${String(http.statusCode)}${typeof http.statusMessage === 'string' && http.statusMessage ? ` ${http.statusMessage}` : ''}${detail}`;
  }
  const inner = chain[chain.length - 1];
  if (!inner) return String(err);
  const message = typeof inner.message === 'string' && inner.message !== '' ? inner.message : String(err);
  const code = typeof inner.code === 'string' && !message.includes(inner.code) ? ` (${inner.code})` : '';
  return `${message}${code}`;
}

/** A URL fit for a log line: scheme, host and port only; webhook paths and SMTP passwords are secrets. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 || u.search ? '/…' : ''}`;
  } catch {
    return '(unparsable URL)';
  }
}
