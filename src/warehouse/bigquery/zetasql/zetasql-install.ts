// Where the ZetaSQL package lives: installed pinned into a cache directory by `npm run test:bigquery`
// (112 MB with four platform binaries, so it is no dependency of the project), reused when present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envSetting } from '../../../core/env.js';

export const ZETASQL_PACKAGE = '@fivetrandevelopers/zetasql';
export const ZETASQL_VERSION = '1.13.0';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../../../', import.meta.url)));

/** COURTSIDE_ZETASQL_DIR, else `.cache/zetasql` in the project (gitignored). */
export function zetasqlCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(envSetting(env, 'COURTSIDE_ZETASQL_DIR') ?? join(PROJECT_ROOT, '.cache', 'zetasql'));
}

export function zetasqlPackageDir(cacheDir: string): string {
  return join(cacheDir, 'node_modules', ...ZETASQL_PACKAGE.split('/'));
}

/** The installed version in `cacheDir`, if any. */
export function installedVersion(cacheDir: string): string | undefined {
  const pkg = join(zetasqlPackageDir(cacheDir), 'package.json');
  if (!existsSync(pkg)) return undefined;
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
}

/** Installs the pinned package (and its gRPC dependencies) into `cacheDir` unless it is there already. */
export function ensureZetaSqlInstalled(cacheDir: string, log: (line: string) => void = () => undefined): void {
  if (installedVersion(cacheDir) === ZETASQL_VERSION) {
    log(`zetasql ${ZETASQL_VERSION}: reusing ${cacheDir}`);
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  log(`zetasql ${ZETASQL_VERSION}: installing into ${cacheDir}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', cacheDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${ZETASQL_PACKAGE}@${ZETASQL_VERSION}`], { stdio: 'inherit' });
  if (r.status !== 0 || installedVersion(cacheDir) !== ZETASQL_VERSION) throw new Error(`npm install of ${ZETASQL_PACKAGE}@${ZETASQL_VERSION} into ${cacheDir} failed (exit ${r.status})`);
}

/** The server binary for this platform, as the package's own runServer() picks it. */
export function serverBinary(cacheDir: string): string {
  const file = `remote_server${process.arch.startsWith('arm') ? '_arm' : ''}${process.platform === 'darwin' ? '' : '.so'}`;
  return join(zetasqlPackageDir(cacheDir), 'lib', 'zetasql', file);
}
