// --db mistakes: a path that does not exist is created only by `ingest`; a DuckDB file that is not a
// Courtside warehouse is refused and never altered; a file that is not DuckDB, or a name that is
// not a DuckDB file name, is refused. A warehouse from before the version marker is still ours.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as cli } from '../testing/cli.js';
import { tempWarehouse } from '../testing/memory-warehouse.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import { META_TABLE, SCHEMA_VERSION } from './meta.js';
import { openWarehouse } from './open.js';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'courtside-open-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const READ = [['runs'], ['sql', 'SELECT 1'], ['coverage'], ['failures', '--from', '2021-11-01', '--to', '2021-11-02'], ['registry', 'pending']];
const WRITE = [['backfill', '--from', '2021-11-01', '--to', '2021-11-02'], ['reset', '--from', '2021-11-01', '--to', '2021-11-02'], ['run', '--date', '2021-11-01'], ['registry', 'reprocess']];

async function withDb<T>(path: string, work: (wh: DuckDBWarehouse) => Promise<T>): Promise<T> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

describe('--db', () => {
  test('a path that does not exist: every command but ingest says so (exit 2) and creates nothing', async () => {
    const path = join(dir, 'nowhere.duckdb');
    for (const args of [...READ, ...WRITE]) {
      const r = await cli(['--db', path, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err, `courtside: no warehouse at ${path}; run \`courtside ingest\` first (or give --db the warehouse's path)\n`);
      assert.equal(existsSync(path), false, `${args.join(' ')} created nothing`);
    }
    // ingest with a mistyped --source is refused before it creates the warehouse.
    const typo = await cli(['--db', path, 'ingest', '--source', join(dir, 'no-such-data'), '--season', '2021-22']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /no play-by-play for 2021-22 in .*no-such-data/);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('ingest creates a new warehouse, marked as ours', async () => {
    const path = join(dir, 'new.duckdb');
    const wh = await openWarehouse({ db: path, access: 'write', create: true });
    await wh.close();
    await withDb(path, async (db) => {
      assert.deepEqual(await db.query(`SELECT product, schema_version FROM ${META_TABLE}`), [{ product: 'courtside', schema_version: SCHEMA_VERSION }]);
    });
    assert.equal((await cli(['--db', path, 'runs'])).code, 0);
    rmSync(path);
  });

  test('a DuckDB file that is not a Courtside warehouse is refused by every command, and never altered', async () => {
    const path = join(dir, 'theirs.duckdb');
    await withDb(path, async (db) => {
      await db.exec(`CREATE TABLE main.bets (id INTEGER, stake DOUBLE); INSERT INTO main.bets VALUES (1, 10.5)`);
      await db.exec(`CREATE MACRO player_lookup_of(name) AS 'their own macro'`);
    });
    const hash = fileHash(path);
    for (const args of [['ingest', '--season', '2021-22'], ...READ, ...WRITE]) {
      const r = await cli(['--db', path, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, new RegExp(`is a DuckDB database but not a Courtside warehouse \\(no ${META_TABLE}; it holds main\\.bets, main\\.player_lookup_of\\); refusing to touch it`));
    }
    assert.equal(fileHash(path), hash, 'byte for byte unchanged');
    await withDb(path, async (db) => {
      assert.deepEqual(await db.query(`SELECT player_lookup_of('x') AS m`), [{ m: 'their own macro' }]);
      assert.deepEqual(await db.query(`SELECT schema_name FROM duckdb_schemas() WHERE schema_name LIKE 'nba_%'`), []);
    });
  });

  test('an empty DuckDB file is a warehouse only once ingest has filled it', async () => {
    const path = join(dir, 'empty.duckdb');
    await withDb(path, async () => undefined);
    const r = await cli(['--db', path, 'runs']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no warehouse in .*empty\.duckdb \(an empty DuckDB database\); run `courtside ingest` first/);
    const wh = await openWarehouse({ db: path, access: 'write', create: true });
    await wh.close();
    assert.equal((await cli(['--db', path, 'runs'])).code, 0);
  });

  test('a file that is not DuckDB, or a name that is not a DuckDB file name, is refused untouched', async () => {
    const text = join(dir, 'notes.duckdb');
    writeFileSync(text, 'these are my notes, not a database\n');
    for (const args of [['ingest'], ['runs']]) {
      const r = await cli(['--db', text, ...args]);
      assert.equal(r.code, 2);
      assert.match(r.err, /notes\.duckdb is not a DuckDB database file; refusing to open it as the warehouse/);
    }
    assert.equal(readFileSync(text, 'utf8'), 'these are my notes, not a database\n');
    for (const name of ['season.parquet', 'season.csv', 'warehouse']) {
      const path = join(dir, name);
      const r = await cli(['--db', path, 'ingest', '--season', '2021-22']);
      assert.equal(r.code, 2, name);
      assert.match(r.err, /not a DuckDB file name .*the warehouse is a DuckDB file ending in \.duckdb, \.ddb, \.db/);
      assert.equal(existsSync(path), false);
    }
    const memory = await cli(['--db', ':memory:', 'ingest']);
    assert.equal(memory.code, 2);
    assert.match(memory.err, /--db ':memory:' is not a file/);
  });

  test('a warehouse from before the version marker is read as it is and marked on its next write', async () => {
    const old = await tempWarehouse();
    await old.wh.exec(`DROP TABLE ${META_TABLE}`);
    await old.wh.exec('CHECKPOINT');
    await old.release();
    try {
      const hash = fileHash(old.path);
      const read = await cli(['--db', old.path, 'runs']);
      assert.equal(read.code, 0, read.err);
      assert.equal(fileHash(old.path), hash, 'reading does not mark it');
      const write = await cli(['--db', old.path, 'reset', '--from', '2021-11-01', '--to', '2021-11-02']);
      assert.equal(write.code, 0, write.err);
      await withDb(old.path, async (db) => {
        assert.deepEqual(await db.query(`SELECT product, schema_version FROM ${META_TABLE}`), [{ product: 'courtside', schema_version: SCHEMA_VERSION }]);
      });
    } finally {
      await old.cleanup();
    }
  });

  test('a warehouse written by a newer Courtside is refused', async () => {
    const newer = await tempWarehouse();
    await newer.wh.exec(`UPDATE ${META_TABLE} SET schema_version = ${SCHEMA_VERSION + 1}`);
    await newer.release();
    try {
      for (const args of [['runs'], ['reset', '--from', '2021-11-01', '--to', '2021-11-02']]) {
        const r = await cli(['--db', newer.path, ...args]);
        assert.equal(r.code, 2);
        assert.match(r.err, new RegExp(`was written by a newer Courtside \\(schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\): upgrade courtside`));
      }
    } finally {
      await newer.cleanup();
    }
  });
});
