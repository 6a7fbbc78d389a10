// Creates every schema and table the product uses (idempotent: CREATE ... IF NOT EXISTS) and marks
// the file as a Courtside warehouse, all in one transaction. Only write commands migrate.
import { ENGINE_DDL } from '../engine/schema.js';
import { INGEST_DDL } from '../ingest/schema.js';
import { PROCESSOR_DDL } from '../processors/schema.js';
import { META_DDL, META_TABLE, SCHEMA_VERSION } from './meta.js';
import type { Warehouse } from './warehouse.js';

export async function migrate(wh: Warehouse): Promise<void> {
  await wh.transaction(async (tx) => {
    await tx.exec(INGEST_DDL);
    await tx.exec(ENGINE_DDL);
    await tx.exec(PROCESSOR_DDL);
    await tx.exec(META_DDL);
    // Delete + insert keeps one row (and the first created_at) without engine-specific upserts.
    const [first] = await tx.query<{ created_at: string | null }>(`SELECT CAST(min(created_at) AS VARCHAR) AS created_at FROM ${META_TABLE}`);
    await tx.exec(`DELETE FROM ${META_TABLE}`);
    await tx.exec(
      `INSERT INTO ${META_TABLE} (product, schema_version, created_at, migrated_at)
VALUES ('courtside', $version, coalesce(CAST($created_at AS TIMESTAMP), CAST(current_timestamp AS TIMESTAMP)), CAST(current_timestamp AS TIMESTAMP))`,
      { version: SCHEMA_VERSION, created_at: first?.created_at ?? null },
    );
  });
}
