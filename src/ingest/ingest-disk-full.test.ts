// A full disk during ingest is reported as one, naming the path that is full (the database file,
// its write-ahead log or DuckDB's temp directory), and leaves the warehouse as it was. The disks
// are real: small tmpfs filesystems mounted in a private mount namespace (`unshare -rm`), so the
// test needs no root on the host and leaves no mount behind; where that is not allowed it is skipped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../warehouse/migrate.js';
import { INGEST_TABLES, smallSource, type SmallSource } from '../testing/small-source.js';
import { tableHashes } from '../testing/table-hash.js';
import { ingest } from './ingest.js';
import { BUNDLED_DATA_DIR } from './sources.js';

const BIN = resolve(BUNDLED_DATA_DIR, '../bin/courtside.mjs');

/** Why a private tmpfs cannot be mounted here, or undefined when it can. */
function cannotMount(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'courtside-mount-probe-'));
  try {
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', dir], { encoding: 'utf8' });
    if (r.error) return `unshare is not available (${r.error.message})`;
    return r.status === 0 ? undefined : `cannot mount a tmpfs in a private namespace: ${r.stderr.trim()}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const skip = cannotMount();

interface Outcome {
  readonly code: number;
  readonly stderr: string;
  /** The last line the CLI printed on stderr (the error). */
  readonly error: string;
}

/** Runs `script` (sh, with $1.. = args) as root of a private user and mount namespace. */
function inPrivateMount(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((done) => {
    execFile('unshare', ['-rm', 'sh', '-c', script, 'sh', ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (err, _out, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      const lines = stderr.trim().split('\n');
      done({ code, stderr, error: lines[lines.length - 1] ?? '' });
    });
  });
}

let src: SmallSource;
let base: string; // a warehouse holding the small source: what every failed ingest must leave intact
let expected: Awaited<ReturnType<typeof tableHashes>>;
const kib = (path: string) => Math.ceil(statSync(path).size / 4096) * 4;

before(async () => {
  if (skip) return;
  src = await smallSource();
  base = join(src.root, 'base.duckdb');
  const wh = await DuckDBWarehouse.open(base);
  await migrate(wh);
  await ingest(wh, { dataDir: src.good, seasons: ['2021-22'], runId: 'base' });
  await wh.exec('CHECKPOINT');
  expected = await tableHashes(wh, INGEST_TABLES);
  await wh.close();
});
after(() => src?.cleanup());

/** The ingest tables of a warehouse file, opened on the normal disk (replaying any WAL left behind). */
async function hashesOf(path: string): Promise<Awaited<ReturnType<typeof tableHashes>>> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    return await tableHashes(wh, INGEST_TABLES);
  } finally {
    await wh.close();
  }
}

/** Copies the base warehouse onto a tmpfs of `freeKib` more than it needs, ingests `ingestArgs`, copies the files back to `out`. */
async function ingestOnSmallDisk(name: string, freeKib: number, ingestArgs: readonly string[]): Promise<{ outcome: Outcome; db: string; out: string }> {
  const mnt = join(src.root, `${name}-mnt`);
  const out = join(src.root, `${name}-out`);
  mkdirSync(mnt);
  mkdirSync(out);
  const outcome = await inPrivateMount(
    `mount -t tmpfs -o size=$2k tmpfs "$1" || exit 90
     cp "$3" "$1/w.duckdb"
     shift 4
     node "$BIN" --db "$MNT/w.duckdb" ingest "$@"; rc=$?
     cp "$MNT"/w.duckdb* "$OUT"/
     exit $rc`,
    [mnt, String(kib(base) + freeKib), base, out, ...ingestArgs],
    { BIN, MNT: mnt, OUT: out },
  );
  return { outcome, db: join(mnt, 'w.duckdb'), out: join(out, 'w.duckdb') };
}

const WAREHOUSE_KEPT = 'the ingest was rolled back and the warehouse is as it was\\. Free some space there and run it again';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a full disk during ingest', { skip }, () => {
  test('the database file: named, exit 1, warehouse unchanged', async () => {
    // A whole season cannot fit in 2 MiB more than the small warehouse.
    const { outcome, db, out } = await ingestOnSmallDisk('db-full', 2048, ['--season', '2021-22']);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.error, new RegExp(`^courtside: no space left on device: could not write the database file ${esc(db)} \\([\\d.]+ MiB free on its filesystem\\); ${WAREHOUSE_KEPT}$`));
    assert.doesNotMatch(outcome.stderr, /Out of Memory|FATAL|transaction is aborted/);
    assert.deepEqual(await hashesOf(out), expected);
  });

  test('the database file at commit (a failed checkpoint, fatal to the open database): named, exit 1, warehouse unchanged', async () => {
    // Room for the season's rows while they load, not for what commits them: DuckDB either checkpoints
    // at commit (and a failed checkpoint invalidates the open database) or, below its WAL threshold
    // (256 MB, see duckdb-warehouse.ts), appends the commit to the write-ahead log; whichever file
    // runs out is named, and recording the failed run must not hide the cause.
    const { outcome, db, out } = await ingestOnSmallDisk('checkpoint-full', 44_000, ['--season', '2021-22']);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.error, new RegExp(`^courtside: no space left on device: could not write (the database file ${esc(db)}|the write-ahead log ${esc(db)}\\.wal) \\([\\d.]+ MiB free on its filesystem\\); ${WAREHOUSE_KEPT}$`));
    assert.doesNotMatch(outcome.stderr, /FATAL|invalidated/);
    assert.deepEqual(await hashesOf(out), expected);
  });

  test('its write-ahead log: named, exit 1, warehouse unchanged', async () => {
    // Re-ingesting the small source commits through the WAL, which cannot take it in 1 MiB.
    const { outcome, db, out } = await ingestOnSmallDisk('wal-full', 1024, ['--source', src.good, '--season', '2021-22']);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.error, new RegExp(`^courtside: no space left on device: could not write the write-ahead log ${esc(db)}\\.wal \\([\\d.]+ MiB free on its filesystem\\); ${WAREHOUSE_KEPT}$`));
    assert.deepEqual(await hashesOf(out), expected);
  });

  test("DuckDB's temp directory (where work beyond the memory limit spills): named, exit 1, warehouse unchanged", async () => {
    // The warehouse sits on the normal disk; only its spill directory, <db>.tmp, is a 1 MiB tmpfs.
    const dir = join(src.root, 'temp-full');
    mkdirSync(dir);
    const db = join(dir, 'w.duckdb');
    copyFileSync(base, db);
    mkdirSync(`${db}.tmp`);
    const outcome = await inPrivateMount(
      `mount -t tmpfs -o size=1m tmpfs "$1.tmp" || exit 90
       exec node "$BIN" --db "$1" ingest --season 2021-22`,
      [db],
      { BIN, COURTSIDE_MEMORY_LIMIT: '150MB' },
    );
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.error, new RegExp(`^courtside: no space left on device: DuckDB's temp directory ${esc(db)}\\.tmp is full: it holds what does not fit in the memory limit \\(COURTSIDE_MEMORY_LIMIT\\) \\([\\d.]+ MiB free on its filesystem\\); ${WAREHOUSE_KEPT}$`));
    assert.doesNotMatch(outcome.stderr, /Out of Memory/);
    assert.deepEqual(await hashesOf(db), expected);
  });
});
