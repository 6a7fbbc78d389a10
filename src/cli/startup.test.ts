// The shipped `courtside` command starts fast: bin/courtside.mjs runs the compiled dist/ (no
// TypeScript at run time), and a command's heavy modules (DuckDB, the processors and their SQL, the
// engine, zod, …) load only when that command runs, so `--help` loads none of them.
// Needs `npm run build` first (npm test and npm ci do it); start-up time itself is measured by a
// benchmark (README), not asserted here.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/courtside.mjs');
const RECORD = fileURLToPath(new URL('./testing/record-modules.mjs', import.meta.url));
const HEAVY = /@duckdb|\/zod\/|cli-progress|nodemailer|@slack|\/(processors|engine|ingest|warehouse)\//;

const scratch = mkdtempSync(join(tmpdir(), 'courtside-startup-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the bin with `args`; returns its stdout and the modules it loaded. */
async function loaded(args: readonly string[]): Promise<{ stdout: string; modules: string[] }> {
  const log = join(scratch, `modules-${args.join('-')}.log`);
  const { stdout } = await run(process.execPath, ['--import', RECORD, BIN, ...args], { env: { ...process.env, COURTSIDE_MODULE_LOG: log } });
  return { stdout, modules: readFileSync(log, 'utf8').trim().split('\n') };
}

describe('courtside start-up', () => {
  test('the build exists (npm run build)', () => {
    assert.ok(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/cli/main.js is missing: run `npm run build`');
    assert.ok(existsSync(join(ROOT, 'dist/processors/shared/fragments.sql')), 'the .sql files are copied next to the modules');
  });

  test('--help runs compiled JavaScript and loads no heavy module', async () => {
    const { stdout, modules } = await loaded(['--help']);
    assert.match(stdout, /^Usage: courtside /);
    assert.ok(modules.some((m) => m.endsWith('/dist/cli/main.js')), modules.join('\n'));
    assert.deepEqual(modules.filter((m) => m.endsWith('.ts')), [], 'no TypeScript at run time');
    assert.deepEqual(modules.filter((m) => HEAVY.test(m)), [], 'nothing heavy for --help');
  });

  test("a command's --help loads nothing heavy either and shows the global --db and --format", async () => {
    const { stdout, modules } = await loaded(['backfill', '--help']);
    assert.match(stdout, /Usage: courtside backfill /);
    assert.match(stdout, /--db <path>/);
    assert.match(stdout, /--format <format>/);
    assert.deepEqual(modules.filter((m) => HEAVY.test(m)), []);
  });
});
