// Test fixture: a data directory laid out like the bundled data/ that holds the 2021-22 season only
// up to a date (play-by-play, odds and prop snapshots filtered; the name files as they are), so
// that `ingest --source` can load "the season so far" in bulk.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsoDate } from '../../core/dates.js';
import { BUNDLED_DATA_DIR } from '../../ingest/sources.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';

export interface SeasonSlice {
  readonly dir: string;
  cleanup(): void;
}

/** Paths are pasted into COPY (it takes no parameters): ours come from mkdtemp, quoted all the same. */
const literal = (path: string) => `'${path.replace(/'/g, "''")}'`;

export async function seasonSlice(to: IsoDate, season = '2021-22'): Promise<SeasonSlice> {
  const dir = mkdtempSync(join(tmpdir(), 'courtside-slice-'));
  for (const sub of ['pbp', 'odds', 'props']) mkdirSync(join(dir, sub));
  symlinkSync(join(BUNDLED_DATA_DIR, 'names'), join(dir, 'names'));
  const db = await DuckDBWarehouse.open(':memory:', { threads: 2 });
  try {
    const to8 = to.replace(/-/g, '');
    await db.exec(
      `COPY (SELECT * FROM read_parquet($src) WHERE date <= $to8) TO ${literal(join(dir, 'pbp', `pbp_${season}.parquet`))} (FORMAT parquet)`,
      { src: join(BUNDLED_DATA_DIR, 'pbp', `pbp_${season}.parquet`), to8 },
    );
    // 'Date' is the season label plus MMDD: October–December belong to the first year.
    const first = Number(season.slice(0, 4));
    await db.exec(
      `COPY (SELECT * FROM read_csv($src, all_varchar = true, header = true)
             WHERE CASE WHEN CAST(substr("Date", 9, 2) AS INTEGER) >= 8 THEN $first ELSE $first + 1 END * 10000 + CAST(substr("Date", 9, 4) AS INTEGER) <= CAST($to8 AS INTEGER)
             ORDER BY CAST("index" AS INTEGER))
       TO ${literal(join(dir, 'odds', `odds_${season}.csv`))} (FORMAT csv, HEADER)`,
      { src: join(BUNDLED_DATA_DIR, 'odds', `odds_${season}.csv`), to8, first },
    );
    const props = join(BUNDLED_DATA_DIR, 'props', `props_${season}.parquet`);
    const filter = `CAST(CAST(tidygamedatetime AS TIMESTAMP) - INTERVAL 5 HOUR AS DATE) <= CAST($to AS DATE)`;
    const [n] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet($src) WHERE ${filter}`, { src: props, to });
    if ((n?.n ?? 0) > 0) {
      await db.exec(`COPY (SELECT * FROM read_parquet($src) WHERE ${filter}) TO ${literal(join(dir, 'props', `props_${season}.parquet`))} (FORMAT parquet)`, { src: props, to });
    }
  } finally {
    await db.close();
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
