// A backfill with nothing to do (every partition complete, nothing stale) looks read-only and leaves
// the file byte for byte as it was: no migration, no run row, no WAL. One that finds a run whose
// process is gone still opens for writing and marks that run interrupted, as every run start does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { runCli as cli } from '../testing/cli.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';

// Phase 4 named: the expected rows stay these five as processors are added.
const RANGE = ['--from', '2021-12-01', '--to', '2021-12-03', '--processors', 'psza,tdza,pdc,pcf,mlfs'];
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let fx: RealSeasonCopy;
before(async () => {
  fx = await realSeasonCopy(['2021-22']);
  await fx.release();
});
after(async () => fx?.cleanup());

async function runs(path: string): Promise<{ run_id: string; status: string }[]> {
  const wh = await DuckDBWarehouse.open(path, { readOnly: true });
  try {
    return await wh.query(`SELECT run_id, status FROM nba_processing.run_history ORDER BY started_at, run_id`);
  } finally {
    await wh.close();
  }
}

describe('a backfill with nothing to do', () => {
  test('prints every partition up to date and changes nothing in the file', async () => {
    const first = await cli(['--db', fx.path, 'backfill', ...RANGE]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /\nrun backfill_\S+: success in /);
    const before = { hash: fileHash(fx.path), runs: await runs(fx.path) };
    assert.equal(before.runs.length, 1);

    const idle = await cli(['--db', fx.path, 'backfill', ...RANGE]);
    assert.equal(idle.code, 0, idle.err);
    assert.match(idle.out, /^processor\s+planned\s+up_to_date\s+complete/);
    assert.match(idle.out, /\npsza\s+0\s+3\s+0\s/);
    assert.match(idle.out, /\nnothing to do: 15 partitions between 2021-12-01 and 2021-12-03 up to date \(no run started; --force rebuilds them\)\n$/);
    const json = await cli(['--db', fx.path, '--format', 'json', 'backfill', ...RANGE]);
    assert.deepEqual((JSON.parse(json.out) as { processor: string; planned: number; up_to_date: number }[]).map((r) => [r.processor, r.planned, r.up_to_date]), [
      ['psza', 0, 3], ['tdza', 0, 3], ['pdc', 0, 3], ['pcf', 0, 3], ['mlfs', 0, 3],
    ]);
    assert.equal(fileHash(fx.path), before.hash, 'the file is byte for byte as it was');
    assert.equal(existsSync(`${fx.path}.wal`), false);
    assert.deepEqual(await runs(fx.path), before.runs, 'no run was recorded');
  });

  test('still opens for writing when a run whose process is gone must be marked interrupted', async () => {
    const wh = await DuckDBWarehouse.open(fx.path);
    // A pid that no process has (beyond the kernel's pid_max): its run cannot be alive.
    await wh.exec(
      `INSERT INTO nba_processing.run_history (run_id, command, mode, started_at, status, pid, hostname, process_start)
       VALUES ('dead-run', 'backfill', 'backfill', TIMESTAMP '2021-12-04 00:00:00', 'running', 2147483647, $host, 'boot/1')`,
      { host: hostname() },
    );
    await wh.close();
    const r = await cli(['--db', fx.path, 'backfill', ...RANGE]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /run dead-run \(backfill, pid 2147483647\) ended without finishing: marked interrupted/);
    assert.match(r.out, /\nrun backfill_\S+: success in /, 'a run was started, with nothing to build');
    const after = await runs(fx.path);
    assert.deepEqual(after.find((x) => x.run_id === 'dead-run'), { run_id: 'dead-run', status: 'interrupted' });
  });

  test('a warehouse migrated by other DDL (its marker says so) is not idle: the write path migrates it', async () => {
    // The read-only open's identity (reused by the idle check) must still tell an outdated marker apart.
    const wh = await DuckDBWarehouse.open(fx.path);
    await wh.exec(`UPDATE nba_processing.courtside_meta SET schema_fingerprint = 'older-ddl' WHERE product = 'courtside'`);
    await wh.close();
    const before = await runs(fx.path);
    const r = await cli(['--db', fx.path, 'backfill', ...RANGE]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\nrun backfill_\S+: success in /, 'a run was started (nothing to build once migrated)');
    assert.equal((await runs(fx.path)).length, before.length + 1);
    const check = await DuckDBWarehouse.open(fx.path, { readOnly: true });
    try {
      const [marker] = await check.query<{ schema_fingerprint: string }>(`SELECT schema_fingerprint FROM nba_processing.courtside_meta`);
      assert.notEqual(marker?.schema_fingerprint, 'older-ddl', 'migrated: the marker is this DDL\'s again');
    } finally {
      await check.close();
    }
    const idle = await cli(['--db', fx.path, 'backfill', ...RANGE]);
    assert.match(idle.out, /\nnothing to do: 15 partitions/, 'and idle again after');
  });
});
