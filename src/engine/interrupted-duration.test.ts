// The duration `courtside runs` (and the dashboard's runs list) shows for a run whose process was
// SIGKILLed: up to its last committed batch, the last thing the run history knows it did; unknown
// (NULL) when it committed none, never 0 s as if it had ended the moment it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { renderRuns } from '../web/pages/runs-page.js';
import { markInterruptedRuns } from './history.js';
import { currentProcess, processStart } from './process-identity.js';
import { runsReport } from './reports.js';

/** A process SIGKILLed and collected: its pid and start stamp, as run_history records a run's process. */
async function killedProcess(): Promise<{ pid: number; start: string | null }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 30000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('spawn', resolve));
  const pid = child.pid ?? -1;
  const start = processStart(pid);
  const closed = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGKILL');
  await closed;
  return { pid, start };
}

describe('the duration of a killed run', () => {
  let t: TempWarehouse;
  const insertRun = async (runId: string, p: { pid: number; start: string | null }, status = 'running', finishedAt: string | null = null) =>
    t.wh.exec(
      `INSERT INTO nba_processing.run_history (run_id, command, mode, started_at, finished_at, status, pid, hostname, process_start)
       VALUES ($run_id, 'backfill', 'backfill', TIMESTAMP '2021-11-01 10:00:00', CAST(NULLIF($finished_at, '') AS TIMESTAMP), $status, $pid, $host, NULLIF($start, ''))`,
      { run_id: runId, pid: p.pid, host: currentProcess().hostname, start: p.start ?? '', status, finished_at: finishedAt ?? '' },
    );
  const step = (runId: string, finishedAt: string) =>
    t.wh.exec(
      `INSERT INTO nba_processing.run_steps (run_id, processor_name, batch_from, batch_to, status, partitions, rows_written, duration_ms, error, finished_at)
       VALUES ($run_id, 'P', DATE '2021-10-20', DATE '2021-10-21', 'success', 2, 9, 5, NULL, CAST($finished_at AS TIMESTAMP))`,
      { run_id: runId, finished_at: finishedAt },
    );
  const seconds = async () => new Map((await runsReport(t.wh, 10)).map((r) => [r['run_id'], [r['status'], r['seconds'], r['finished_at'] === null ? null : 'ended']]));

  before(async () => {
    t = await tempWarehouse();
    const killed = await killedProcess();
    await insertRun('killed_after_batches', killed);
    await step('killed_after_batches', '2021-11-01 10:00:04');
    await step('killed_after_batches', '2021-11-01 10:00:07.5');
    await insertRun('killed_before_any_batch', killed);
    // Marked by an older courtside: finished_at = started_at for a run that had committed nothing.
    await insertRun('marked_before', killed, 'interrupted', '2021-11-01 10:00:00');
    await insertRun('alive', { pid: process.pid, start: currentProcess().start });
  });
  after(() => t.cleanup());

  it('before the next run marks it: interrupted, duration unknown (no end recorded yet)', async () => {
    const s = await seconds();
    assert.deepEqual(s.get('killed_before_any_batch'), ['interrupted', null, null]);
    assert.deepEqual(s.get('killed_after_batches'), ['interrupted', null, null]);
    assert.deepEqual(s.get('alive'), ['running', null, null]);
  });

  it('once marked: up to the last committed batch, or unknown when none committed', async () => {
    await markInterruptedRuns(t.wh, 'next', () => undefined);
    const s = await seconds();
    assert.deepEqual(s.get('killed_after_batches'), ['interrupted', 7.5, 'ended']);
    assert.deepEqual(s.get('killed_before_any_batch'), ['interrupted', null, null]);
    assert.deepEqual(s.get('marked_before'), ['interrupted', null, 'ended']);
    assert.deepEqual(s.get('alive'), ['running', null, null]);
  });

  it('the dashboard shows a dash for the unknown durations, the known one in seconds', async () => {
    const page = String(renderRuns({ runs: await runsReport(t.wh, 10), live: { progress: null, live: false } }));
    const cell = (runId: string) => new RegExp(`>${runId}</a></td>(?:<td[^>]*>[^<]*(?:<span[^>]*>[^<]*</span>)?</td>){4}<td[^>]*>([^<]*)</td>`).exec(page)?.[1];
    assert.deepEqual(['killed_after_batches', 'killed_before_any_batch', 'marked_before'].map(cell), ['7.5', '–', '–']);
  });
});
