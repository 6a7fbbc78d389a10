// Where the warehouse writes, read before a long write so that a full disk can be named even after
// DuckDB has invalidated the database (a failed checkpoint is fatal to the open instance).
import type { StoragePaths } from '../../core/no-space.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export async function storagePaths(wh: Warehouse): Promise<StoragePaths> {
  if (wh.dialect !== 'duckdb') return { database: undefined, tempDirectory: undefined };
  const [r] = await wh.query<{ database: string | null; temp_directory: string | null }>(
    `SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()) AS database,
            current_setting('temp_directory') AS temp_directory`,
  );
  return { database: r?.database ?? undefined, tempDirectory: r?.temp_directory || undefined };
}
