// Creates every schema and table the product uses; idempotent (CREATE ... IF NOT EXISTS).
import { ENGINE_DDL } from '../engine/schema.js';
import { INGEST_DDL } from '../ingest/schema.js';
import { PROCESSOR_DDL } from '../processors/schema.js';
import type { Warehouse } from './warehouse.js';

export async function migrate(wh: Warehouse): Promise<void> {
  await wh.exec(INGEST_DDL);
  await wh.exec(ENGINE_DDL);
  await wh.exec(PROCESSOR_DDL);
}
