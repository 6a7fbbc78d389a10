// `npm run build` (and `npm ci`, through the prepare script): compiles src/ to dist/ and copies the
// files the modules read next to themselves (.sql, and the dashboard's static/ assets), so the
// `courtside` bin runs plain JavaScript.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

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
process.stdout.write(`courtside: built dist/ (${files.length} SQL and static files copied)\n`);
