// Test helper: a migrated warehouse in a temporary DuckDB file, removed on close.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../warehouse/migrate.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface TempWarehouse {
  readonly wh: Warehouse;
  readonly path: string;
  /** Closes our handle so that the CLI (or another process) can open the file; `wh` is unusable after. */
  release(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A new temporary database file, or a private copy of `copyOf`, opened and migrated. */
export async function tempWarehouse(copyOf?: string): Promise<TempWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'courtside-test-'));
  const path = join(dir, 'test.duckdb');
  if (copyOf) copyFileSync(copyOf, path);
  const wh = await DuckDBWarehouse.open(path);
  await migrate(wh);
  let open = true;
  const release = async () => {
    if (open) await wh.close();
    open = false;
  };
  return {
    wh,
    path,
    release,
    async cleanup() {
      await release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
