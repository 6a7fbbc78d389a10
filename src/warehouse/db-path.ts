// Where the warehouse file is: light on purpose (no DuckDB), so that commands can name the file
// (e.g. `serve`, the progress file beside it) without loading the database library at start-up.
import { resolve } from 'node:path';
import { envSetting } from '../core/env.js';
import { WarehouseFileError } from '../core/errors.js';

/** File names a DuckDB database goes by; anything else (.parquet, .csv, :memory:) is a mistake. */
export const DUCKDB_EXTENSIONS = ['.duckdb', '.ddb', '.db'] as const;

export function resolveDbPath(db?: string): string {
  const given = db ?? envSetting(process.env, 'COURTSIDE_DB') ?? './courtside.duckdb'; // COURTSIDE_DB= is unset, as every variable
  // DuckDB reads ':memory:' as an in-memory database: everything written would be lost at exit.
  if (given.trim() === '' || given.startsWith(':memory:')) throw new WarehouseFileError('DB_PATH', given, `--db '${given}' is not a file; the warehouse is a DuckDB file such as ./courtside.duckdb`);
  return resolve(given);
}
