// Creates every schema and table the product uses (idempotent: CREATE ... IF NOT EXISTS) and marks
// the file as a Courtside warehouse, all in one transaction. Only write commands migrate, and only
// when the file was not migrated by this very DDL already (schemaFingerprint in the marker).
import { createHash } from 'node:crypto';
import { ENGINE_DDL } from '../engine/schema.js';
import { INGEST_DDL } from '../ingest/schema.js';
import { PROCESSOR_DDL } from '../processors/schema.js';
import { PROCESSORS } from '../processors/index.js';
import { processorLayouts, SHARED_TABLE_LAYOUTS } from './bigquery/table-layouts.js';
import { identifyWarehouse, type WarehouseIdentity } from './duckdb/identify.js';
import { META_DDL, META_TABLE, SCHEMA_VERSION } from './meta.js';
import type { Warehouse } from './warehouse.js';

const DDL = (): readonly string[] => [INGEST_DDL, ENGINE_DDL, PROCESSOR_DDL, META_DDL];

let fingerprint: string | undefined;

/** A fingerprint of every table's DDL and the schema version: equal fingerprints, nothing to migrate. */
export function schemaFingerprint(): string {
  fingerprint ??= createHash('sha256').update(`${SCHEMA_VERSION}\n${DDL().join('\n')}`).digest('hex').slice(0, 32);
  return fingerprint;
}

/** Whether this DuckDB warehouse was migrated by this very DDL (so a write command would not migrate it). */
export async function isMigrated(wh: Warehouse): Promise<boolean> {
  if (wh.dialect !== 'duckdb') return false;
  // A read-only warehouse keeps what openWarehouse found (nothing can change it while it is open).
  const identity = (wh as { readonly openedAs?: WarehouseIdentity }).openedAs ?? (await identifyWarehouse(wh));
  return identity.kind === 'courtside' && identity.schemaFingerprint === schemaFingerprint();
}

export async function migrate(wh: Warehouse): Promise<void> {
  // DuckDB runs the DDL as written; BigQuery renders it, partitioned and clustered per table.
  const layouts = { ...SHARED_TABLE_LAYOUTS, ...processorLayouts(PROCESSORS) };
  const createTables = async (w: Warehouse): Promise<void> => {
    for (const ddl of DDL()) await w.applyDdl(ddl, layouts);
  };
  const writeMarker = async (tx: Warehouse): Promise<void> => {
    // Delete + insert keeps one row (and the first created_at) without engine-specific upserts.
    const [first] = await tx.query<{ created_at: string | null }>(`SELECT CAST(min(created_at) AS STRING) AS created_at FROM ${META_TABLE}`);
    await tx.exec(`DELETE FROM ${META_TABLE} WHERE true`);
    await tx.exec(
      `INSERT INTO ${META_TABLE} (product, schema_version, created_at, migrated_at, schema_fingerprint)
VALUES ('courtside', $version, coalesce(CAST($created_at AS TIMESTAMP), CAST(current_timestamp AS TIMESTAMP)), CAST(current_timestamp AS TIMESTAMP), $fingerprint)`,
      { version: SCHEMA_VERSION, created_at: first?.created_at ?? null, fingerprint: schemaFingerprint() },
      { paramTypes: { created_at: 'STRING' } },
    );
  };
  // DuckDB: tables and marker in one transaction. BigQuery runs DDL outside transactions.
  if (wh.dialect === 'duckdb') {
    await wh.transaction(async (tx) => {
      await createTables(tx);
      await writeMarker(tx);
    });
  } else {
    await createTables(wh);
    await wh.transaction(writeMarker);
  }
}
