// Which file is a season's play-by-play (or props) must never be a guess: two candidates for the
// same season are refused, naming both, before anything is opened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { BUNDLED_DATA_DIR, seasonFiles } from './sources.js';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'courtside-sources-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A data directory holding empty files at the given relative paths. */
function layout(name: string, files: readonly string[]): string {
  const dir = join(root, name);
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  return dir;
}

function refusal(dir: string): UsageError {
  try {
    seasonFiles(dir, '2021-22');
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${String(err)}`);
    assert.equal(err.exitCode, 2);
    return err;
  }
  return assert.fail('seasonFiles should have refused the directory');
}

describe('seasonFiles', () => {
  test('the bundled data has exactly one file per season and kind', () => {
    const f = seasonFiles(BUNDLED_DATA_DIR, '2021-22');
    assert.equal(f.playByPlay, join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet'));
    assert.equal(f.odds, join(BUNDLED_DATA_DIR, 'odds', 'odds_2021-22.csv'));
    assert.equal(f.props, join(BUNDLED_DATA_DIR, 'props', 'props_2021-22.parquet'));
    assert.equal(seasonFiles(BUNDLED_DATA_DIR, '2022-23').props, undefined);
  });

  test('play-by-play as Parquet and as CSV: refused, naming both', () => {
    const dir = layout('pbp-parquet-csv', ['pbp/pbp_2021-22.parquet', 'pbp/pbp_2021-22.csv']);
    const err = refusal(dir);
    assert.equal(
      err.message,
      `2 play-by-play files for 2021-22: ${join(dir, 'pbp', 'pbp_2021-22.parquet')} and ${join(dir, 'pbp', 'pbp_2021-22.csv')}; keep exactly one`,
    );
  });

  test('play-by-play as CSV and as gzipped CSV: refused, naming both', () => {
    const dir = layout('pbp-csv-gz', ['pbp/pbp_2021-22.csv', 'pbp/pbp_2021-22.csv.gz']);
    assert.match(refusal(dir).message, /^2 play-by-play files for 2021-22: \S+pbp_2021-22\.csv and \S+pbp_2021-22\.csv\.gz; keep exactly one$/);
  });

  test('all three forms: refused, naming all three', () => {
    const dir = layout('pbp-all', ['pbp/pbp_2021-22.parquet', 'pbp/pbp_2021-22.csv', 'pbp/pbp_2021-22.csv.gz']);
    assert.match(refusal(dir).message, /^3 play-by-play files for 2021-22: \S+\.parquet, \S+\.csv and \S+\.csv\.gz; keep exactly one$/);
  });

  test('prop lines as Parquet and as CSV: refused, naming both', () => {
    const dir = layout('props-two', ['pbp/pbp_2021-22.csv', 'props/props_2021-22.parquet', 'props/props_2021-22.csv']);
    assert.match(refusal(dir).message, /^2 prop-line files for 2021-22: \S+props_2021-22\.parquet and \S+props_2021-22\.csv; keep exactly one$/);
  });

  test("another season's files do not count", () => {
    const dir = layout('other-season', ['pbp/pbp_2021-22.csv', 'pbp/pbp_2022-23.parquet']);
    assert.equal(seasonFiles(dir, '2021-22').playByPlay, join(dir, 'pbp', 'pbp_2021-22.csv'));
  });
});
