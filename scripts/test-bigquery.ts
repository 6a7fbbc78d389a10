// npm run test:bigquery: installs ZetaSQL (pinned) into its cache once, then runs the BigQuery-dialect
// test files (src/**/*.bq.test.ts) that use it. `npm test` never pays for the 112 MB package.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureZetaSqlInstalled, zetasqlCacheDir } from '../src/warehouse/bigquery/zetasql/zetasql-install.js';

function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.bq.test.ts')) out.push(path);
  }
  return out.sort();
}

const cacheDir = zetasqlCacheDir();
ensureZetaSqlInstalled(cacheDir, (line) => process.stdout.write(`${line}\n`));
const files = find('src').map((f) => relative(process.cwd(), f));
if (files.length === 0) throw new Error('no *.bq.test.ts files under src/');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, COURTSIDE_ZETASQL_DIR: cacheDir },
});
process.exit(r.status ?? 1);
