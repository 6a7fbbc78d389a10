// Run history judges runs left 'running': a run whose process has ended (or whose pid now belongs
// to another process) is marked interrupted by the next run; a live one, one on another host and
// one with no recorded process are left alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { runsReport } from './reports.js';
import { markInterruptedRuns, recordStep, startRun } from './history.js';
import { currentProcess, liveness, processStart } from './process-identity.js';

/** A process that has ended and been collected: its pid is free. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid ?? -1;
}

describe('process liveness', () => {
  it('this process is alive; an ended one is gone; another host cannot be judged', async () => {
    const me = currentProcess();
    assert.equal(me.pid, process.pid);
    assert.match(me.start ?? '', /^[0-9a-f-]{36}\/\d+$/, 'Linux: boot id / start ticks');
    assert.equal(liveness(me), 'alive');
    assert.equal(liveness({ pid: await endedPid(), hostname: me.hostname, start: '00000000-0000-0000-0000-000000000000/1' }), 'gone');
    assert.equal(liveness({ pid: process.pid, hostname: 'elsewhere.example', start: null }), 'other_host');
    assert.equal(liveness({ pid: null, hostname: null, start: null }), 'unknown');
  });

  it('a reused pid is told apart by its start', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 30000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.on('spawn', resolve));
      const pid = child.pid ?? -1;
      const start = processStart(pid);
      assert.ok(start);
      assert.equal(liveness({ pid, hostname: hostname(), start }), 'alive');
      // The same pid with another start stamp: the recorded process ended and the pid was reused.
      assert.equal(liveness({ pid, hostname: hostname(), start: `${start.split('/')[0]}/1` }), 'gone');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('marking interrupted runs', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
  });
  after(() => t.cleanup());

  const insert = (runId: string, pid: number | null, host: string | null, start: string | null) =>
    t.wh.exec(
      `INSERT INTO nba_processing.run_history (run_id, command, mode, started_at, status, pid, hostname, process_start)
       VALUES ($run_id, 'backfill', 'backfill', TIMESTAMP '2021-11-01 10:00:00', 'running', $pid, NULLIF($host, ''), NULLIF($start, ''))`,
      { run_id: runId, pid, host: host ?? '', start: start ?? '' },
    );

  it('the next run marks only the runs whose process is gone, and keeps what they did', async () => {
    const me = currentProcess();
    await insert('killed', await endedPid(), me.hostname, `${(me.start ?? '').split('/')[0]}/1`);
    await insert('reused_pid', process.pid, me.hostname, `${(me.start ?? '').split('/')[0]}/1`);
    await insert('elsewhere', 4242, 'elsewhere.example', null);
    await insert('legacy', null, null, null);
    await insert('alive', process.pid, me.hostname, me.start);
    await recordStep(t.wh, 'killed', { processorName: 'P', from: '2021-10-20', to: '2021-10-21', status: 'success', partitions: 2, rowsWritten: 9, durationMs: 5, error: null });
    const lines: string[] = [];
    await startRun(t.wh, 'next', 'backfill', {}, 'backfill', new Date(), (l) => lines.push(l));
    const rows = await t.wh.query<{ run_id: string; status: string; summary: string | null; ended: boolean }>(
      `SELECT run_id, status, CAST(summary AS VARCHAR) AS summary, finished_at IS NOT NULL AS ended FROM nba_processing.run_history ORDER BY run_id`,
    );
    assert.deepEqual(rows.map((r) => [r.run_id, r.status, r.ended]), [
      ['alive', 'running', false],
      ['elsewhere', 'running', false],
      ['killed', 'interrupted', true],
      ['legacy', 'running', false],
      ['next', 'running', false],
      ['reused_pid', 'interrupted', false], // no batch committed: when it ended is unknown
    ]);
    const killed = JSON.parse(rows.find((r) => r.run_id === 'killed')?.summary ?? '{}') as Record<string, unknown>;
    assert.deepEqual([killed['batches'], killed['partitions'], killed['noticedBy']], [1, 2, 'next']);
    assert.ok(lines.some((l) => /run elsewhere is marked running on host elsewhere\.example \(pid 4242\); it cannot be checked from here/.test(l)));
    assert.ok(lines.some((l) => /run killed \(backfill, pid \d+\) ended without finishing: marked interrupted \(1 batch, 2 partitions committed before it ended\)/.test(l)));
    // The mark is made once: a second look finds nothing more to do.
    assert.deepEqual(await markInterruptedRuns(t.wh, 'again', () => undefined), []);
  });
});

describe('runs report', () => {
  it('shows a dead running run as interrupted, and reads a warehouse written before process columns existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtside-old-'));
    const wh = await DuckDBWarehouse.open(join(dir, 'old.duckdb'));
    try {
      // run_history as older versions created it (a read command does not migrate).
      await wh.exec(`CREATE SCHEMA nba_processing;
CREATE TABLE nba_processing.run_history (run_id VARCHAR PRIMARY KEY, command VARCHAR NOT NULL, arguments JSON, mode VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, status VARCHAR NOT NULL, summary JSON);
CREATE TABLE nba_processing.run_steps (run_id VARCHAR NOT NULL);
INSERT INTO nba_processing.run_history VALUES ('old_run', 'backfill', NULL, 'backfill', TIMESTAMP '2021-11-01 10:00:00', NULL, 'running', NULL)`);
      const old = await runsReport(wh);
      assert.deepEqual(old.map((r) => [r['run_id'], r['status'], r['process']]), [['old_run', 'running', null]]);
      await wh.exec(`ALTER TABLE nba_processing.run_history ADD COLUMN pid INT64; ALTER TABLE nba_processing.run_history ADD COLUMN hostname STRING;
ALTER TABLE nba_processing.run_history ADD COLUMN process_start STRING`);
      const pid = await endedPid();
      await wh.exec(`UPDATE nba_processing.run_history SET pid = $pid, hostname = $host`, { pid, host: hostname() });
      const now = await runsReport(wh);
      assert.deepEqual(now.map((r) => [r['run_id'], r['status'], r['process']]), [['old_run', 'interrupted', `${pid}@${hostname()}`]]);
    } finally {
      await wh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
