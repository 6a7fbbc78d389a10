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

export async function recordLoad(tx: Warehouse, r: LoadRecord): Promise<void> {
  await tx.exec(
    `INSERT INTO nba_raw.load_log (run_id, source_file, target_table, rows_read, rows_loaded, duplicates_dropped, loaded_at)
     VALUES ($run_id, $file, $table, $read, $loaded, $dropped, now()::TIMESTAMP)`,
    { run_id: r.runId, file: r.file, table: r.table, read: r.rowsRead, loaded: r.rowsLoaded, dropped: r.duplicatesDropped ?? 0 },
  );
}
