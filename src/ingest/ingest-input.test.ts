// Bad input: a missing column, an unparsable value, an unknown team code, a truncated file each
// give an error naming the file and row, exit code 2, and leave the warehouse exactly as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { InputError } from '../core/errors.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { withField } from '../testing/small-source.js';
import { tableHashes } from '../testing/table-hash.js';
import { ingest } from './ingest.js';
import { BUNDLED_DATA_DIR } from './sources.js';

const run = promisify(execFile);
const BIN = resolve(BUNDLED_DATA_DIR, '../bin/courtside.mjs');
const TABLES = [
  'nba_raw.play_by_play', 'nba_raw.game_odds', 'nba_raw.player_prop_lines', 'nba_reference.schedule',
  'nba_reference.nba_players_registry', 'nba_analytics.player_game_summary', 'nba_analytics.team_offense_game_summary',
  'nba_analytics.upcoming_player_game_context', 'nba_processing.registry_failures',
];

let root: string;
let good: string; // a small, valid source dir: the first 30 games of 2021-22 as CSV
let fx: TempWarehouse;
let pbpLines: string[];

/** The good play-by-play file's text with one field of one data row (1 = the first) replaced. */
function pbpWith(row: number, column: string, value: string): string {
  return pbpLines.map((line, i) => (i === row ? withField(pbpLines[0]!, line, column, value) : line)).join('\n');
}

/** A copy of the good source dir with the play-by-play file replaced. */
function variant(name: string, pbp: string | Buffer, file = 'pbp_2021-22.csv'): string {
  const dir = join(root, name);
  cpSync(good, dir, { recursive: true });
  rmSync(join(dir, 'pbp', 'pbp_2021-22.csv'));
  writeFileSync(join(dir, 'pbp', file), pbp);
  return dir;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'courtside-input-'));
  good = join(root, 'good');
  cpSync(join(BUNDLED_DATA_DIR, 'names'), join(good, 'names'), { recursive: true });
  cpSync(join(BUNDLED_DATA_DIR, 'odds'), join(good, 'odds'), { recursive: true });
  const scratch = await DuckDBWarehouse.open(':memory:');
  await scratch.exec(`COPY (SELECT * FROM read_parquet($src) WHERE CAST(game_id AS INTEGER) <= 22100030)
                      TO '${join(good, 'pbp', 'pbp_2021-22.csv').replace(/'/g, "''")}' (HEADER)`, {
    src: join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet'),
  }).catch(async () => {
    // COPY needs the target folder
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(good, 'pbp'), { recursive: true });
    await scratch.exec(`COPY (SELECT * FROM read_parquet($src) WHERE CAST(game_id AS INTEGER) <= 22100030)
                        TO '${join(good, 'pbp', 'pbp_2021-22.csv').replace(/'/g, "''")}' (HEADER)`, {
      src: join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet'),
    });
  });
  await scratch.close();
  pbpLines = readFileSync(join(good, 'pbp', 'pbp_2021-22.csv'), 'utf8').split('\n');
  fx = await tempWarehouse();
  await ingest(fx.wh, { dataDir: good, seasons: ['2021-22'], runId: 'good' });
});
after(async () => {
  await fx?.cleanup();
  rmSync(root, { recursive: true, force: true });
});

async function expectRejected(dir: string, pattern: RegExp): Promise<InputError> {
  const before = await tableHashes(fx.wh, TABLES);
  const err = await ingest(fx.wh, { dataDir: dir, seasons: ['2021-22'], runId: 'bad' }).then(
    () => assert.fail('ingest should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
  assert.match(err.message, pattern);
  assert.equal(err.exitCode, 2);
  assert.deepEqual(await tableHashes(fx.wh, TABLES), before, 'the warehouse must be exactly as it was');
  return err;
}

describe('ingest rejects bad input and changes nothing', () => {
  test('the good small source loads: 30 games, events deduplicated', async () => {
    const [r] = await fx.wh.query<{ games: number; events: number; dups: number }>(
      `SELECT (SELECT count(*) FROM nba_reference.schedule) AS games, (SELECT count(*) FROM nba_raw.play_by_play) AS events,
              (SELECT max(duplicates_dropped) FROM nba_raw.load_log WHERE run_id = 'good' AND target_table = 'nba_raw.play_by_play') AS dups`,
    );
    assert.equal(r?.games, 30);
    assert.ok((r?.events ?? 0) > 10000);
    assert.ok((r?.dups ?? 0) > 10000, 'the raw 2021-22 rows repeat each event 2-4 times');
  });

  test('a missing column names the file and the column', async () => {
    const lines = pbpLines.map((l) => l.split(',').slice(0, -1).join(',')); // drop players_on (last column)
    const dir = variant('missing-column', lines.join('\n'));
    await expectRejected(dir, /pbp_2021-22\.csv: missing column 'players_on'/);
  });

  test('an unparsable value names the file, row and column', async () => {
    const err = await expectRejected(variant('bad-value', pbpWith(1000, 'period', 'x2')), /pbp_2021-22\.csv, row 1000: column 'period' has unparsable value 'x2'/);
    assert.equal(err.row, 1000);
  });

  test('a decimal in an integer column is refused, not rounded', async () => {
    // DuckDB's own cast reads '2.0' and '1.5' as integers (BigQuery's refuses them): the check refuses them on both engines.
    const err = await expectRejected(variant('decimal-integer', pbpWith(1200, 'period', '1.5')), /pbp_2021-22\.csv, row 1200: column 'period' has unparsable value '1\.5' \(expected integer\)/);
    assert.equal(err.row, 1200);
  });

  test('an unknown team code names the file, row and value', async () => {
    await expectRejected(variant('bad-team', pbpWith(2500, 'team', 'XYZ')), /pbp_2021-22\.csv, row 2500: column 'team' has unknown team code 'XYZ'/);
  });

  test('a file truncated mid-line is rejected with its line', async () => {
    const text = pbpLines.join('\n');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const kept = cut.slice(0, cut.lastIndexOf(',') + 1);
    const lastLine = kept.split('\n').length;
    const err = await expectRejected(variant('truncated', kept), /pbp_2021-22\.csv, row \d+: cannot be read: line \d+ has \d+ fields where the header has 35/);
    assert.equal(err.row, lastLine - 1, 'the cut line is named');
  });

  test('a truncated gzip file is rejected', async () => {
    const gz = gzipSync(pbpLines.join('\n'));
    await expectRejected(variant('truncated-gz', gz.subarray(0, Math.floor(gz.length / 2)), 'pbp_2021-22.csv.gz'), /pbp_2021-22\.csv\.gz, row \d+: cannot be read: compressed stream is truncated/);
  });

  test('the CLI exits 2 and prints the error', async () => {
    const dir = variant('cli-bad-team', pbpWith(7, 'team', 'XYZ'));
    const result = await run(process.execPath, [BIN, '--db', `${fx.path}.cli.duckdb`, 'ingest', '--source', dir, '--season', '2021-22']).then(
      (ok) => ({ code: 0, stderr: ok.stderr }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pbp_2021-22\.csv, row 7: column 'team' has unknown team code 'XYZ'/);
  });
});
