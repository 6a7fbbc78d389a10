// DuckDB's three wordings of a full disk (as the integration test meets them on real tmpfs
// filesystems) map to the path that is full; anything else is left alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { NoSpaceError } from './errors.js';
import { isNoSpace, noSpaceError } from './no-space.js';

const paths = { database: '/data/w.duckdb', tempDirectory: 'w.duckdb.tmp' };
const classify = (message: string) => noSpaceError(new Error('wrapped', { cause: new Error(message) }), paths, 'nothing was written');

describe('noSpaceError', () => {
  test('a data write to the database file', () => {
    const e = classify('IO Error: Could not write file "/data/w.duckdb": No space left on device');
    assert.ok(e instanceof NoSpaceError);
    assert.equal(e.role, 'database file');
    assert.equal(e.path, '/data/w.duckdb');
    assert.equal(e.exitCode, 1);
    assert.match(e.message, /^no space left on device: could not write the database file \/data\/w\.duckdb( \([\d.]+ MiB free on its filesystem\))?; nothing was written\. Free some space there and run it again$/);
  });

  test('a failed checkpoint and a failed commit', () => {
    const checkpoint = classify('FATAL Error: Failed to create checkpoint because of error: Could not write file "/data/w.duckdb": No space left on device');
    assert.equal(checkpoint?.role, 'database file');
    const commit = classify('TransactionContext Error: Failed to commit: Could not write file "/data/w.duckdb.wal": No space left on device');
    assert.equal(commit?.role, 'write-ahead log');
    assert.equal(commit?.path, '/data/w.duckdb.wal');
  });

  test('the spill directory: the "Out of Memory Error" that is really a full disk (relative temp directory resolved)', () => {
    const e = classify(
      "Out of Memory Error: failed to offload data block of size 256.0 KiB (800.0 KiB/921.5 KiB used).\nThis limit was set by the 'max_temp_directory_size' setting.",
    );
    assert.equal(e?.role, 'temp directory');
    assert.equal(e?.path, resolve('w.duckdb.tmp'));
    assert.match(e?.message ?? '', /DuckDB's temp directory \S+w\.duckdb\.tmp is full: it holds what does not fit in the memory limit \(COURTSIDE_MEMORY_LIMIT\)/);
    const spillFile = classify(`IO Error: Could not write file "w.duckdb.tmp/duckdb_temp_storage_DEFAULT-0.tmp": No space left on device`);
    assert.equal(spillFile?.role, 'temp directory');
  });

  test('a real memory shortage and other errors are not a full disk', () => {
    assert.equal(classify('Out of Memory Error: failed to allocate data of size 2.0 MiB (94.9 MiB/95.3 MiB used)'), undefined);
    assert.equal(classify('Constraint Error: duplicate key'), undefined);
    assert.equal(isNoSpace('No space left on device'), false, 'only errors');
  });
});
