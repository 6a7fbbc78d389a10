// Test fixture: the bundled real seasons ingested once per machine and code version, then copied
// per test file (ingest takes tens of seconds; a copy takes well under one).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../warehouse/migrate.js';
import { ingest } from '../ingest/ingest.js';
import { BUNDLED_DATA_DIR, BUNDLED_SEASONS } from '../ingest/sources.js';
import { cachedFixture } from './fixture-cache.js';
import { tempWarehouse, type TempWarehouse } from './memory-warehouse.js';

const ROOT = resolve(BUNDLED_DATA_DIR, '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Changes to the ingest code, the schema or the data make a new fixture. */
function fixtureKey(seasons: readonly string[]): string {
  const h = createHash('sha256').update(seasons.join(','));
  for (const f of [...walk(join(ROOT, 'src/ingest')), join(ROOT, 'src/warehouse/migrate.ts'), join(ROOT, 'src/warehouse/meta.ts'), join(ROOT, 'src/engine/schema.ts')].sort()) {
    if (!f.endsWith('.test.ts')) h.update(f).update(readFileSync(f));
  }
  for (const f of walk(BUNDLED_DATA_DIR).sort()) h.update(f).update(String(statSync(f).size));
  return h.digest('hex').slice(0, 16);
}

function buildOnce(seasons: readonly string[]): Promise<string> {
  return cachedFixture(`real-${seasons.join('_')}-${fixtureKey(seasons)}.duckdb`, async (path) => {
    const wh = await DuckDBWarehouse.open(path);
    await migrate(wh);
    await ingest(wh, { dataDir: BUNDLED_DATA_DIR, seasons, runId: 'fixture' });
    await wh.exec('CHECKPOINT');
    await wh.close();
  });
}

export type RealSeasonCopy = TempWarehouse;

/** A private, writable copy of the ingested real data (both bundled seasons by default). */
export async function realSeasonCopy(seasons: readonly string[] = BUNDLED_SEASONS): Promise<RealSeasonCopy> {
  return tempWarehouse(await buildOnce(seasons));
}
