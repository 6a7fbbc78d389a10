// Test fixture: a warehouse holding the 2021-22 season up to a date, bulk-ingested (and, when asked,
// Phase 4 backfilled) once per machine and code version, then copied per test like realSeasonCopy.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IsoDate } from '../../core/dates.js';
import { runBackfill } from '../../engine/run.js';
import { ingest } from '../../ingest/ingest.js';
import { BUNDLED_DATA_DIR } from '../../ingest/sources.js';
import { PROCESSORS } from '../../processors/index.js';
import { cachedFixture } from '../../testing/fixture-cache.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../../warehouse/migrate.js';
import { seasonSlice } from './season-slice.js';

const ROOT = resolve(BUNDLED_DATA_DIR, '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function codeKey(parts: string): string {
  const h = createHash('sha256').update(parts);
  const dirs = ['src/ingest', 'src/processors', 'src/engine', 'src/warehouse'].map((d) => join(ROOT, d));
  for (const f of dirs.flatMap(walk).sort()) if (!f.endsWith('.test.ts')) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/**
 * A private copy of "the season so far": bulk ingest of every game up to `through`, plus a Phase 4
 * backfill from the opener to `through` when `backfill` is set.
 */
export async function seasonSoFar(through: IsoDate, options: { readonly backfill?: boolean } = {}): Promise<TempWarehouse> {
  const name = `season-so-far-${through}${options.backfill ? '-p4' : ''}-${codeKey(`${through}|${options.backfill === true}`)}.duckdb`;
  const fixture = await cachedFixture(name, async (path) => {
    const slice = await seasonSlice(through);
    try {
      const wh = await DuckDBWarehouse.open(path);
      await migrate(wh);
      await ingest(wh, { dataDir: slice.dir, seasons: ['2021-22'], runId: 'fixture' });
      if (options.backfill) await runBackfill(wh, PROCESSORS, { from: '2021-10-19', to: through, runId: 'fixture_backfill' });
      await wh.exec('CHECKPOINT');
      await wh.close();
    } finally {
      slice.cleanup();
    }
  });
  return tempWarehouse(fixture);
}
