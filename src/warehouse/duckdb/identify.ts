// Is this DuckDB database a Courtside warehouse? Decided from its catalog, before anything is written.
import { META_TABLE } from '../meta.js';
import type { Warehouse } from '../warehouse.js';

export type WarehouseIdentity =
  /** schemaFingerprint: of the DDL that last migrated it (null: migrated by a Courtside that did not record one). */
  | { readonly kind: 'courtside'; readonly schemaVersion: number; readonly schemaFingerprint: string | null }
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

/** The marker table, if it exists: one small catalog lookup (listing every object costs more, and only a file that is not ours needs it). */
const HAS_MARKER = `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
AND schema_name || '.' || table_name = '${META_TABLE}'`;

export async function identifyWarehouse(wh: Warehouse): Promise<WarehouseIdentity> {
  const [has] = await wh.query<{ n: number }>(HAS_MARKER);
  if (Number(has?.n ?? 0) > 0) {
    // SELECT *: a marker written before schema_fingerprint existed has no such column.
    const rows = await wh.query<{ product: string; schema_version: number; schema_fingerprint?: string | null }>(`SELECT * FROM ${META_TABLE} WHERE product = 'courtside'`);
    const versions = rows.map((r) => Number(r.schema_version));
    if (versions.length > 0) return { kind: 'courtside', schemaVersion: Math.max(...versions), schemaFingerprint: rows.length === 1 ? (rows[0]?.schema_fingerprint ?? null) : null };
  }
  const objects = (await wh.query<{ name: string }>(USER_OBJECTS)).map((r) => r.name);
  if (LEGACY_TABLES.every((t) => objects.includes(t))) return { kind: 'legacy' };
  if (objects.length === 0) return { kind: 'empty' };
  return { kind: 'foreign', objects };
}
