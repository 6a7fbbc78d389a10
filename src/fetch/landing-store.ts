// The landing folder, like the prior art's raw bucket: every response body lands untouched in
// landing/<source>/<date>/<file>, and manifest.json beside it records where each file came from
// (URL without secrets, fetch time, HTTP status, SHA-256, size, whether it is complete). Files are
// written to a temporary name and renamed, so a crash never leaves half a file under a real name.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';

export const LANDING_SOURCES = ['nba-schedule', 'nba-pbp', 'odds-events', 'odds-player-props', 'odds-game-lines'] as const;
export type LandingSource = (typeof LANDING_SOURCES)[number];

export interface ManifestEntry {
  readonly url: string;
  readonly fetchedAt: string;
  readonly status: number;
  readonly sha256: string;
  readonly bytes: number;
  /** The body parsed as JSON. A truncated body still lands (untouched) and is fetched again next run. */
  readonly validJson: boolean;
  /**
   * True when the body is what we wait for: HTTP 200, valid JSON and, for play-by-play, a final
   * game. Anything else is fetched again by the next run.
   */
  readonly complete: boolean;
  readonly note?: string;
}

export interface FailedAttempt {
  readonly file: string;
  readonly url: string;
  readonly at: string;
  readonly status: number | null;
  readonly error: string;
}

export interface Manifest {
  readonly source: LandingSource;
  readonly date: IsoDate;
  readonly files: Readonly<Record<string, ManifestEntry>>;
  /** Requests that got no usable answer (latest last, at most 50): the file, if any, is the previous good one. */
  readonly failures: readonly FailedAttempt[];
}

export const sha256 = (body: Buffer | string): string => createHash('sha256').update(body).digest('hex');

export function landingDir(root: string, source: LandingSource, date: IsoDate): string {
  return join(root, source, date);
}

function writeAtomic(path: string, body: Buffer | string): void {
  const tmp = `${path}.partial-${process.pid}`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
}

export function readManifest(root: string, source: LandingSource, date: IsoDate): Manifest {
  const path = join(landingDir(root, source, date), 'manifest.json');
  if (!existsSync(path)) return { source, date, files: {}, failures: [] };
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return { source, date, files: m.files ?? {}, failures: m.failures ?? [] };
  } catch (err) {
    throw new InputError(path, `is not a readable landing manifest: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function writeManifest(root: string, m: Manifest): void {
  const dir = landingDir(root, m.source, m.date);
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
}

export type LandOutcome = 'new' | 'changed' | 'unchanged';

/**
 * Lands one response. A body identical to the one already landed (same checksum) changes nothing,
 * not even the manifest: re-fetching is idempotent. Returns what happened.
 */
export function landResponse(
  root: string,
  source: LandingSource,
  date: IsoDate,
  file: string,
  r: {
    readonly url: string;
    readonly status: number;
    readonly body: Buffer;
    readonly validJson: boolean;
    readonly complete: boolean;
    readonly note?: string;
    readonly fetchedAt?: Date;
  },
): LandOutcome {
  const m = readManifest(root, source, date);
  const previous = m.files[file];
  const checksum = sha256(r.body);
  if (previous && previous.sha256 === checksum && previous.complete === r.complete && landedEntry(root, source, date, file)) return 'unchanged';
  const dir = landingDir(root, source, date);
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, file), r.body);
  const entry: ManifestEntry = {
    url: r.url,
    fetchedAt: (r.fetchedAt ?? new Date()).toISOString(),
    status: r.status,
    sha256: checksum,
    bytes: r.body.length,
    validJson: r.validJson,
    complete: r.complete,
    ...(r.note ? { note: r.note } : {}),
  };
  writeManifest(root, { ...m, files: { ...m.files, [file]: entry } });
  return previous ? 'changed' : 'new';
}

/** Records a request that failed; a good file landed before stays as it is. */
export function recordFailure(root: string, source: LandingSource, date: IsoDate, failure: FailedAttempt): void {
  const m = readManifest(root, source, date);
  writeManifest(root, { ...m, failures: [...m.failures, failure].slice(-50) });
}

/** A landed file whose bytes still match its manifest entry (anything else is as good as absent). */
export function landedEntry(root: string, source: LandingSource, date: IsoDate, file: string): { readonly path: string; readonly entry: ManifestEntry } | undefined {
  const entry = readManifest(root, source, date).files[file];
  const path = join(landingDir(root, source, date), file);
  if (!entry || !existsSync(path)) return undefined;
  return sha256(readFileSync(path)) === entry.sha256 ? { path, entry } : undefined;
}

/** Dates that have a folder for the source, ascending. */
export function landedDates(root: string, source: LandingSource): IsoDate[] {
  const dir = join(root, source);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{4}-\d{2}-\d{2}$/.test(e.name))
    .map((e) => e.name)
    .sort();
}
