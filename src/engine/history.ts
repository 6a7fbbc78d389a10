// Run history: one run_history row per command run (written 'running' first, so a killed run stays
// visible) and one run_steps row per processor batch.
import type { IsoDate } from '../core/dates.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { sqlTimestamp } from './failures.js';
import type { RunMode, RunSummary } from './types.js';

export async function startRun(wh: Warehouse, runId: string, command: string, args: unknown, mode: RunMode | 'ingest' | 'maintenance', startedAt: Date): Promise<void> {
  await wh.exec(
    `INSERT INTO nba_processing.run_history (run_id, command, arguments, mode, started_at, status)
VALUES ($run_id, $command, $arguments, $mode, CAST($started_at AS TIMESTAMP), 'running')`,
    { run_id: runId, command, arguments: JSON.stringify(args ?? {}), mode, started_at: sqlTimestamp(startedAt) },
  );
}

export async function finishRun(wh: Warehouse, runId: string, status: RunSummary['status'], summary: unknown): Promise<void> {
  await wh.exec(
    `UPDATE nba_processing.run_history SET finished_at = CAST($finished_at AS TIMESTAMP), status = $status, summary = $summary WHERE run_id = $run_id`,
    { run_id: runId, status, summary: JSON.stringify(summary), finished_at: sqlTimestamp(new Date()) },
  );
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
