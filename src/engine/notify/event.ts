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
  readonly name: string;
  send(subject: string, body: string): Promise<void>;
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
