// Test helper: a migrated warehouse in a temporary DuckDB file, removed on close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../warehouse/migrate.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface TempWarehouse {
  readonly wh: Warehouse;
  readonly path: string;
  cleanup(): Promise<void>;
}

export async function tempWarehouse(): Promise<TempWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'courtside-test-'));
  const path = join(dir, 'test.duckdb');
  const wh = await DuckDBWarehouse.open(path);
  await migrate(wh);
  return {
    wh,
    path,
    async cleanup() {
      await wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
