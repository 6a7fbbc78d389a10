// The live progress of a run in a small JSON file beside the database (<db>.progress.json). A run
// holds the DuckDB file's write lock for its whole duration, so no other process can read the
// warehouse meanwhile; this file is how they (the dashboard) can still say what the run is doing.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { z as Zod } from 'zod';
import { zod } from '../core/lazy-module.js';
import { currentProcess, liveness } from './process-identity.js';
import type { Progress } from './progress.js';

// Built on first read (zod is loaded only by readers: a run writes the file without it).
const snapshotSchema = (z: typeof Zod) => z.object({
  run_id: z.string(),
  pid: z.number().int(),
  command: z.string(),
  label: z.string(),
  partitions_done: z.number().int(),
  partitions_total: z.number().int(),
  /** The processor of the batch started last (several may run at once within a level). */
  current_processor: z.string().nullable(),
  current_batch: z.string().nullable(),
  /** What the last finished batch reported, e.g. "psza 2021-11-01..2021-11-01 ok". */
  last_detail: z.string().nullable(),
  started_at: z.string(),
  updated_at: z.string(),
  /** Host and start stamp of the process (process-identity.ts), so that a reused pid is not taken
   * for the run; absent in files written before they were recorded. */
  hostname: z.string().optional(),
  process_start: z.string().nullable().optional(),
});

export type ProgressSnapshot = Zod.infer<ReturnType<typeof snapshotSchema>>;
let snapshot: ReturnType<typeof snapshotSchema> | undefined;

export function progressFilePath(dbPath: string): string {
  return `${dbPath}.progress.json`;
}

/** The snapshot in `path`, or null when there is none (or it is not one of ours). */
export function readProgressFile(path: string): ProgressSnapshot | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    snapshot ??= snapshotSchema(zod().z);
    const parsed = snapshot.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether the run that wrote `snapshot` may still be working: its process (pid, host and start
 * stamp, as run_history judges a run) has not ended. A file from before host and start were
 * recorded is judged by its pid alone.
 */
export function snapshotAlive(snapshot: ProgressSnapshot): boolean {
  if (snapshot.hostname === undefined) return processAlive(snapshot.pid);
  return liveness({ pid: snapshot.pid, hostname: snapshot.hostname, start: snapshot.process_start ?? null }) !== 'gone';
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class ProgressFile implements Progress {
  private snapshot: ProgressSnapshot;
  private warned = false;
  constructor(
    private readonly inner: Progress,
    private readonly path: string,
    run: { readonly runId: string; readonly command: string },
  ) {
    const now = new Date().toISOString();
    const me = currentProcess();
    this.snapshot = {
      run_id: run.runId, pid: me.pid, command: run.command, label: '', partitions_done: 0, partitions_total: 0,
      current_processor: null, current_batch: null, last_detail: null, started_at: now, updated_at: now,
      hostname: me.hostname, process_start: me.start,
    };
  }

  /** Write-then-rename, so a reader sees the old snapshot or the new one, never half of one. */
  private write(change: Partial<ProgressSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change, updated_at: new Date().toISOString() };
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(this.snapshot)}\n`);
      renameSync(tmp, this.path);
    } catch (err) {
      // Progress is for watchers: failing to publish it must never fail the run.
      if (!this.warned) process.stderr.write(`courtside: cannot write ${this.path}: ${(err as Error).message}\n`);
      this.warned = true;
    }
  }

  start(total: number, label: string): void {
    this.inner.start(total, label);
    this.write({ partitions_total: total, label });
  }
  began(processor: string, detail: string): void {
    this.inner.began?.(processor, detail);
    this.write({ current_processor: processor, current_batch: detail });
  }
  advance(partitions: number, detail: string): void {
    this.inner.advance(partitions, detail);
    this.write({ partitions_done: this.snapshot.partitions_done + partitions, last_detail: detail });
  }
  stop(): void {
    this.inner.stop();
    try {
      rmSync(this.path, { force: true });
    } catch {
      // Left behind, it names a pid that is gone: readers treat it as an interrupted run.
    }
  }
}

/** `inner` plus the progress file at `path`, created at start and removed when the run stops. */
export function withProgressFile(inner: Progress, path: string, run: { readonly runId: string; readonly command: string }): Progress {
  return new ProgressFile(inner, path, run);
}
