// The shipped `courtside` command starts fast: bin/courtside.mjs runs the compiled and bundled
// dist/bundle/ (no TypeScript at run time, a few files instead of ~150 modules), and a command's heavy
// modules (DuckDB, the processors and their SQL, the engine, zod, …) load only when that command runs,
// so `--help` loads none of them. Which source modules a bundle file holds: dist/bundle/meta.json.
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

/** The source modules (dist/…) each bundle file holds, from the build's metafile. */
function bundleInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/bundle/meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return new Map(Object.entries(meta.outputs).map(([out, o]) => [out.split('/').pop() ?? out, Object.keys(o.inputs)]));
}

/**
 * Runs the bin with `args`; returns its stdout, the files it loaded and the modules they hold (a
 * bundle file stands for the source modules bundled into it).
 */
async function loaded(args: readonly string[]): Promise<{ stdout: string; files: string[]; modules: string[] }> {
  const log = join(scratch, `modules-${args.join('-').replace(/[^A-Za-z0-9-]/g, '_')}.log`);
  const { stdout } = await run(process.execPath, ['--import', RECORD, BIN, ...args], { env: { ...process.env, COURTSIDE_MODULE_LOG: log } }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  const files = readFileSync(log, 'utf8').trim().split('\n');
  const inputs = bundleInputs();
  const modules = files.flatMap((f) => (f.includes('/dist/bundle/') ? (inputs.get(f.split('/').pop() ?? '') ?? [f]).map((m) => `/${m}`) : [f]));
  return { stdout, files, modules };
}

describe('courtside start-up', () => {
  test('the build exists (npm run build)', () => {
    assert.ok(existsSync(join(ROOT, 'dist/bundle/main.js')), 'dist/bundle/main.js is missing: run `npm run build`');
    assert.ok(existsSync(join(ROOT, 'dist/processors/shared/fragments.sql')), 'the .sql files are copied next to the modules');
    // …and next to the bundle, under the names the modules read them by
    for (const f of ['shared/fragments.sql', 'ml-feature-store.sql', 'player-box.sql', 'static/dashboard.js']) assert.ok(existsSync(join(ROOT, 'dist/bundle', f)), `dist/bundle/${f}`);
  });

  test('--help runs compiled JavaScript and loads no heavy module', async () => {
    const { stdout, files, modules } = await loaded(['--help']);
    assert.match(stdout, /^Usage: courtside /);
    assert.ok(files.some((m) => m.endsWith('/dist/bundle/main.js')), files.join('\n'));
    assert.ok(modules.includes('/dist/cli/main.js'), modules.join('\n'));
    assert.deepEqual(files.filter((m) => m.endsWith('.ts')), [], 'no TypeScript at run time');
    assert.deepEqual(modules.filter((m) => HEAVY.test(m)), [], 'nothing heavy for --help');
  });

  test("a command's --help loads nothing heavy either and shows the global --db and --format", async () => {
    const { stdout, modules } = await loaded(['backfill', '--help']);
    assert.match(stdout, /Usage: courtside backfill /);
    assert.match(stdout, /--db <path>/);
    assert.match(stdout, /--format <format>/);
    assert.deepEqual(modules.filter((m) => HEAVY.test(m)), []);
  });

  test('the check above sees through the bundle: a command that opens a warehouse loads the heavy modules', async () => {
    const { modules } = await loaded(['--db', join(scratch, 'none.duckdb'), 'runs']);
    assert.ok(modules.some((m) => /\/dist\/warehouse\//.test(m)), modules.join('\n'));
    assert.ok(modules.some((m) => /@duckdb/.test(m)), modules.join('\n'));
  });
});
