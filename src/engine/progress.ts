// Progress of long commands on stderr: a bar on a TTY, otherwise a log line at most every
// `intervalMs` (and at the end), so CI logs and pipes stay readable.
import type { SingleBar } from 'cli-progress';
import { cliProgress } from '../core/lazy-module.js';

export interface Progress {
  start(total: number, label: string): void;
  /** A batch of `processor` starts (detail: its date range); lets a watcher say what is running now. */
  began?(processor: string, detail: string): void;
  advance(partitions: number, detail: string): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { start: () => undefined, advance: () => undefined, stop: () => undefined };

class LogProgress implements Progress {
  private total = 0;
  private done = 0;
  private label = '';
  private lastAt = 0;
  private startedAt = 0;
  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs: number,
  ) {}
  start(total: number, label: string): void {
    this.total = total;
    this.label = label;
    this.startedAt = Date.now();
    this.write(`${label}: ${total} partitions to build`);
  }
  advance(partitions: number, detail: string): void {
    this.done += partitions;
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs && this.done < this.total) return;
    this.lastAt = now;
    this.write(`${this.label}: ${this.done}/${this.total} partitions (${((now - this.startedAt) / 1000).toFixed(1)} s) ${detail}`);
  }
  stop(): void {
    if (this.done < this.total) this.write(`${this.label}: stopped at ${this.done}/${this.total} partitions`);
  }
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  constructor() {
    const { SingleBar, Presets } = cliProgress();
    this.bar = new SingleBar(
      { format: '{label} [{bar}] {value}/{total} partitions | {duration_formatted} | {detail}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
      Presets.shades_classic,
    );
  }
  start(total: number, label: string): void {
    this.bar.start(total, 0, { label, detail: '' });
  }
  began(processor: string, detail: string): void {
    this.bar.update({ detail: `${processor} ${detail} running` });
  }
  advance(partitions: number, detail: string): void {
    this.bar.increment(partitions, { detail });
  }
  stop(): void {
    this.bar.stop();
  }
}

/** Bar on an interactive stderr, periodic lines otherwise (COURTSIDE_PROGRESS_INTERVAL_MS, default 2 s). */
export function createProgress(options: { tty?: boolean; intervalMs?: number } = {}): Progress {
  const tty = options.tty ?? process.stderr.isTTY === true;
  if (tty) return new BarProgress();
  const fromEnv = Number(process.env['COURTSIDE_PROGRESS_INTERVAL_MS']);
  const intervalMs = options.intervalMs ?? (Number.isFinite(fromEnv) && process.env['COURTSIDE_PROGRESS_INTERVAL_MS'] ? fromEnv : 2_000);
  return new LogProgress((line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`), intervalMs);
}
