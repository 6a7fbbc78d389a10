// Creates every schema and table the product uses; idempotent (CREATE ... IF NOT EXISTS).
import { ENGINE_DDL } from '../engine/schema.js';
import { INGEST_DDL } from '../ingest/schema.js';
import { PROCESSOR_DDL } from '../processors/schema.js';
import { PROCESSORS } from '../processors/index.js';
import { processorLayouts, SHARED_TABLE_LAYOUTS } from './bigquery/table-layouts.js';
import type { Warehouse } from './warehouse.js';

export async function migrate(wh: Warehouse): Promise<void> {
  // DuckDB runs the DDL as written; BigQuery renders it, partitioned and clustered per table.
  const layouts = { ...SHARED_TABLE_LAYOUTS, ...processorLayouts(PROCESSORS) };
  await wh.applyDdl(INGEST_DDL, layouts);
  await wh.applyDdl(ENGINE_DDL, layouts);
  await wh.applyDdl(PROCESSOR_DDL, layouts);
}
