// Test fixture: a small source directory laid out like data/ — the bundled names and odds, and the
// first `games` games of 2021-22 as a play-by-play CSV — which ingests in seconds.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { BUNDLED_DATA_DIR } from '../ingest/sources.js';

export async function smallSource(dir: string, games = 30): Promise<string> {
  cpSync(join(BUNDLED_DATA_DIR, 'names'), join(dir, 'names'), { recursive: true });
  cpSync(join(BUNDLED_DATA_DIR, 'odds'), join(dir, 'odds'), { recursive: true });
  mkdirSync(join(dir, 'pbp'), { recursive: true });
  const scratch = await DuckDBWarehouse.open(':memory:');
  try {
    // COPY takes no parameter for its target; the path is ours (a temp dir), quoted.
    await scratch.exec(
      `COPY (SELECT * FROM read_parquet($src) WHERE CAST(game_id AS INTEGER) <= $last) TO '${join(dir, 'pbp', 'pbp_2021-22.csv').replace(/'/g, "''")}' (HEADER)`,
      { src: join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet'), last: 22100000 + games },
    );
  } finally {
    await scratch.close();
  }
  return dir;
}
