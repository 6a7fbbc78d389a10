// Test fixtures built once per machine and code version (a real ingest takes tens of seconds), in
// one folder under the system's temp dir, shared by every test process and checkout. One process
// builds a fixture (a lock directory: mkdir is atomic), the others wait and then copy it. Each use
// touches the file, and a new build removes fixtures nobody used for STALE_DAYS: every code change
// makes new keys, so without this the folder only grows (it had reached 29 GB on a developer machine).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const STALE_DAYS = 3;
/** A lock older than this belongs to a build that died: taken over. */
const DEAD_LOCK_MS = 10 * 60_000;

export function fixtureDir(): string {
  return join(tmpdir(), 'courtside-fixtures');
}

/**
 * The path of the cached fixture `fileName`, built by `build(path)` into a temporary name first and
 * renamed into place when complete, so a reader never sees a half-built file.
 */
export async function cachedFixture(fileName: string, build: (path: string) => Promise<void>, dir = fixtureDir()): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, fileName);
  const lock = `${target}.lock`;
  for (;;) {
    if (existsSync(target)) {
      markUsed(target);
      return target;
    }
    try {
      mkdirSync(lock);
    } catch {
      // (no stat: the builder finished between our mkdir and now — the next turn finds the fixture)
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > DEAD_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      const building = `${target}.building`;
      rmSync(building, { force: true });
      await build(building);
      renameSync(building, target);
      pruneUnused(dir, target);
      return target;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function markUsed(file: string): void {
  const now = new Date();
  try {
    utimesSync(file, now, now);
  } catch {
    // read-only temp dir or a concurrent prune: the fixture is still usable or will be rebuilt
  }
}

/** Removes finished fixtures (and their WAL files) not used for STALE_DAYS; never locks or builds in progress. */
function pruneUnused(dir: string, keep: string): void {
  const cutoff = Date.now() - STALE_DAYS * 86_400_000;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !/\.duckdb(\.wal)?$/.test(name)) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.mtimeMs < cutoff) rmSync(path, { force: true });
  }
}
