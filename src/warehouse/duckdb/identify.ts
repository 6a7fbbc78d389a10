// Is this DuckDB database a Courtside warehouse? Decided from its catalog, before anything is written.
import { META_TABLE } from '../meta.js';
import type { Warehouse } from '../warehouse.js';

export type WarehouseIdentity =
  | { readonly kind: 'courtside'; readonly schemaVersion: number }
  /** Made by a Courtside from before the version marker: our tables, no marker (it gets one on the next write). */
  | { readonly kind: 'legacy' }
  /** No user object at all: a fresh file, which only `ingest` may turn into a warehouse. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'foreign'; readonly objects: readonly string[] };

/** Tables only a Courtside warehouse has (the prior art's operators have nba_* schemas too). */
const LEGACY_TABLES = ['nba_processing.partition_status', 'nba_processing.run_history', 'nba_raw.load_log'];

const USER_OBJECTS = `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary
UNION ALL SELECT schema_name || '.' || function_name FROM duckdb_functions() WHERE database_name = current_database() AND NOT internal
UNION ALL SELECT schema_name || '.' || sequence_name FROM duckdb_sequences() WHERE database_name = current_database() AND NOT temporary
UNION ALL SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal AND schema_name <> 'main'
ORDER BY name`;

export async function identifyWarehouse(wh: Warehouse): Promise<WarehouseIdentity> {
  const objects = (await wh.query<{ name: string }>(USER_OBJECTS)).map((r) => r.name);
  if (objects.includes(META_TABLE)) {
    const [marker] = await wh.query<{ version: number | null }>(`SELECT max(schema_version) AS version FROM ${META_TABLE} WHERE product = 'courtside'`);
    if (marker?.version !== null && marker?.version !== undefined) return { kind: 'courtside', schemaVersion: marker.version };
  }
  if (LEGACY_TABLES.every((t) => objects.includes(t))) return { kind: 'legacy' };
  if (objects.length === 0) return { kind: 'empty' };
  return { kind: 'foreign', objects };
}
