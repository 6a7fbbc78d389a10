// SYNTHETIC scale-up for the benchmark only: the real Phase 3 seasons (2021-22, 2022-23) copied
// forward with shifted dates and ids until there are N seasons. Never used by the product.
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { PHASE3_TABLES } from '../src/ingest/schema.js';

const TABLES = PHASE3_TABLES;

/** Date columns shifted by whole years with the season; game ids get a season suffix. */
const DATE_COLUMNS = ['game_date', 'source_last_game_date'] as const;

export async function replicateSeasons(wh: Warehouse, seasons: number): Promise<void> {
  await wh.transaction(async (tx) => {
    for (let k = 2; k < seasons; k++) {
      const target = 2021 + k;
      const source = 2021 + (k % 2);
      const years = target - source;
      for (const table of TABLES) {
        const cols = await tx.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = $t ORDER BY ordinal_position`,
          { t: table },
        );
        const select = cols.map(({ column_name: c }) => {
          if ((DATE_COLUMNS as readonly string[]).includes(c)) return `CAST(${c} + to_years(CAST($years AS INTEGER)) AS DATE) AS ${c}`;
          if (c === 'season_year') return `CAST($target AS INTEGER) AS season_year`;
          if (c === 'game_id') return `game_id || '-s' || CAST($target AS VARCHAR) AS game_id`;
          return c;
        });
        await tx.exec(`INSERT INTO ${table} BY NAME SELECT ${select.join(', ')} FROM ${table} WHERE season_year = $source`, { years, target, source });
      }
    }
  });
}
