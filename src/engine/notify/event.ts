// What the engine reports and where it can go. Sinks only deliver; the policy decides what is sent.
export type EventType = 'missing_dependency' | 'stale_data' | 'processing_error' | 'run_summary';

export interface NotificationEvent {
  readonly type: EventType;
  readonly severity: 'info' | 'warning' | 'error';
  /** Identical events share a signature; daily-mode rate limiting counts per signature. */
  readonly signature: string;
  readonly title: string;
  readonly message: string;
}

export interface NotificationSink {
  /** Names the sink in warnings, e.g. "slack webhook https://hooks.slack.com/…" (never a secret). */
  readonly name: string;
  /** Delivers one message; must stop its network I/O (close its sockets) when `signal` aborts. */
  send(subject: string, body: string, signal: AbortSignal): Promise<void>;
}

/** What the engine calls; implemented by NotificationPolicy, or silenced in tests and dry runs. */
export interface Notifier {
  event(e: NotificationEvent): void;
  /** End of run: backfill → the one summary; daily → the rate-limited alerts. */
  finish(summary: NotificationEvent): Promise<void>;
}

export const SILENT: Notifier = {
  event: () => undefined,
  finish: async () => undefined,
};
