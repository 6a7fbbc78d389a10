// The one notification policy. Console always; remote sinks (Slack, e-mail) get, in backfill mode,
// exactly one summary at the end (no per-date messages), and in daily mode the run's alerts, each
// signature at most `maxPerWindow` times per window, counted in nba_processing.notification_log so
// that the limit holds across runs. Every send has a deadline (sendWithDeadline); the engine calls
// finish() only after the run's results and its run_history row are committed.
import type { Warehouse } from '../../warehouse/warehouse.js';
import { sqlTimestamp } from '../failures.js';
import type { RunMode } from '../types.js';
import { DEFAULT_SEND_TIMEOUT_MS, sendFailureCause, sendWithDeadline } from './deadline.js';
import type { NotificationEvent, NotificationSink, Notifier } from './event.js';

export interface RateLimit {
  readonly maxPerWindow: number;
  readonly windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { maxPerWindow: 5, windowMs: 3_600_000 };

export interface PolicyOptions {
  readonly mode: RunMode;
  readonly runId?: string;
  readonly rateLimit?: RateLimit;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
  /** Deadline of each remote send (default 5 s); sinks are sent to concurrently, so this bounds finish(). */
  readonly sendTimeoutMs?: number;
  /** Write the run summary to the console too (default); false when the caller prints it itself, as the CLI does. */
  readonly echoSummary?: boolean;
}

export class NotificationPolicy implements Notifier {
  private readonly queue: NotificationEvent[] = [];
  private readonly log: (line: string) => void;
  constructor(
    private readonly wh: Warehouse,
    private readonly sinks: readonly NotificationSink[],
    private readonly o: PolicyOptions,
  ) {
    this.log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  event(e: NotificationEvent): void {
    // Per-date lines on the console would drown a season backfill; there the summary says it all.
    if (this.o.mode === 'daily') this.log(`[${e.severity}] ${e.title}: ${e.message}`);
    this.queue.push(e);
  }

  async finish(summary: NotificationEvent): Promise<void> {
    if (this.o.echoSummary !== false) this.log(`${summary.title}\n${summary.message}`);
    if (this.o.mode === 'backfill') {
      await this.deliver(summary.title, summary.message);
      return;
    }
    const allowed: NotificationEvent[] = [];
    const limited: NotificationEvent[] = [];
    const seen = new Set<string>();
    for (const e of this.queue) {
      if (seen.has(e.signature)) continue;
      seen.add(e.signature);
      if (await this.withinLimit(e)) allowed.push(e);
      else {
        limited.push(e);
        this.log(`notification suppressed (rate limit): ${e.signature}`);
      }
    }
    // Logged after the send: an alert that no sink delivered (all down, or none configured) is
    // logged as suppressed, so that it does not use up the window and the next run sends it.
    let delivered = false;
    if (allowed.length > 0) {
      const subject = allowed.length === 1 ? (allowed[0]?.title ?? '') : `courtside daily: ${allowed.length} alerts`;
      delivered = await this.deliver(subject, allowed.map((e) => `[${e.severity}] ${e.title}\n${e.message}`).join('\n\n'));
    }
    for (const e of allowed) await this.record(e, !delivered);
    for (const e of limited) await this.record(e, true);
  }

  /** Whether this signature's deliveries in the window leave room for one more. */
  private async withinLimit(e: NotificationEvent): Promise<boolean> {
    const limit = this.o.rateLimit ?? DEFAULT_RATE_LIMIT;
    const now = this.o.now?.() ?? new Date();
    const since = new Date(now.getTime() - limit.windowMs);
    const rows = await this.wh.query<{ n: number }>(
      `SELECT count(*) AS n FROM nba_processing.notification_log WHERE signature = $signature AND NOT suppressed AND sent_at > CAST($since AS TIMESTAMP)`,
      { signature: e.signature, since: sqlTimestamp(since) },
    );
    return Number(rows[0]?.n ?? 0) < limit.maxPerWindow;
  }

  /** Logs the attempt: sent (delivered by at least one sink) or suppressed (rate limit, or not delivered). */
  private async record(e: NotificationEvent, suppressed: boolean): Promise<void> {
    const now = this.o.now?.() ?? new Date();
    await this.wh.exec(
      `INSERT INTO nba_processing.notification_log (signature, event_type, sent_at, suppressed, run_id) VALUES ($signature, $type, CAST($now AS TIMESTAMP), $suppressed, NULLIF($run_id, ''))`,
      { signature: e.signature, type: e.type, now: sqlTimestamp(now), suppressed, run_id: this.o.runId ?? '' },
    );
  }

  /**
   * A sink that is down or silent must neither fail nor hold the run: each send is cut off at the
   * deadline, and a warning names the sink and the cause; the other sinks still get the message.
   */
  private async deliver(subject: string, body: string): Promise<boolean> {
    const timeoutMs = this.o.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    const sent = await Promise.all(
      this.sinks.map((s) =>
        sendWithDeadline(s, subject, body, timeoutMs).then(
          () => true,
          (err: unknown) => {
            this.log(`warning: notification to ${s.name} failed: ${sendFailureCause(err)}`);
            return false;
          },
        ),
      ),
    );
    return sent.includes(true);
  }
}
