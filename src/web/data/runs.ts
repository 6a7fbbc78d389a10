// Run history (the `courtside runs` report) and one run's per-processor steps, plus the live
// progress of a run in flight, read from the progress file the engine writes beside the database.
import { progressFilePath, readProgressFile, snapshotAlive, type ProgressSnapshot } from '../../engine/progress-file.js';
import { observedRunStatus, runProcessColumns, runStepsReport, runsReport } from '../../engine/reports.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';
import { NotFoundError } from '../http-errors.js';

export interface LiveProgress {
  readonly progress: ProgressSnapshot | null;
  /** The process that writes the file is alive; false for a file a killed run left behind (even once its pid is reused). */
  readonly live: boolean;
}

export function readLiveProgress(dbPath: string): LiveProgress {
  const progress = readProgressFile(progressFilePath(dbPath));
  return { progress, live: progress !== null && snapshotAlive(progress) };
}

export interface RunsView {
  readonly runs: Row[];
  readonly live: LiveProgress;
}

export async function loadRuns(wh: Warehouse, dbPath: string, limit: number): Promise<RunsView> {
  return { runs: await runsReport(wh, limit), live: readLiveProgress(dbPath) };
}

export interface RunView {
  readonly run: Row;
  /** Per processor totals from the run's summary (absent while running or when it failed early). */
  readonly processors: Row[];
  readonly steps: Row[];
  readonly live: LiveProgress;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * One run_history row (`columns` and its status), null when there is none. A run recorded as running
 * whose process is gone (SIGKILL, crash) is `interrupted`, as the runs list and `courtside runs` say.
 */
export async function loadRunRow(wh: Warehouse, runId: string, columns: string): Promise<Row | null> {
  const [found] = await wh.query(`SELECT ${columns}, status, ${await runProcessColumns(wh)} FROM nba_processing.run_history WHERE run_id = $run_id`, { run_id: runId });
  if (!found) return null;
  const { pid, hostname, process_start, ...run } = found;
  return { ...run, status: observedRunStatus(run['status'], { pid, hostname, process_start }) };
}

export async function loadRun(wh: Warehouse, dbPath: string, runId: string): Promise<RunView> {
  const run = await loadRunRow(wh, runId, 'run_id, command, mode, started_at, finished_at, CAST(arguments AS VARCHAR) AS arguments, CAST(summary AS VARCHAR) AS summary');
  if (!run) throw new NotFoundError(`no run '${runId}' in the run history`);
  const summary = parseJson(run['summary']) as { processors?: unknown } | null;
  const processors = Array.isArray(summary?.processors) ? (summary.processors as Row[]) : [];
  return {
    run: { ...run, arguments: parseJson(run['arguments']), summary },
    processors,
    steps: await runStepsReport(wh, runId),
    live: readLiveProgress(dbPath),
  };
}
