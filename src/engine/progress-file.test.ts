// The progress file beside the database: written as a run advances (atomically, so a reader never
// sees half a snapshot), naming the run, the process and what is running, and removed at the end.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { processAlive, progressFilePath, readProgressFile, withProgressFile, type ProgressSnapshot } from './progress-file.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import { runBackfill } from './run.js';
import { FAKE_PROCESSORS, seedWorld } from './testing/fakes.js';

describe('progress file', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
  });
  after(() => t.cleanup());

  it('follows a per-date backfill batch by batch and is gone when the run ends', async () => {
    const path = progressFilePath(t.path);
    const seen: (ProgressSnapshot | null)[] = [];
    const begun: string[] = [];
    // The terminal side of the progress reads the file at each step, as the dashboard would.
    const watcher: Progress = {
      ...NO_PROGRESS,
      began: (processor, detail) => begun.push(`${processor} ${detail}`),
      advance: () => seen.push(readProgressFile(path)),
    };
    const summary = await runBackfill(t.wh, FAKE_PROCESSORS, {
      from: '2021-10-20',
      to: '2021-10-24',
      batchDays: 1,
      runId: 'run_progress_test',
      progress: withProgressFile(watcher, path, { runId: 'run_progress_test', command: 'backfill' }),
    });
    const planned = summary.processors.reduce((n, p) => n + p.planned, 0);
    assert.equal(planned, 15); // 5 game dates × 3 processors
    assert.equal(begun.length, 15);
    assert.equal(seen.length, 15);
    // The file is written after the inner progress, so each read sees the step before this one.
    assert.deepEqual(seen.map((s) => s?.partitions_done), [0, ...Array.from({ length: 14 }, (_v, i) => i + 1)]);
    for (const s of seen) {
      assert.ok(s);
      assert.equal(s.run_id, 'run_progress_test');
      assert.equal(s.command, 'backfill');
      assert.equal(s.pid, process.pid);
      assert.equal(s.partitions_total, 15);
      assert.equal(s.label, 'backfill 2021-10-20..2021-10-24');
      assert.ok(s.current_processor && ['psza', 'tdza', 'pdc'].includes(s.current_processor));
      assert.match(s.current_batch ?? '', /^2021-10-2\d\.\.2021-10-2\d$/);
    }
    assert.equal(existsSync(path), false, 'removed when the run stopped');
    // Only the file itself was ever renamed into place: no temporary files left behind.
    assert.deepEqual(readdirSync(join(t.path, '..')).filter((f) => f.includes('progress')), []);
  });

  it('reads nothing from a missing, malformed or foreign file, and tells a live pid from a gone one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtside-progress-'));
    const path = join(dir, 'x.duckdb.progress.json');
    assert.equal(readProgressFile(path), null);
    writeFileSync(path, '{"run_id": "r", "pid": ');
    assert.equal(readProgressFile(path), null);
    writeFileSync(path, JSON.stringify({ hello: 'world' }));
    assert.equal(readProgressFile(path), null);
    assert.equal(processAlive(process.pid), true);
    assert.equal(processAlive(2 ** 22 + 12345), false); // above Linux's pid_max
  });
});
