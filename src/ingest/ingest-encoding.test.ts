// A source file that is not UTF-8 (a Latin-1 byte) is refused as such, naming the file, the line
// and column and the byte, not only a line number; exit 2, warehouse unchanged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { SMALL_ODDS, SMALL_PBP, expectRefused, smallSource, type SmallSource } from '../testing/small-source.js';
import { ingest } from './ingest.js';

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

/** `lines` joined as bytes, with a Latin-1 'é' (0xE9) after the first `marker` on line index `at`; its 1-based column. */
function latin1(lines: readonly string[], at: number, marker: string): { bytes: Buffer; column: number } {
  const line = lines[at]!;
  assert.ok(line.includes(marker), `line ${at} has ${marker}`);
  const column = line.indexOf(marker) + marker.length + 1;
  const changed = Buffer.from(line.replace(marker, `${marker}é`), 'latin1');
  const parts = lines.map((l, i) => (i === at ? changed : Buffer.from(l, 'utf8')));
  return { bytes: Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('\n'), p]))), column };
}

describe('a file that is not UTF-8', () => {
  test('play-by-play CSV with a Latin-1 name: file, row, line, column and byte', async () => {
    const at = src.pbpLines.findIndex((l, i) => i > 5000 && l.includes(',MISS '));
    const { bytes, column } = latin1(src.pbpLines, at, ',MISS ');
    const err = await expectRefused(fx.wh, src.variant('latin1-pbp', { [SMALL_PBP]: bytes }), ['2021-22'],
      new RegExp(`pbp_2021-22\\.csv, row ${at}: cannot be read: the file is not UTF-8: line ${at + 1}, column ${column} has the byte 0xE9 \\('é' in Latin-1\\); save it as UTF-8$`));
    assert.equal((err as { row?: number }).row, at);
  });

  test('gzipped play-by-play', async () => {
    const { bytes } = latin1(src.pbpLines, 3, 'Regular_');
    await expectRefused(fx.wh, src.variant('latin1-gz', { [SMALL_PBP]: null, 'pbp/pbp_2021-22.csv.gz': gzipSync(bytes) }), ['2021-22'],
      /pbp_2021-22\.csv\.gz, row 3: cannot be read: the file is not UTF-8: line 4, column \d+ has the byte 0xE9/);
  });

  test('odds CSV with a Latin-1 team name', async () => {
    const { bytes } = latin1(src.oddsLines, 700, ',');
    await expectRefused(fx.wh, src.variant('latin1-odds', { [SMALL_ODDS]: bytes }), ['2021-22'],
      /odds_2021-22\.csv, row 700: cannot be read: the file is not UTF-8: line 701, column \d+ has the byte 0xE9 \('é' in Latin-1\); save it as UTF-8$/);
  });
});
