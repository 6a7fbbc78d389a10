// One row in nba_raw.load_log per file loaded: what was read, what was kept, what was dropped.
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface LoadRecord {
  readonly runId: string;
  readonly file: string;
  readonly table: string;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly duplicatesDropped?: number;
}

/**
 * The load_log row of one file as a statement. Params: $run_id, $file, $rows_read, and those of
 * `loaded` (an INT64 expression: a number's parameter, or a count of what the load kept).
 */
export function loadLogSql(table: string, loaded = '$rows_loaded'): string {
  return `INSERT INTO nba_raw.load_log (run_id, source_file, target_table, rows_read, rows_loaded, duplicates_dropped, loaded_at)
SELECT $run_id, $file, '${table}', $rows_read, n, $rows_read - n, CAST(current_timestamp AS TIMESTAMP) FROM (SELECT ${loaded} AS n) loaded`;
}

export async function recordLoad(tx: Warehouse, r: LoadRecord): Promise<void> {
  await tx.exec(
    `INSERT INTO nba_raw.load_log (run_id, source_file, target_table, rows_read, rows_loaded, duplicates_dropped, loaded_at)
     VALUES ($run_id, $file, $table, $read, $loaded, $dropped, CAST(current_timestamp AS TIMESTAMP))`,
    { run_id: r.runId, file: r.file, table: r.table, read: r.rowsRead, loaded: r.rowsLoaded, dropped: r.duplicatesDropped ?? 0 },
  );
}
