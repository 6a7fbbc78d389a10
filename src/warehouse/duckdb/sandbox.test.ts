// A warehouse opened read-only is sandboxed by DuckDB itself: no writes, no files or URLs beyond the
// warehouse, no extensions, and a configuration that no statement can unlock — whichever way the
// statement reaches it (our own query(), or the ad-hoc readOnlyQuery()).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { DuckDBWarehouse } from './duckdb-warehouse.js';

let fx: TempWarehouse;
let ro: DuckDBWarehouse;
let hash: string;
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

before(async () => {
  fx = await tempWarehouse();
  await fx.wh.exec(`INSERT INTO nba_processing.run_history (run_id, command, mode, started_at, status) VALUES ('r1', 'backfill', 'backfill', TIMESTAMP '2021-11-01 00:00:00', 'success')`);
  await fx.wh.exec('CHECKPOINT');
  await fx.release();
  hash = fileHash(fx.path);
  ro = await DuckDBWarehouse.open(fx.path, { readOnly: true });
});
after(async () => {
  await ro?.close();
  assert.equal(fileHash(fx.path), hash, 'the warehouse file is byte for byte unchanged');
  await fx?.cleanup();
});

const rejects = async (work: Promise<unknown>, pattern: RegExp) => assert.rejects(work, (e: Error) => (assert.match(e.message, pattern), true));

describe('a read-only warehouse', () => {
  test('refuses writes from any statement, our own included', async () => {
    await rejects(ro.exec(`DELETE FROM nba_processing.run_history`), /read-only mode/);
    await rejects(ro.exec('CREATE TABLE main.x AS SELECT 1'), /read-only mode/);
    assert.deepEqual(await ro.query('SELECT run_id FROM nba_processing.run_history'), [{ run_id: 'r1' }]);
  });

  test('reaches no file, URL or extension, and its configuration is locked', async () => {
    await rejects(ro.query(`SELECT * FROM read_text('/etc/hostname')`), /disabled by configuration/);
    await rejects(ro.query(`SELECT * FROM read_csv('https://example.com/x.csv')`), /disabled by configuration/);
    await rejects(ro.exec(`COPY (SELECT 1) TO '${join(dirname(fx.path), 'out.csv')}'`), /disabled by configuration/);
    await rejects(ro.exec('LOAD httpfs'), /disabled/);
    await rejects(ro.exec('SET enable_external_access = true'), /configuration has been locked/);
    await rejects(ro.exec('SET lock_configuration = false'), /configuration has been locked/);
    await rejects(ro.exec('RESET enable_external_access'), /configuration has been locked/);
    assert.equal(existsSync(join(dirname(fx.path), 'out.csv')), false);
  });

  test('readOnlyQuery answers a SELECT and refuses with a usage error what would write', async () => {
    assert.deepEqual(await ro.readOnlyQuery('SELECT count(*) AS n FROM nba_processing.run_history'), [{ n: 1 }]);
    for (const sql of ['/* c */ EXPLAIN ANALYZE DELETE FROM nba_processing.run_history', 'EXPLAIN (ANALYZE) DELETE FROM nba_processing.run_history']) {
      await assert.rejects(ro.readOnlyQuery(sql), (e: Error) => e instanceof UsageError && /read-only/.test(e.message));
    }
    assert.deepEqual(await ro.query('SELECT count(*) AS n FROM nba_processing.run_history'), [{ n: 1 }]);
  });

  test('readOnlyQuery is refused on a warehouse opened for writing', async () => {
    const rw = await DuckDBWarehouse.open(':memory:');
    try {
      await rejects(rw.readOnlyQuery('SELECT 1'), /needs a warehouse opened read-only/);
    } finally {
      await rw.close();
    }
  });
});
