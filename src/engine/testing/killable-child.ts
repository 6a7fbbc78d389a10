// Runs a backfill child process for the SIGKILL tests; with `killAfterLines`, kills it `extraMs`
// after that many per-batch progress lines, so kills land between and inside batch transactions.
import { spawn } from 'node:child_process';

export interface ChildResult {
  readonly killed: boolean;
  readonly progressLines: number;
  readonly stdout: string;
  readonly code: number | null;
}

export function runKillableChild(script: string, args: readonly string[], killAfterLines?: number, extraMs = 0): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      lines = (stderr.match(/ partitions \(/g) ?? []).length;
      if (killAfterLines !== undefined && !killed && lines >= killAfterLines) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ killed, progressLines: lines, stdout, code });
    });
  });
}
