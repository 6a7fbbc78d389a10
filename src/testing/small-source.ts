// Test fixture for input validation: a small, valid source directory (the first 30 games of
// 2021-22 as CSV, the real names and odds) and copies of it with one file replaced, so that each
// test plants exactly one problem.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { CourtsideError } from '../core/errors.js';
import { ingest } from '../ingest/ingest.js';
import { BUNDLED_DATA_DIR } from '../ingest/sources.js';
import { tableHashes } from './table-hash.js';

export interface SmallSource {
  /** Scratch root; every variant is a folder in it. */
  readonly root: string;
  /** The valid source directory. */
  readonly good: string;
  /** The good play-by-play CSV, split into lines (line 0 = header). */
  readonly pbpLines: readonly string[];
  /** The good 2021-22 odds CSV, split into lines (line 0 = header). */
  readonly oddsLines: readonly string[];
  /** A copy of the good directory with files (paths relative to it) written or, when null, removed. */
  variant(name: string, files: Readonly<Record<string, string | Buffer | null>>): string;
  cleanup(): void;
}

export const SMALL_PBP = 'pbp/pbp_2021-22.csv';
export const SMALL_ODDS = 'odds/odds_2021-22.csv';

export async function smallSource(): Promise<SmallSource> {
  const root = mkdtempSync(join(tmpdir(), 'courtside-small-'));
  const good = join(root, 'good');
  cpSync(join(BUNDLED_DATA_DIR, 'names'), join(good, 'names'), { recursive: true });
  mkdirSync(join(good, 'odds'), { recursive: true });
  cpSync(join(BUNDLED_DATA_DIR, SMALL_ODDS), join(good, SMALL_ODDS));
  mkdirSync(join(good, 'pbp'), { recursive: true });
  const scratch = await DuckDBWarehouse.open(':memory:');
  try {
    // COPY takes no parameter for its target; the path is ours (mkdtemp), quoted for SQL.
    await scratch.exec(
      `COPY (SELECT * FROM read_parquet($src) WHERE CAST(game_id AS INTEGER) <= 22100030)
       TO '${join(good, SMALL_PBP).replace(/'/g, "''")}' (HEADER)`,
      { src: join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet') },
    );
  } finally {
    await scratch.close();
  }
  const pbpLines = readFileSync(join(good, SMALL_PBP), 'utf8').split('\n');
  const oddsLines = readFileSync(join(good, SMALL_ODDS), 'utf8').split('\n');
  return {
    root,
    good,
    pbpLines,
    oddsLines,
    variant(name, files) {
      const dir = join(root, name);
      cpSync(good, dir, { recursive: true });
      for (const [path, content] of Object.entries(files)) {
        const target = join(dir, path);
        if (content === null) rmSync(target, { force: true });
        else {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, content);
        }
      }
      return dir;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Raw fields of one CSV line, quotes kept, split only at commas outside double quotes. */
function rawFields(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ',' && !quoted) {
      fields.push(line.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(line.slice(start));
  return fields;
}

/** A CSV line with one field replaced by `value` (written as is). */
export function withField(header: string, line: string, column: string, value: string): string {
  const index = rawFields(header).indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  return rawFields(line)
    .map((v, i) => (i === index ? value : v))
    .join(',');
}

/** The tables a refused ingest must leave exactly as they were. */
export const INGEST_TABLES = [
  'nba_raw.play_by_play', 'nba_raw.game_odds', 'nba_raw.player_prop_lines', 'nba_raw.load_log', 'nba_reference.schedule',
  'nba_reference.nba_players_registry', 'nba_analytics.player_game_summary', 'nba_analytics.team_offense_game_summary',
  'nba_analytics.upcoming_player_game_context', 'nba_analytics.upcoming_team_game_context', 'nba_processing.registry_failures',
] as const;

/**
 * Ingests `dir` expecting a refusal: a CourtsideError with exit code 2 whose message matches
 * `pattern`, and every ingest table unchanged.
 */
export async function expectRefused(wh: Warehouse, dir: string, seasons: readonly string[], pattern: RegExp): Promise<CourtsideError> {
  const before = await tableHashes(wh, INGEST_TABLES);
  const err = await ingest(wh, { dataDir: dir, seasons, runId: 'refused' }).then(
    () => assert.fail('ingest should have refused the input'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof CourtsideError, `expected a CourtsideError, got ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  assert.match(err.message, pattern);
  assert.equal(err.exitCode, 2);
  assert.deepEqual(await tableHashes(wh, INGEST_TABLES), before, 'the warehouse must be exactly as it was');
  return err;
}
