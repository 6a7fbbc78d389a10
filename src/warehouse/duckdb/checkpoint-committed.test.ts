// DuckDBWarehouse.checkpointCommitted and checkpointAtCommit. The engine calls the first between levels of a run, while the next
// level's transactions are open. It must fold the committed WAL into the file when it can, leave it
// to the close when DuckDB refuses (another transaction has changed stored rows), never throw, and
// never change what any transaction reads or commits.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBWarehouse } from './duckdb-warehouse.js';

const walBytes = (path: string) => (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);

/** ~15 MB of WAL: 800,000 rows committed in batches below a row group (so they go through the WAL). */
async function commitManyRows(wh: DuckDBWarehouse): Promise<void> {
  for (let k = 0; k < 8; k++) {
    await wh.exec(`INSERT INTO t.big SELECT range, 'row ' || CAST(range AS VARCHAR) FROM range(CAST($lo AS BIGINT), CAST($hi AS BIGINT))`, { lo: k * 100_000, hi: (k + 1) * 100_000 });
  }
}

/** Closes `wh`, opens the file again and checks what every transaction committed is there. */
async function reopenHolds(wh: DuckDBWarehouse, path: string, small: { n: number; s: number }): Promise<void> {
  await wh.close();
  const again = await DuckDBWarehouse.open(path);
  assert.deepEqual(await again.query('SELECT count(*) AS n, sum(id) AS s FROM t.big'), [{ n: 800_000, s: 319_999_600_000 }]);
  assert.deepEqual(await again.query('SELECT count(*) AS n, sum(id) AS s FROM t.small'), [small]);
  await again.close();
}

describe('DuckDBWarehouse.checkpointCommitted', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function open(name: string): Promise<{ wh: DuckDBWarehouse; path: string }> {
    const path = join(dir, name);
    const wh = await DuckDBWarehouse.open(path);
    await wh.exec('CREATE SCHEMA t; CREATE TABLE t.big (id BIGINT, label VARCHAR); CREATE TABLE t.small (id BIGINT)');
    await wh.exec('INSERT INTO t.small SELECT range FROM range(1000)');
    return { wh, path };
  }

  it('folds the committed WAL into the file while another transaction appends, which then commits as usual', async () => {
    const { wh, path } = await open('append.duckdb');
    await commitManyRows(wh);
    assert.ok(walBytes(path) > 8 * 1024 * 1024, `the test needs a WAL above the threshold, got ${walBytes(path)} bytes`);
    await wh.transaction(async (tx) => {
      await tx.exec('INSERT INTO t.small SELECT range FROM range(1000, 1500)');
      await wh.checkpointCommitted();
      // the WAL holds nothing committed any more; the open transaction's rows are not in it yet
      assert.ok(walBytes(path) < 1024 * 1024, `WAL after the checkpoint: ${walBytes(path)} bytes`);
      assert.deepEqual(await tx.query('SELECT count(*) AS n FROM t.small'), [{ n: 1500 }]);
    });
    assert.deepEqual(await wh.query('SELECT count(*) AS n, sum(id) AS s FROM t.big'), [{ n: 800_000, s: 319_999_600_000 }]);
    assert.deepEqual(await wh.query('SELECT count(*) AS n FROM t.small'), [{ n: 1500 }]);
    await reopenHolds(wh, path, { n: 1500, s: 1_124_250 });
  });

  it('leaves the WAL to the close, without an error, while another transaction has updated stored rows', async () => {
    const { wh, path } = await open('update.duckdb');
    await wh.exec('CHECKPOINT'); // t.small stored in the file: DuckDB refuses to checkpoint over an update of it
    await commitManyRows(wh);
    const before = walBytes(path);
    await wh.transaction(async (tx) => {
      await tx.exec('UPDATE t.small SET id = id + 1000 WHERE id < 10');
      await wh.checkpointCommitted(); // refused by DuckDB: resolves anyway
      assert.equal(walBytes(path), before, 'nothing was checkpointed');
    });
    assert.deepEqual(await wh.query('SELECT count(*) AS n, sum(id) AS s FROM t.small'), [{ n: 1000, s: 509_500 }]);
    await reopenHolds(wh, path, { n: 1000, s: 509_500 });
  });

  it('whatever DuckDB decides beside a transaction that deletes, every row ends up as committed', async () => {
    const { wh, path } = await open('delete.duckdb');
    await commitManyRows(wh);
    await wh.transaction(async (tx) => {
      await tx.exec('DELETE FROM t.small WHERE id < 100');
      await wh.checkpointCommitted();
      assert.deepEqual(await tx.query('SELECT count(*) AS n FROM t.small'), [{ n: 900 }]);
    });
    assert.deepEqual(await wh.query('SELECT count(*) AS n FROM t.small'), [{ n: 900 }]);
    await reopenHolds(wh, path, { n: 900, s: 494_550 });
  });

  it('a transaction that deletes stored rows while the checkpoint runs waits for it and commits as usual', async () => {
    const { wh, path } = await open('during.duckdb');
    await wh.exec('CHECKPOINT');
    await commitManyRows(wh);
    await wh.transaction(async (tx) => {
      const checkpoint = wh.checkpointCommitted(); // not awaited: the delete comes while it runs
      await tx.exec('DELETE FROM t.small WHERE id < 100');
      await checkpoint;
    });
    assert.deepEqual(await wh.query('SELECT count(*) AS n FROM t.small'), [{ n: 900 }]);
    await reopenHolds(wh, path, { n: 900, s: 494_550 });
  });

  it('does nothing for a small WAL (the close takes it) or an in-memory warehouse', async () => {
    const { wh, path } = await open('small.duckdb');
    const before = walBytes(path);
    assert.ok(before > 0 && before < 8 * 1024 * 1024);
    await wh.checkpointCommitted();
    assert.equal(walBytes(path), before);
    await wh.close();
    const memory = await DuckDBWarehouse.open(':memory:');
    await memory.checkpointCommitted();
    await memory.close();
  });

  it('checkpointAtCommit: while on, a large commit writes the file at once; off again, commits are logged', async () => {
    const { wh, path } = await open('at-commit.duckdb');
    const threshold = `SELECT current_setting('checkpoint_threshold') AS t`;
    const usual = await wh.query(threshold);
    await wh.checkpointAtCommit(true);
    assert.deepEqual(await wh.query(threshold), [{ t: '8.0 MiB' }]);
    await commitManyRows(wh);
    assert.ok(walBytes(path) < 8 * 1024 * 1024, `WAL after large commits while on: ${walBytes(path)} bytes`);
    await wh.checkpointAtCommit(false);
    assert.deepEqual(await wh.query(threshold), usual);
    const before = walBytes(path);
    await commitManyRows(wh);
    assert.ok(walBytes(path) > before + 8 * 1024 * 1024, `WAL after large commits while off: ${walBytes(path)} bytes`);
    await wh.close();
    const again = await DuckDBWarehouse.open(path);
    assert.deepEqual(await again.query('SELECT count(*) AS n FROM t.big'), [{ n: 1_600_000 }]);
    await again.close();
  });
});
