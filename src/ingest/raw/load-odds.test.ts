// Odds values are checked for sense, not only for syntax: a spread of 999999, NaN, infinity, a
// negative total or a moneyline that is not American odds refuses the file, naming the row and
// the value, exit 2, warehouse unchanged. The bounds (ODDS_BOUNDS) admit every bundled row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { SMALL_ODDS, expectRefused, smallSource, withField, type SmallSource } from '../../testing/small-source.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { ingest } from '../ingest.js';
import { BUNDLED_DATA_DIR } from '../sources.js';
import { ODDS_BOUNDS } from './load-odds.js';

let src: SmallSource;
let fx: TempWarehouse;

before(async () => {
  src = await smallSource();
  fx = await tempWarehouse();
  await ingest(fx.wh, { dataDir: src.good, seasons: ['2021-22'], runId: 'good' });
});
after(async () => {
  await fx?.cleanup();
  src?.cleanup();
});

/** The small source with one odds value replaced (row = data row, 1 = first after the header). */
function oddsVariant(name: string, row: number, column: string, value: string): string {
  const lines = [...src.oddsLines];
  lines[row] = withField(lines[0]!, lines[row]!, column, value);
  return src.variant(name, { [SMALL_ODDS]: lines.join('\n') });
}

describe('odds values out of range refuse the file', () => {
  const cases: readonly [string, number, string, string, string][] = [
    ['spread 999999', 12, 'Spread', '999999', `out of range (expected a finite number with |Spread| at most 50)`],
    ['spread NaN', 13, 'Spread', 'NaN', `out of range (expected a finite number with |Spread| at most 50)`],
    ['total inf', 14, 'OU', 'inf', `out of range (expected a finite number with OU from 1 to 400)`],
    ['total -5', 15, 'OU', '-5', `out of range (expected a finite number with OU from 1 to 400)`],
    ['total 999', 16, 'OU', '999', `out of range (expected a finite number with OU from 1 to 400)`],
    ['total 1e12, beyond NUMERIC(18, 9)', 20, 'OU', '1e12', `out of range (expected a finite number with OU from 1 to 400)`],
    ['home moneyline 50', 17, 'ML_Home', '50', `out of range (expected a finite number with |ML_Home| from 100 to 100000)`],
    ['away moneyline -99', 18, 'ML_Away', '-99', `out of range (expected a finite number with |ML_Away| from 100 to 100000)`],
    ['final points -3', 19, 'Points', '-3', `out of range (expected a finite number with Points from 0 to 500)`],
  ];
  for (const [name, row, column, value, why] of cases) {
    test(name, async () => {
      const escaped = `${column}' has value '${value}' ${why}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const err = await expectRefused(fx.wh, oddsVariant(name.replace(/\W+/g, '-'), row, column, value), ['2021-22'],
        new RegExp(`odds_2021-22\\.csv, row ${row}: column '${escaped}$`));
      assert.equal((err as { row?: number }).row, row);
    });
  }

  test('the first bad row in file order is the one named', async () => {
    const lines = [...src.oddsLines];
    lines[30] = withField(lines[0]!, lines[30]!, 'OU', '-1');
    lines[20] = withField(lines[0]!, lines[20]!, 'Spread', '-inf');
    await expectRefused(fx.wh, src.variant('two-bad', { [SMALL_ODDS]: lines.join('\n') }), ['2021-22'],
      /odds_2021-22\.csv, row 20: column 'Spread' has value '-inf' out of range/);
  });

  test('the CLI exits 2 with the message', async () => {
    const dir = oddsVariant('cli-spread', 12, 'Spread', '999999');
    const r = await runCli(['--db', `${fx.path}.cli.duckdb`, 'ingest', '--source', dir, '--season', '2021-22']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /odds_2021-22\.csv, row 12: column 'Spread' has value '999999' out of range \(expected a finite number with \|Spread\| at most 50\)/);
  });
});

describe('the bounds and the real data', () => {
  test('every bundled odds value lies inside ODDS_BOUNDS', async () => {
    const db = await DuckDBWarehouse.open(':memory:');
    try {
      for (const [column, range] of Object.entries(ODDS_BOUNDS)) {
        const value = `TRY_CAST(trim("${column}") AS NUMERIC(38, 9))`;
        const v = range.abs ? `abs(${value})` : value;
        const [r] = await db.query<{ lo: number; hi: number; rows: number; empty: number }>(
          `SELECT CAST(min(${v}) AS DOUBLE) AS lo, CAST(max(${v}) AS DOUBLE) AS hi, count(*) AS rows, count(*) - count(${v}) AS empty
           FROM read_csv($files, all_varchar = true)`,
          { files: [`${BUNDLED_DATA_DIR}/odds/odds_2021-22.csv`, `${BUNDLED_DATA_DIR}/odds/odds_2022-23.csv`] },
        );
        assert.equal(r?.rows, 2642);
        assert.equal(r?.empty, 0, `${column} parses everywhere`);
        assert.ok(r.lo >= range.min && r.hi <= range.max, `${column}: real ${r.lo}..${r.hi} inside ${range.min}..${range.max}`);
      }
    } finally {
      await db.close();
    }
  });
});

describe('a game in two odds rows refuses the file, naming both rows', () => {
  /** The good odds file with `extra` lines appended after its last row. */
  function withExtraRows(name: string, ...extra: string[]): string {
    const lines = src.oddsLines.filter((l) => l.trim() !== '');
    return src.variant(name, { [SMALL_ODDS]: [...lines, ...extra, ''].join('\n') });
  }
  const header = () => src.oddsLines[0]!;
  const row = (n: number) => src.oddsLines[n]!;

  test('an exact duplicate row', async () => {
    const err = await expectRefused(fx.wh, withExtraRows('dup-exact', row(2)), ['2021-22'],
      /odds_2021-22\.csv, row 1324: the same game as row 2 \(Golden State Warriors at Los Angeles Lakers on 2021-10-19\); a game may have one odds row$/);
    assert.equal((err as { row?: number }).row, 1324);
  });

  test('the same game with the teams swapped', async () => {
    const swapped = withField(header(), withField(header(), row(1), 'Home', 'Brooklyn Nets'), 'Away', 'Milwaukee Bucks');
    await expectRefused(fx.wh, withExtraRows('dup-swapped', swapped), ['2021-22'],
      /odds_2021-22\.csv, row 1324: the same game as row 1 \(Brooklyn Nets at Milwaukee Bucks on 2021-10-19\)/);
  });

  test('the same game under another name of a team (Charlotte Bobcats / Charlotte Hornets)', async () => {
    const renamed = withField(header(), row(3), 'Home', 'Charlotte Hornets');
    await expectRefused(fx.wh, withExtraRows('dup-alias', renamed), ['2021-22'],
      /odds_2021-22\.csv, row 1324: the same game as row 3 \(Indiana Pacers at Charlotte Bobcats on 2021-10-20\)/);
  });

  test('the CLI exits 2 naming the file and both rows (not a primary-key error)', async () => {
    const r = await runCli(['--db', `${fx.path}.dup.duckdb`, 'ingest', '--source', withExtraRows('dup-cli', row(2)), '--season', '2021-22']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /odds_2021-22\.csv, row 1324: the same game as row 2 \(Golden State Warriors at Los Angeles Lakers on 2021-10-19\)/);
    assert.doesNotMatch(r.err, /constraint/i);
  });
});
