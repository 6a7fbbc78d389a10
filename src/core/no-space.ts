// DuckDB reports a full disk in three guises: "Could not write file <db>: No space left on device",
// "Failed to commit: Could not write file <db>.wal: ...", and, when the spill directory's disk is
// full, "Out of Memory Error: failed to offload data block ... max_temp_directory_size" (its limit
// defaults to the free space there). This turns each into one error that says which path is full.
import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NoSpaceError, type StorageRole } from './errors.js';

/** The paths a DuckDB warehouse writes to (undefined for an in-memory database). */
export interface StoragePaths {
  readonly database: string | undefined;
  readonly tempDirectory: string | undefined;
}

function messagesOf(err: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = err; e instanceof Error && out.length < 5; e = e.cause) out.push(e.message);
  return out;
}

const WRITE_FAILED = /Could not write file "([^"]+)": No space left on device/;
const SPILL_FAILED = /failed to offload data block[\s\S]*max_temp_directory_size/;

/** True when `err` (or its cause) is DuckDB saying a disk is full. */
export function isNoSpace(err: unknown): boolean {
  return messagesOf(err).some((m) => WRITE_FAILED.test(m) || SPILL_FAILED.test(m) || /No space left on device/.test(m));
}

function roleOf(path: string, paths: StoragePaths): StorageRole | undefined {
  // DuckDB names files as it was given them; a relative temp directory is relative to the working directory.
  const p = resolve(path);
  if (paths.database && p === resolve(paths.database)) return 'database file';
  if (paths.database && p === resolve(`${paths.database}.wal`)) return 'write-ahead log';
  if (paths.tempDirectory && p.startsWith(resolve(paths.tempDirectory))) return 'temp directory';
  return undefined;
}

/** Free bytes on the filesystem holding `path` (or its nearest existing parent), if it can be read. */
function freeBytes(path: string): number | undefined {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    const s = statfsSync(p);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

/**
 * The NoSpaceError for `err` when it is a full disk, else undefined. `rolledBack` says what the
 * caller guarantees about the work that failed (e.g. "the ingest was rolled back; the warehouse is as it was").
 */
export function noSpaceError(err: unknown, paths: StoragePaths, rolledBack: string): NoSpaceError | undefined {
  if (!isNoSpace(err)) return undefined;
  const messages = messagesOf(err);
  const written = messages.map((m) => WRITE_FAILED.exec(m)?.[1]).find((p) => p !== undefined);
  const spill = messages.some((m) => SPILL_FAILED.test(m));
  const path = written ?? (spill && paths.tempDirectory ? resolve(paths.tempDirectory) : undefined);
  const role = written ? roleOf(written, paths) : spill ? 'temp directory' : undefined;
  const free = path ? freeBytes(path) : undefined;
  const room = free === undefined ? '' : ` (${mib(free)} free on its filesystem)`;
  const where =
    role === 'temp directory'
      ? `DuckDB's temp directory ${path} is full: it holds what does not fit in the memory limit (COURTSIDE_MEMORY_LIMIT)${room}`
      : role
        ? `could not write the ${role} ${path}${room}`
        : path
          ? `could not write ${path}${room}`
          : `the warehouse's disk is full (database ${paths.database ?? 'in memory'}, temp directory ${paths.tempDirectory ?? 'none'})`;
  return new NoSpaceError(role, path, `no space left on device: ${where}; ${rolledBack}. Free some space there and run it again`, { cause: err });
}
