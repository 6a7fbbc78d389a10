// Each game's date must lie in its season's window (core/dates.ts), and a game may be in only one
// season's file: a refusal names the file, the row and the value (or both files), exits 2 and
// leaves the warehouse exactly as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { SMALL_ODDS, SMALL_PBP, expectRefused, smallSource, withField, type SmallSource } from '../testing/small-source.js';
import { ingest } from './ingest.js';
import { BUNDLED_DATA_DIR } from './sources.js';

let src: SmallSource;
let fx: TempWarehouse;
let header: string;

/** Lines (by index, 0 = header) of the small play-by-play whose game_id is `game`. */
function rowsOfGame(game: string): number[] {
  return src.pbpLines.flatMap((l, i) => (l.startsWith(`${game},`) ? [i] : []));
}

before(async () => {
  src = await smallSource();
  header = src.pbpLines[0]!;
  fx = await tempWarehouse();
  await ingest(fx.wh, { dataDir: src.good, seasons: ['2021-22'], runId: 'good' });
});
after(async () => {
  await fx?.cleanup();
  src?.cleanup();
});

describe('game dates are checked against their season', () => {
  test('a game dated 2099 in the 2021-22 file is refused at its first row', async () => {
    const rows = rowsOfGame('22100005');
    const lines = src.pbpLines.map((l, i) => (rows.includes(i) ? withField(header, l, 'date', '20991231') : l));
    const err = await expectRefused(fx.wh, src.variant('pbp-2099', { [SMALL_PBP]: lines.join('\n') }), ['2021-22'],
      /pbp_2021-22\.csv, row \d+: column 'date' has value '20991231', outside season 2021-22 \(2021-10-01\.\.2022-06-30\)$/);
    assert.equal(err.message.match(/row (\d+)/)?.[1], String(rows[0]));
  });

  test("a 2022-23 date in the 2021-22 file (its season_year unchanged) is refused", async () => {
    const [row] = rowsOfGame('22100012');
    const lines = src.pbpLines.map((l, i) => (i === row ? withField(header, l, 'date', '20221020') : l));
    await expectRefused(fx.wh, src.variant('pbp-next-season', { [SMALL_PBP]: lines.join('\n') }), ['2021-22'],
      new RegExp(`pbp_2021-22\\.csv, row ${row}: column 'date' has value '20221020', outside season 2021-22 \\(2021-10-01\\.\\.2022-06-30\\)$`));
  });

  test('an odds row dated in the summer is refused', async () => {
    const lines = [...src.oddsLines];
    const oddsHeader = lines[0]!;
    lines[40] = withField(oddsHeader, lines[40]!, 'Date', '2021-22-0815');
    await expectRefused(fx.wh, src.variant('odds-summer', { [SMALL_ODDS]: lines.join('\n') }), ['2021-22'],
      /odds_2021-22\.csv, row 40: column 'Date' has value '2021-22-0815' \(2021-08-15\), outside season 2021-22 \(2021-10-01\.\.2022-06-30\)$/);
  });

  test('a prop line for a game in 2099 is refused (it used to be dropped without a word)', async () => {
    const scratch = await DuckDBWarehouse.open(':memory:');
    const props = join(src.root, 'props-2021-22.csv');
    try {
      await scratch.exec(`COPY (SELECT * FROM read_parquet($src) ORDER BY snapshot_utc, prop, tidyplayer, tidyou LIMIT 60)
                          TO '${props.replace(/'/g, "''")}' (HEADER)`, { src: join(BUNDLED_DATA_DIR, 'props', 'props_2021-22.parquet') });
    } finally {
      await scratch.close();
    }
    const lines = readFileSync(props, 'utf8').split('\n');
    const good = src.variant('props-good', { 'props/props_2021-22.csv': lines.join('\n') });
    lines[17] = withField(lines[0]!, lines[17]!, 'tidygamedatetime', '2099-11-01T00:30:00Z');
    await expectRefused(fx.wh, src.variant('props-2099', { 'props/props_2021-22.csv': lines.join('\n') }), ['2021-22'],
      /props_2021-22\.csv, row 17: column 'tidygamedatetime' has value '2099-11-01T00:30:00Z' \(game date 2099-10-31\), outside season 2021-22 \(2021-10-01\.\.2022-06-30\)$/);
    // A tip-off with an offset other than UTC's: DuckDB's cast would drop it (19:30 stays 19:30) where
    // BigQuery's applies it, so it is refused on both rather than stored as another instant.
    const offset = [...lines.slice(0, 17), withField(lines[0]!, lines[17]!, 'tidygamedatetime', '2021-10-19 19:30:00-04'), ...lines.slice(18)];
    await expectRefused(fx.wh, src.variant('props-offset', { 'props/props_2021-22.csv': offset.join('\n') }), ['2021-22'],
      /props_2021-22\.csv, row 17: column 'tidygamedatetime' has unparsable value '2021-10-19 19:30:00-04' \(expected timestamp\)$/);
    // The unmodified 60 rows load, all of them.
    const copy = await tempWarehouse();
    try {
      await ingest(copy.wh, { dataDir: good, seasons: ['2021-22'], runId: 'props' });
      const [r] = await copy.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.player_prop_lines`);
      assert.equal(r?.n, 60);
    } finally {
      await copy.cleanup();
    }
  });
});

describe('a game is in one season file only', () => {
  /** The small 2021-22 games re-labelled as 2022-23: season_year 2023, dates one year later. */
  function sameGamesAsNextSeason(): string {
    return src.pbpLines
      .map((l, i) => {
        if (i === 0 || l === '') return l;
        const date = l.split(',')[1]!;
        return withField(header, withField(header, l, 'season_year', '2023'), 'date', `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`);
      })
      .join('\n');
  }

  test('in the same ingest: refused, naming both files and the game', async () => {
    const dir = src.variant('same-games-two-files', { 'pbp/pbp_2022-23.csv': sameGamesAsNextSeason() });
    const err = await expectRefused(fx.wh, dir, ['2021-22', '2022-23'],
      /pbp_2022-23\.csv, row 1: game 0022100014 is also in \S+pbp_2021-22\.csv \(season 2021-22\); a game belongs to one season's file$/);
    assert.ok(err.message.includes(join(dir, 'pbp', 'pbp_2021-22.csv')), err.message);
    assert.ok(err.message.startsWith(join(dir, 'pbp', 'pbp_2022-23.csv')), err.message);
  });

  test('against a season loaded by an earlier ingest: refused, naming the file it came from', async () => {
    const dir = src.variant('same-games-later', { 'pbp/pbp_2022-23.csv': sameGamesAsNextSeason() });
    await expectRefused(fx.wh, dir, ['2022-23'],
      new RegExp(`pbp_2022-23\\.csv, row 1: game 0022100014 is also in ${join(src.good, 'pbp', 'pbp_2021-22.csv').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(season 2021-22\\)`));
  });

  test('re-ingesting the same season from another folder is not a duplicate', async () => {
    const copy = await tempWarehouse();
    try {
      await ingest(copy.wh, { dataDir: src.good, seasons: ['2021-22'], runId: 'first' });
      await ingest(copy.wh, { dataDir: src.variant('same-again', {}), seasons: ['2021-22'], runId: 'second' });
      const [r] = await copy.wh.query<{ games: number }>(`SELECT count(*) AS games FROM nba_reference.schedule`);
      assert.equal(r?.games, 30);
    } finally {
      await copy.cleanup();
    }
  });
});
