// `npm run build` (and `npm ci`, through the prepare script): compiles src/ to dist/ and copies the
// files the modules read next to themselves (.sql, and the dashboard's static/ assets), then bundles
// the command line into dist/bundle/, which the `courtside` bin runs.
//
// Why a bundle: loading a command's ~150 small ES modules one by one (resolve, read, compile each)
// cost ~45 ms of every command's start-up; the same code as a few files loads in ~15 ms. Each command
// stays its own entry (main.js loads an action's file only when that command runs), code shared by
// several commands goes into shared chunks, and node_modules stay outside (loaded as installed).
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const bundle = join(dist, 'bundle');

// dist/ is a function of its inputs: every file the build reads (src/ but the tests, the compiler
// settings, this script, the pinned compilers). `npm ci` builds it (prepare) and `npm test` asks
// again right after: when the inputs are byte for byte the ones dist/ was built from, the build
// (~7 s of compiling) is skipped. The key is written last, so a failed or interrupted build has none.
const KEY_FILE = join(dist, '.build-key');
// What tsconfig.build.json leaves out (the tests and testing helpers), unless it is a copied asset.
const isTest = (path) => (/\.test\.ts$/.test(path) || /[\\/]testing[\\/]/.test(path)) && !path.endsWith('.sql') && !/[\\/]static[\\/]/.test(path);
function inputs(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? inputs(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((path) => !isTest(relative(root, path)));
}
const key = createHash('sha256');
for (const file of [...inputs(src).sort(), ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'].map((f) => join(root, f))]) {
  key.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
}
const buildKey = key.digest('hex');
if (process.env['COURTSIDE_FORCE_BUILD'] !== '1' && existsSync(KEY_FILE) && readFileSync(KEY_FILE, 'utf8') === buildKey) {
  process.stdout.write('courtside: dist/ is up to date (built from these sources; COURTSIDE_FORCE_BUILD=1 rebuilds)\n');
  process.exit(0);
}

// A clean dist/: a module deleted from src/ must not linger in the build.
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const isAsset = (path) => path.endsWith('.sql') || /[\\/]static[\\/]/.test(path);
function assets(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? assets(join(dir, e.name)) : isAsset(join(dir, e.name)) ? [join(dir, e.name)] : [],
  );
}
const files = assets(src);
for (const file of files) cpSync(file, join(dist, relative(src, file)));

const entries = [join(dist, 'cli/main.js'), ...readdirSync(join(dist, 'cli/actions')).filter((f) => f.endsWith('.js')).map((f) => join(dist, 'cli/actions', f))];
const result = await build({
  entryPoints: entries,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: bundle,
  // One folder: every bundled module's import.meta.url is a file directly in dist/bundle/ (below).
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  metafile: true,
  logLevel: 'warning',
});
// Which source modules each bundle file holds: the start-up test checks what `--help` loads by it.
writeFileSync(join(bundle, 'meta.json'), JSON.stringify(result.metafile));

// The modules read their files relative to themselves (new URL('./x.sql', import.meta.url)): a
// processor or Phase 3 module its own .sql by name, sql-file.ts './shared/fragments.sql', the web
// server './static/<name>'. In the bundle every module lives in dist/bundle/, so the files go there
// under the same relative names; two with one name would be a silent wrong read, so they fail the
// build. (BUNDLED_DATA_DIR, '../../data' from the module, is the repository's data/ from dist/bundle/
// as it was from dist/ingest/.)
const placed = new Map();
for (const file of files) {
  const folder = basename(dirname(file));
  const name = folder === 'shared' || folder === 'static' ? join(folder, basename(file)) : basename(file);
  const other = placed.get(name);
  if (other) throw new Error(`build: ${relative(src, file)} and ${relative(src, other)} would both be dist/bundle/${name}`);
  placed.set(name, file);
  cpSync(file, join(bundle, name));
}
writeFileSync(KEY_FILE, buildKey);
process.stdout.write(`courtside: built dist/ (${files.length} SQL and static files copied) and dist/bundle/ (${entries.length} commands)\n`);
