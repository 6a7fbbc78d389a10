// Run history: one run_history row per command run (written 'running' first, with the process
// that runs it, so a killed run stays visible) and one run_steps row per processor batch. Every
// command that starts a run first marks runs whose process is gone as 'interrupted'.
import type { IsoDate } from '../core/dates.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { sqlTimestamp } from './failures.js';
import { currentProcess, liveness } from './process-identity.js';
import type { RunMode, RunSummary } from './types.js';

type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`${line}\n`);

export async function startRun(wh: Warehouse, runId: string, command: string, args: unknown, mode: RunMode | 'ingest' | 'maintenance', startedAt: Date, log: Log = stderrLog): Promise<void> {
  await markInterruptedRuns(wh, runId, log);
  const me = currentProcess();
  await wh.exec(
    `INSERT INTO nba_processing.run_history (run_id, command, arguments, mode, started_at, status, pid, hostname, process_start)
VALUES ($run_id, $command, $arguments, $mode, CAST($started_at AS TIMESTAMP), 'running', $pid, $hostname, NULLIF($process_start, ''))`,
    { run_id: runId, command, arguments: JSON.stringify(args ?? {}), mode, started_at: sqlTimestamp(startedAt), pid: me.pid, hostname: me.hostname, process_start: me.start ?? '' },
  );
}

export async function finishRun(wh: Warehouse, runId: string, status: RunSummary['status'], summary: unknown): Promise<void> {
  await wh.exec(
    `UPDATE nba_processing.run_history SET finished_at = CAST($finished_at AS TIMESTAMP), status = $status, summary = $summary WHERE run_id = $run_id`,
    { run_id: runId, status, summary: JSON.stringify(summary), finished_at: sqlTimestamp(new Date()) },
  );
}

/** Records a run abandoned on a second signal; only while it is still 'running' (it may just have finished). */
export async function abandonRun(wh: Warehouse, runId: string, summary: unknown): Promise<void> {
  await wh.exec(
    `UPDATE nba_processing.run_history SET finished_at = CAST($finished_at AS TIMESTAMP), status = 'interrupted', summary = $summary
WHERE run_id = $run_id AND status = 'running'`,
    { run_id: runId, summary: JSON.stringify(summary), finished_at: sqlTimestamp(new Date()) },
  );
}

export interface InterruptedRun {
  readonly runId: string;
  readonly command: string;
  readonly pid: number;
  readonly batches: number;
  readonly partitions: number;
}

type RunningRow = {
  readonly run_id: string;
  readonly command: string;
  readonly pid: number | null;
  readonly hostname: string | null;
  readonly process_start: string | null;
};

const RUNNING_SQL = `SELECT run_id, command, pid, hostname, process_start FROM nba_processing.run_history WHERE status = 'running' ORDER BY started_at, run_id`;

/** Whether markInterruptedRuns would mark any run (read-only: a backfill with nothing else to do need not open for writing otherwise). */
export async function interruptedRunsToMark(wh: Warehouse): Promise<boolean> {
  const running = await wh.query<RunningRow>(RUNNING_SQL);
  return running.some((r) => r.pid !== null && liveness({ pid: r.pid, hostname: r.hostname, start: r.process_start }) === 'gone');
}

/**
 * Marks every 'running' run whose process is gone as 'interrupted' (finished_at = its last
 * finished batch, the last thing the history knows it did; NULL when it committed none: when it
 * ended is unknown, and its start would claim it lasted 0 s). A run on another host cannot be
 * checked from here: it is left as it is, and said so.
 */
export async function markInterruptedRuns(wh: Warehouse, noticedBy: string, log: Log = stderrLog): Promise<InterruptedRun[]> {
  const running = await wh.query<RunningRow>(RUNNING_SQL);
  const marked: InterruptedRun[] = [];
  for (const r of running) {
    const state = liveness({ pid: r.pid, hostname: r.hostname, start: r.process_start });
    if (state === 'other_host') log(`courtside: run ${r.run_id} is marked running on host ${r.hostname} (pid ${r.pid}); it cannot be checked from here, so it is left as running`);
    if (state !== 'gone' || r.pid === null) continue;
    const [steps] = await wh.query<{ batches: number; partitions: number }>(
      `SELECT count(*) AS batches, coalesce(sum(partitions), 0) AS partitions FROM nba_processing.run_steps WHERE run_id = $run_id`,
      { run_id: r.run_id },
    );
    const done = { batches: Number(steps?.batches ?? 0), partitions: Number(steps?.partitions ?? 0) };
    const summary = { interrupted: 'its process ended without finishing the run (killed or crashed)', pid: r.pid, hostname: r.hostname, noticedBy, ...done };
    await wh.exec(
      `UPDATE nba_processing.run_history
SET status = 'interrupted', summary = $summary,
    finished_at = (SELECT max(s.finished_at) FROM nba_processing.run_steps s WHERE s.run_id = $run_id)
WHERE run_id = $run_id AND status = 'running'`,
      { run_id: r.run_id, summary: JSON.stringify(summary) },
    );
    log(`courtside: run ${r.run_id} (${r.command}, pid ${r.pid}) ended without finishing: marked interrupted (${done.batches} batch${done.batches === 1 ? '' : 'es'}, ${done.partitions} partition${done.partitions === 1 ? '' : 's'} committed before it ended)`);
    marked.push({ runId: r.run_id, command: r.command, pid: r.pid, ...done });
  }
  return marked;
}

export interface StepRecord {
  readonly processorName: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly status: string;
  readonly partitions: number;
  readonly rowsWritten: number;
  readonly durationMs: number;
  readonly error: string | null;
}

export async function recordStep(wh: Warehouse, runId: string, s: StepRecord): Promise<void> {
  await wh.exec(
    `INSERT INTO nba_processing.run_steps (run_id, processor_name, batch_from, batch_to, status, partitions, rows_written, duration_ms, error, finished_at)
VALUES ($run_id, $processor_name, CAST($from AS DATE), CAST($to AS DATE), $status, $partitions, $rows_written, $duration_ms, NULLIF($error, ''), CAST($finished_at AS TIMESTAMP))`,
    {
      run_id: runId,
      processor_name: s.processorName,
      from: s.from,
      to: s.to,
      status: s.status,
      partitions: s.partitions,
      rows_written: s.rowsWritten,
      duration_ms: Math.round(s.durationMs),
      error: s.error ?? '',
      finished_at: sqlTimestamp(new Date()),
    },
  );
}
