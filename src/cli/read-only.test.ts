// Reads never write: the read commands open the warehouse read-only and never migrate, so the file
// stays byte for byte the same, a warehouse the user may not write can still be read, and a
// warehouse held by a writer is reported busy (exit 2) instead of a lock error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli as cli } from '../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { seedWorld } from '../engine/testing/fakes.js';
import { openWarehouse } from '../warehouse/open.js';
import { WarehouseFileError } from '../core/errors.js';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/courtside.mjs', import.meta.url));
const HOLDER = fileURLToPath(new URL('./testing/hold-warehouse.ts', import.meta.url));
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every read command, with arguments that make it do real work on the seeded warehouse. */
const READS: readonly (readonly string[])[] = [
  ['runs'],
  ['runs', '--run', 'seed-run'],
  ['sql', 'SELECT count(*) AS n FROM nba_reference.schedule'],
  ['coverage', '--from', '2021-10-01', '--to', '2021-10-31'],
  ['failures', '--from', '2021-10-01', '--to', '2021-10-31'],
  ['registry', 'pending'],
  ['backfill', '--from', '2021-10-01', '--to', '2021-10-31', '--dry-run'],
];

let fx: TempWarehouse;
before(async () => {
  fx = await tempWarehouse();
  await seedWorld(fx.wh);
  await fx.wh.exec(`INSERT INTO nba_processing.run_history (run_id, command, mode, started_at, status) VALUES ('seed-run', 'backfill', 'backfill', TIMESTAMP '2021-11-01 00:00:00', 'success')`);
  await fx.wh.exec('CHECKPOINT');
  await fx.release();
});
after(async () => fx?.cleanup());

describe('read commands', () => {
  test('leave the warehouse byte for byte unchanged, with nothing created beside it', async () => {
    const hash = fileHash(fx.path);
    const files = readdirSync(dirname(fx.path));
    for (const args of READS) {
      const r = await cli(['--db', fx.path, '--format', 'json', ...args]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.equal(fileHash(fx.path), hash, `${args.join(' ')} changed the file`);
    }
    assert.deepEqual(readdirSync(dirname(fx.path)), files);
  });

  test('work on a warehouse the user may not write (chmod 444, non-root user)', async (t) => {
    const asRoot = process.getuid?.() === 0;
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    if (asRoot) {
      if (spawnSync('setpriv', ['--version']).status !== 0) return t.skip('running as root without setpriv: cannot run the CLI as another user');
      // The checkout must be readable by `nobody` (it is under /work; a clone under /root would not be).
      const probe = spawnSync(asNobody[0] as string, [...asNobody.slice(1), process.execPath, BIN, '--help']);
      if (probe.status !== 0) return t.skip(`user nobody cannot run ${BIN} (${probe.stderr.toString().trim().split('\n')[0] ?? ''}): the checkout is not world-readable`);
    }
    // As root, the CLI runs as `nobody`; the directory is searchable but not writable for it.
    const dir = dirname(fx.path);
    chmodSync(dir, 0o755);
    chmodSync(fx.path, 0o444);
    try {
      const hash = fileHash(fx.path);
      for (const args of READS) {
        const argv = [process.execPath, BIN, '--db', fx.path, ...args];
        const [cmd, ...rest] = asRoot ? [...asNobody, ...argv] : argv;
        const r = await execFileAsync(cmd as string, rest, { cwd: dir, env: { ...process.env, HOME: dir } }).catch((e: { code: number; stderr: string }) => e);
        assert.ok(!('code' in r) || r.code === 0, `${args.join(' ')}: ${'stderr' in r ? r.stderr : ''}`);
        assert.ok('stdout' in r && r.stdout.length > 0);
      }
      assert.equal(fileHash(fx.path), hash);
    } finally {
      chmodSync(fx.path, 0o644);
      chmodSync(dir, 0o700);
    }
  });

  /** A child process holding the file (for writing, or read-only), ready when this resolves. */
  async function hold(...mode: string[]) {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, fx.path, ...mode], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited (${code})`)));
    });
    const closed = new Promise((resolve) => holder.on('close', resolve));
    return { pid: holder.pid, release: () => (holder.stdin.end(), closed) };
  }

  test('say the warehouse is busy (exit 2) while a writer holds it, and work once it is gone', async () => {
    const holder = await hold();
    try {
      for (const args of [['runs'], ['sql', 'SELECT 1']]) {
        const r = await cli(['--db', fx.path, ...args]);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, new RegExp(`the warehouse ${fx.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is busy: another process \\(PID ${holder.pid}\\) has it open for writing; try again when it has finished`));
        assert.doesNotMatch(r.err, /IO Error|Could not set lock/);
      }
    } finally {
      await holder.release();
    }
    assert.equal((await cli(['--db', fx.path, 'runs'])).code, 0);
  });

  // A reader (a dashboard request, `sql`) holds the file for one query: a write command waits for it
  // instead of failing, as issue 11 asks of the dashboard (it must not block a backfill).
  test('a write command waits for a reader to let go, and says busy only past the wait', async () => {
    const reader = await hold('--read-only');
    const letGo = setTimeout(() => void reader.release(), 700);
    try {
      const r = await cli(['--db', fx.path, 'reset', '--from', '2030-01-01', '--to', '2030-01-02']);
      assert.equal(r.code, 0, r.err);
    } finally {
      clearTimeout(letGo);
      await reader.release();
    }
    const stuck = await hold('--read-only');
    try {
      await assert.rejects(openWarehouse({ db: fx.path, access: 'write', readerWaitMs: 300 }), (err: unknown) => {
        assert.ok(err instanceof WarehouseFileError && err.code === 'DB_BUSY');
        assert.match(err.message, new RegExp(`is busy: another process \\(PID ${stuck.pid}\\) has it open for reading and did not let go within 0.3 s`));
        return true;
      });
    } finally {
      await stuck.release();
    }
  });
});
