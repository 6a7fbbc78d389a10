// Opens the configured warehouse: the DuckDB file by default (--db, COURTSIDE_DB, ./courtside.duckdb).
import { resolve } from 'node:path';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

export interface OpenOptions {
  readonly db?: string;
  readonly defaultTimeoutMs?: number;
}

export function resolveDbPath(db?: string): string {
  return resolve(db ?? process.env['COURTSIDE_DB'] ?? './courtside.duckdb');
}

export async function openWarehouse(options: OpenOptions = {}): Promise<Warehouse> {
  return DuckDBWarehouse.open(resolveDbPath(options.db), { defaultTimeoutMs: options.defaultTimeoutMs });
}
