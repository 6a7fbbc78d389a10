// The dashboard's "run in progress": the progress file beside the database, live only while the
// process that wrote it is. A run killed with SIGKILL leaves its file behind; once its pid belongs
// to another process, the run must not show as running (as `courtside runs` marks it interrupted).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { progressFilePath } from '../../engine/progress-file.js';
import { runsReport } from '../../engine/reports.js';
import { tempWarehouse } from '../../testing/memory-warehouse.js';
import { loadRun, loadRunRow, readLiveProgress } from './runs.js';

const PROGRESS_FILE = fileURLToPath(new URL('../../engine/progress-file.ts', import.meta.url));
const PROGRESS = fileURLToPath(new URL('../../engine/progress.ts', import.meta.url));

/** A process that starts a run's progress file (as backfill does), says so, and waits to be killed. */
function runThatHangs(db: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const code = `
import { withProgressFile, progressFilePath } from ${JSON.stringify(PROGRESS_FILE)};
import { NO_PROGRESS } from ${JSON.stringify(PROGRESS)};
const p = withProgressFile(NO_PROGRESS, progressFilePath(${JSON.stringify(db)}), { runId: 'backfill_killed', command: 'backfill' });
p.start(120, 'backfill 2021-11-01..2021-11-20');
p.advance(7, 'pdc 2021-11-01..2021-11-01 ok');
process.stdout.write('started\\n');
setInterval(() => undefined, 1000);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      if (!c.toString().includes('started')) return;
      resolve({
        pid: child.pid ?? -1,
        kill: () => new Promise((done) => (child.once('close', () => done()), child.kill('SIGKILL'))),
      });
    });
    child.on('close', (code) => reject(new Error(`the run exited ${code}: ${err}`)));
  });
}

describe('live progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'courtside-live-'));
  const db = join(dir, 'w.duckdb');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a running run is live; killed, it is not, even once its pid is another process’s', async () => {
    const run = await runThatHangs(db);
    const live = readLiveProgress(db);
    assert.equal(live.live, true);
    assert.equal(live.progress?.run_id, 'backfill_killed');
    assert.equal(live.progress?.pid, run.pid);
    assert.equal(live.progress?.partitions_done, 7);

    await run.kill(); // SIGKILL: the file stays, naming a pid that is gone
    assert.equal(readLiveProgress(db).progress?.run_id, 'backfill_killed');
    assert.equal(readLiveProgress(db).live, false);

    // The pid reused by an unrelated live process (here: this test's own).
    const path = progressFilePath(db);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), pid: process.pid }));
    const reused = readLiveProgress(db);
    assert.equal(reused.progress?.pid, process.pid);
    assert.equal(reused.live, false, 'a reused pid does not make a killed run live');

    // A file from before the process's host and start were recorded: its pid alone decides.
    const { hostname: _h, process_start: _s, ...legacy } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify(legacy));
    assert.equal(readLiveProgress(db).live, true);
    writeFileSync(path, JSON.stringify({ ...legacy, pid: run.pid }));
    assert.equal(readLiveProgress(db).live, false);
  });
});

describe('one run', () => {
  it('a run recorded as running whose process is gone is interrupted on its page, as in the list and `courtside runs`', async () => {
    const t = await tempWarehouse();
    try {
      // The process of a SIGKILLed run: it existed, and is gone.
      const gone = spawnSync(process.execPath, ['-e', '']).pid;
      const insert = `INSERT INTO nba_processing.run_history (run_id, command, arguments, mode, started_at, status, pid, hostname, process_start)
VALUES ($run_id, 'backfill', '{}', 'backfill', CAST('2026-11-30 12:00:00' AS TIMESTAMP), 'running', $pid, $host, NULL)`;
      await t.wh.exec(insert, { run_id: 'backfill_killed', pid: gone, host: hostname() });
      await t.wh.exec(insert, { run_id: 'backfill_alive', pid: process.pid, host: hostname() });
      const list = new Map((await runsReport(t.wh, 10)).map((r) => [r['run_id'], r['status']]));
      assert.equal(list.get('backfill_killed'), 'interrupted');
      assert.equal(list.get('backfill_alive'), 'running');
      assert.equal((await loadRun(t.wh, t.path, 'backfill_killed')).run['status'], 'interrupted');
      assert.equal((await loadRun(t.wh, t.path, 'backfill_alive')).run['status'], 'running');
      // The partition page's "run" line reads the same row.
      assert.deepEqual(await loadRunRow(t.wh, 'backfill_killed', 'run_id, command'), { run_id: 'backfill_killed', command: 'backfill', status: 'interrupted' });
      assert.equal(await loadRunRow(t.wh, 'no_such_run', 'run_id'), null);
    } finally {
      await t.cleanup();
    }
  });
});
