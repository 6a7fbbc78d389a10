// SIGINT / SIGTERM during a run: the first signal asks every active run to stop at its next batch
// boundary (the batch in progress finishes and commits, so partitions stay whole) and the run is
// recorded as `interrupted`; a second signal abandons the open batches — each run gets a moment to
// mark itself interrupted, then the signal is raised again with its default action, so the
// process ends and the uncommitted batch transactions roll back.
import { constants } from 'node:os';

export interface StopRequest {
  /** The signal that asked this run to stop, or null while it may go on. */
  readonly signal: NodeJS.Signals | null;
}

export interface InterruptWatch extends StopRequest {
  /** Stops listening (end of run); the process gets its default signal handling back with the last watch. */
  dispose(): void;
}

interface Watch {
  signal: NodeJS.Signals | null;
  readonly abandon: (signal: NodeJS.Signals) => Promise<void>;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** How long a second signal waits for the runs to record themselves before the process ends. */
const ABANDON_GRACE_MS = 2_000;
const active = new Set<Watch>();
let received = 0;

function onSignal(signal: NodeJS.Signals): void {
  received += 1;
  if (received === 1) {
    for (const w of active) w.signal ??= signal;
    process.stderr.write(`\ncourtside: ${signal} received: finishing the batch in progress, then stopping (send ${signal} again to stop at once; that batch then rolls back)\n`);
    return;
  }
  process.stderr.write(`courtside: ${signal} again: stopping now; the batch in progress rolls back\n`);
  const marks = Promise.allSettled([...active].map((w) => w.abandon(signal)));
  const grace = new Promise((resolve) => setTimeout(resolve, ABANDON_GRACE_MS).unref());
  void Promise.race([marks, grace]).then(() => {
    uninstall();
    process.kill(process.pid, signal);
    // Should someone else still listen to the signal, its default action would not come: end anyway.
    setTimeout(() => process.exit(signalExitCode(signal)), 500);
  });
}

function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  received = 0;
}

/**
 * Watches SIGINT and SIGTERM for one run. `abandon` is called on a second signal, while the run's
 * batches are still open: it should record the run as interrupted (best effort, quickly).
 */
export function watchInterrupts(abandon: (signal: NodeJS.Signals) => Promise<void>): InterruptWatch {
  const w: Watch = { signal: null, abandon };
  if (active.size === 0) install();
  active.add(w);
  return {
    get signal() {
      return w.signal;
    },
    dispose() {
      if (!active.delete(w)) return;
      if (active.size === 0) uninstall();
    },
  };
}

/** The shell convention for "ended by signal n": 128 + n (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
