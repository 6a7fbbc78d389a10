// Runs a backfill child process for the kill and interrupt tests; with `killAfterLines`, signals it
// `extraMs` after that many per-batch progress lines, so signals land between and inside batch
// transactions. SIGKILL by default; `signals` sends a sequence instead (e.g. SIGINT twice).
import { spawn } from 'node:child_process';

export interface ChildResult {
  readonly killed: boolean;
  readonly progressLines: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  /** The signal that ended the child, when one did (a child that handles SIGTERM exits with a code instead). */
  readonly signal: NodeJS.Signals | null;
  readonly pid: number;
}

export interface SignalOptions {
  /** Sent in order, `gapMs` apart; default one SIGKILL. */
  readonly signals?: readonly NodeJS.Signals[];
  readonly gapMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

export function runKillableChild(script: string, args: readonly string[], killAfterLines?: number, extraMs = 0, options: SignalOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let lines = 0;
    let stdout = '';
    let stderr = '';
    let killed = false;
    const signals = options.signals ?? ['SIGKILL'];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      lines = (stderr.match(/ partitions \(/g) ?? []).length;
      if (killAfterLines !== undefined && !killed && lines >= killAfterLines) {
        killed = true;
        signals.forEach((s, i) => setTimeout(() => child.kill(s), extraMs + i * (options.gapMs ?? 0)));
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ killed, progressLines: lines, stdout, stderr, code, signal, pid: child.pid ?? -1 });
    });
  });
}
