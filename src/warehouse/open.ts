// Opens the configured warehouse: the DuckDB file by default (--db, COURTSIDE_DB, ./courtside.duckdb).
// Every command goes through here, so the rules about which file may be read, written or created
// hold for all of them: nothing is created except by `ingest`, a file that is not ours is never
// touched, and reading never writes.
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { CourtsideError, WarehouseFileError } from '../core/errors.js';
import { readWarehouseFileConfig, resolveWarehouseTarget } from './warehouse-target.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import { identifyWarehouse } from './duckdb/identify.js';
import { META_TABLE, SCHEMA_VERSION } from './meta.js';
import type { Warehouse } from './warehouse.js';
import { DUCKDB_EXTENSIONS, resolveDbPath } from './db-path.js';

export { DUCKDB_EXTENSIONS, resolveDbPath };

/**
 * How a command uses the warehouse: `read` opens the file read-only and sandboxed (never migrates,
 * never writes; several readers may share it); `write` opens it for writing and migrates it.
 */
export type WarehouseAccess = 'read' | 'write';

export interface OpenOptions {
  readonly db?: string;
  readonly defaultTimeoutMs?: number;
  /** Default 'write'. */
  readonly access?: WarehouseAccess;
  /** `bigquery://PROJECT` (--warehouse); else COURTSIDE_WAREHOUSE, the config file, or the DuckDB file. */
  readonly warehouse?: string;
  /** Labels on every BigQuery job (e.g. the command). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Create the warehouse when the file does not exist (only `ingest`: it is what fills one). */
  readonly create?: boolean;
  /** How long a write open waits for readers to let go of the file (default READER_WAIT_MS). */
  readonly readerWaitMs?: number;
}

/**
 * A write open waits this long for readers — the dashboard's requests, `sql`, `coverage` — to let go
 * of the file: each holds it for one request or query, so a backfill started while the dashboard is
 * being looked at is not refused as busy. A writer holding it is not waited for (it may hold it for
 * hours): that is "busy" at once.
 */
export const READER_WAIT_MS = 10_000;

/** DuckDB's lock error when the holder opened the file read-only: it adds that read-only would work. */
const heldByReader = (err: unknown) => /Could not set lock[\s\S]*read-only mode/i.test(err instanceof Error ? err.message : String(err));

