// Opens the configured warehouse: the DuckDB file by default (--db, COURTSIDE_DB, ./courtside.duckdb).
import { resolve } from 'node:path';
import { CourtsideError } from '../core/errors.js';
import { bigQuerySettings, readWarehouseFileConfig, resolveWarehouseTarget } from './bigquery/bigquery-config.js';
import { BigQueryWarehouse } from './bigquery/bigquery-warehouse.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

/**
 * How a command uses the warehouse: `read` opens the file read-only (never migrates, never writes;
 * several readers may share it), `write` opens it for writing (the caller migrates).
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
}

export function resolveDbPath(db?: string): string {
  return resolve(db ?? process.env['COURTSIDE_DB'] ?? './courtside.duckdb');
}

export async function openWarehouse(options: OpenOptions = {}): Promise<Warehouse> {
  const file = readWarehouseFileConfig();
  const target = resolveWarehouseTarget({ ...(options.warehouse !== undefined ? { flag: options.warehouse } : {}), ...(file ? { file } : {}) });
  if (target.kind === 'bigquery') {
    return BigQueryWarehouse.open({
      ...bigQuerySettings(target.projectId, file ? { file } : {}),
      ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      readOnly: options.access === 'read',
    });
  }
  const path = resolveDbPath(options.db);
  try {
    return await DuckDBWarehouse.open(path, { defaultTimeoutMs: options.defaultTimeoutMs, readOnly: options.access === 'read' });
  } catch (err) {
    // A second command on the same file: say so plainly instead of DuckDB's stack.
    const message = err instanceof Error ? err.message : String(err);
    if (/Could not set lock/i.test(message)) {
      throw new CourtsideError('DB_LOCKED', `${path} is in use by another courtside process (${message.split('\n')[0]})`, 2, { cause: err });
    }
    throw new CourtsideError('DB_OPEN', `cannot open ${path}: ${message.split('\n')[0]}`, 2, { cause: err });
  }
}