/** DuckDBWarehouse.open, retried while readers hold the file (write access only) for up to `waitMs`. */
async function openDuckDB(path: string, options: { defaultTimeoutMs: number | undefined; readOnly: boolean }, waitMs: number): Promise<DuckDBWarehouse> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await DuckDBWarehouse.open(path, options);
    } catch (err) {
      if (options.readOnly || !heldByReader(err) || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Checks the path before DuckDB sees it; returns whether the file exists. */
function checkPath(path: string, options: OpenOptions): boolean {
  const ext = extname(path).toLowerCase();
  if (!(DUCKDB_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new WarehouseFileError('DB_PATH', path, `${path}: not a DuckDB file name (${ext ? `'${ext}'` : 'no extension'}); the warehouse is a DuckDB file ending in ${DUCKDB_EXTENSIONS.join(', ')}`);
  }
  if (!existsSync(path)) {
    if (options.create) return false;
    throw new WarehouseFileError('DB_MISSING', path, `no warehouse at ${path}; run \`courtside ingest\` first (or give --db the warehouse's path)`);
  }
  if (!statSync(path).isFile()) throw new WarehouseFileError('DB_NOT_DUCKDB', path, `${path} is not a file`);
  // A DuckDB file carries "DUCK" at byte 8 of its header; anything else would be overwritten or misread.
  const header = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  const read = readSync(fd, header, 0, 12, 0);
  closeSync(fd);
  if (read < 12 || header.toString('latin1', 8, 12) !== 'DUCK') {
    throw new WarehouseFileError('DB_NOT_DUCKDB', path, `${path} is not a DuckDB database file; refusing to open it as the warehouse`);
  }
  return true;
}

/** DuckDB's open errors as Courtside errors: a file held by another process is "busy", not a stack. */
function openError(path: string, err: unknown, waitedMs: number): WarehouseFileError {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  if (/Could not set lock/i.test(message)) {
    const pid = /PID (\d+)/.exec(message)?.[1];
    return new WarehouseFileError(
      'DB_BUSY',
      path,
      /read-only/i.test(message)
        ? `the warehouse ${path} is busy: another process${pid ? ` (PID ${pid})` : ''} has it open for reading and did not let go within ${waitedMs / 1000} s (a long \`sql\` query?); try again when it has finished`
        : `the warehouse ${path} is busy: another process${pid ? ` (PID ${pid})` : ''} has it open for writing; try again when it has finished`,
      { cause: err },
    );
  }
  return new WarehouseFileError('DB_OPEN', path, `cannot open ${path}: ${message}`, { cause: err });
}

/**
 * The version marker of a BigQuery warehouse, undefined when there is none (no table: nothing
 * migrated yet). tables.get first, so a new project costs no failed job; schema_fingerprint is null
 * when more than one row or a marker from before the fingerprint.
 */
async function bigQueryMarker(wh: Warehouse): Promise<{ schemaVersion: number; schemaFingerprint: string | null } | undefined> {
  const columns = await wh.columns(META_TABLE);
  if (!columns) return undefined;
  const rows = await wh.query<{ schema_version: number; schema_fingerprint: string | null }>(
    `SELECT schema_version, ${columns.includes('schema_fingerprint') ? 'schema_fingerprint' : 'CAST(NULL AS STRING) AS schema_fingerprint'} FROM ${META_TABLE} WHERE product = 'courtside'`,
  );
  if (rows.length === 0) return undefined;
  return { schemaVersion: Math.max(...rows.map((r) => Number(r.schema_version))), schemaFingerprint: rows.length === 1 ? (rows[0]?.schema_fingerprint ?? null) : null };
}

export async function openWarehouse(options: OpenOptions = {}): Promise<Warehouse> {
  const file = readWarehouseFileConfig();
  const target = resolveWarehouseTarget({ ...(options.warehouse !== undefined ? { flag: options.warehouse } : {}), ...(file ? { file } : {}) });
  if (target.kind === 'bigquery') {
    // Loaded only here: the BigQuery client library and settings are heavy and most runs never need them.
    const [{ BigQueryWarehouse }, { bigQuerySettings }] = await Promise.all([import('./bigquery/bigquery-warehouse.js'), import('./bigquery/bigquery-config.js')]);
    const bq = BigQueryWarehouse.open({
      ...bigQuerySettings(target.projectId, file ? { file } : {}),
      ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      readOnly: options.access === 'read',
    });
    if ((options.access ?? 'write') === 'write') {
      try {
        const { migrate, schemaFingerprint } = await import('./migrate.js');
        // As on DuckDB: a newer layout is refused, and DDL this very code already applied is not
        // applied again (on BigQuery that is a tables.get and one query instead of 9 jobs a command).
        const marker = await bigQueryMarker(bq);
        if (marker && marker.schemaVersion > SCHEMA_VERSION) {
          throw new CourtsideError('DB_NEWER', `BigQuery project ${target.projectId} was written by a newer Courtside (schema version ${marker.schemaVersion}; this one knows up to ${SCHEMA_VERSION}): upgrade courtside`, 2);
        }
        if (marker?.schemaFingerprint !== schemaFingerprint()) await migrate(bq);
      } catch (err) {
        await bq.close();
        throw err;
      }
    }
    return bq;
  }
  const path = resolveDbPath(options.db);
  const access = options.access ?? 'write';
  const existed = checkPath(path, { ...options, create: options.create === true && access === 'write' });
  let wh: DuckDBWarehouse;
  try {
    wh = await openDuckDB(path, { defaultTimeoutMs: options.defaultTimeoutMs, readOnly: access === 'read' }, options.readerWaitMs ?? READER_WAIT_MS);
  } catch (err) {
    if (err instanceof CourtsideError) throw err; // e.g. a bad COURTSIDE_MEMORY_LIMIT
    throw openError(path, err, options.readerWaitMs ?? READER_WAIT_MS);
  }
  try {
    const identity = await identifyWarehouse(wh);
    if (identity.kind === 'foreign') {
      const shown = identity.objects.slice(0, 5).join(', ') + (identity.objects.length > 5 ? ', …' : '');
      throw new WarehouseFileError('DB_FOREIGN', path, `${path} is a DuckDB database but not a Courtside warehouse (no ${META_TABLE}; it holds ${shown}); refusing to touch it`);
    }
    if (identity.kind === 'empty' && existed && !options.create) {
      throw new WarehouseFileError('DB_MISSING', path, `no warehouse in ${path} (an empty DuckDB database); run \`courtside ingest\` first`);
    }
    if (identity.kind === 'courtside' && identity.schemaVersion > SCHEMA_VERSION) {
      throw new WarehouseFileError('DB_NEWER', path, `${path} was written by a newer Courtside (schema version ${identity.schemaVersion}; this one knows up to ${SCHEMA_VERSION}): upgrade courtside`);
    }
    if (access === 'read') wh.openedAs = identity;
    if (access === 'write') {
      // Loaded only here: migrating pulls in every table's DDL, which a read does not need.
      const { migrate, schemaFingerprint } = await import('./migrate.js');
      // Migrated by this very DDL already: nothing to create, so no write transaction (and nothing to checkpoint on close).
      const current = identity.kind === 'courtside' && identity.schemaFingerprint === schemaFingerprint();
      if (!current) await migrate(wh);
    }
    return wh;
  } catch (err) {
    await wh.close();
    // A warehouse this call created and could not set up is removed: a failed command creates nothing.
    if (!existed) for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
    throw err;
  }
}
