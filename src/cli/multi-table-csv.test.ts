// A report of several tables (`failures`, `evaluate`) with --format csv printed every table one
// after the other (several header lines, `# title` lines), which no CSV reader loads as one table.
// Now csv prints ONE table (the main one, or --section NAME) that DuckDB's read_csv loads whole,
// json stays one document (or the chosen section's rows), and table shows every section.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runBackfill } from '../engine/run.js';
import { PROCESSORS } from '../processors/index.js';
import { runCli } from '../testing/cli.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';

const FROM = '2021-10-19';
const TO = '2021-11-30';
type Rows = Record<string, unknown>[];

let t: RealSeasonCopy;
let dir: string;
let duck: DuckDBConnection;

before(async () => {
  t = await realSeasonCopy(['2021-22']);
  const run = await runBackfill(t.wh, PROCESSORS, { from: FROM, to: TO });
  assert.equal(run.exitCode, 0, JSON.stringify(run.failedPartitions.slice(0, 3)));
  await t.release();
  dir = mkdtempSync(join(tmpdir(), 'courtside-csv-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
after(async () => {
  duck?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await t?.cleanup();
});

/** What DuckDB's read_csv (header, sniffed types) makes of a CSV text: its column names and rows as strings. */
async function readCsv(text: string): Promise<{ columns: string[]; rows: string[][] }> {
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const reader = await duck.runAndReadAll(`SELECT * FROM read_csv('${file}', header = true, all_varchar = true)`);
  return { columns: reader.columnNames(), rows: reader.getRowsJS().map((r) => r.map((v) => (v === null ? '' : String(v)))) };
}

/** The same rows as read_csv gives them: every value as its CSV text. */
function asCsvStrings(rows: Rows, columns: readonly string[]): string[][] {
  return rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c]))));
}

async function cli(args: readonly string[]) {
  const r = await runCli(['--db', t.path, ...args]);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}${r.out}`);
  return r;
}

describe('--format csv of a report of several tables is one table a CSV reader loads', () => {
  test('failures: by_category by default, top_reasons with --section; json one document', { timeout: 120_000 }, async () => {
    const range = ['failures', '--from', FROM, '--to', TO, '--top', '50'];
    const json = JSON.parse((await cli(['--format', 'json', ...range])).out) as { by_category: Rows; top_reasons: Rows };
    assert.ok(json.by_category.length >= 2 && json.top_reasons.length >= 2, 'the fixture range has failures of several kinds');

    const csv = await cli(['--format', 'csv', ...range]);
    const main = await readCsv(csv.out);
    const byCategoryColumns = ['processor_name', 'failure_category', 'failures', 'expected', 'real', 'dates', 'entities', 'occurrences', 'last_seen_at'];
    assert.deepEqual(main.columns, byCategoryColumns);
    assert.deepEqual(main.rows, asCsvStrings(json.by_category, byCategoryColumns));
    assert.match(csv.err, /--format csv prints one table: by_category; the others \(top_reasons\) with --section NAME/);

    const top = await cli(['--format', 'csv', ...range, '--section', 'top_reasons']);
    const reasons = await readCsv(top.out);
    const topColumns = ['processor_name', 'failure_category', 'failure_reason', 'failures', 'first_date', 'last_date'];
    assert.deepEqual(reasons.columns, topColumns);
    assert.deepEqual(reasons.rows, asCsvStrings(json.top_reasons, topColumns));
    assert.equal(top.err, '');

    // json: one document by default (as before), the chosen section's array with --section
    assert.deepEqual(JSON.parse((await cli(['--format', 'json', ...range, '--section', 'top_reasons'])).out), json.top_reasons);
    // table: both sections under their titles, as before; one with --section
    const table = (await cli(range)).out;
    assert.match(table, /^Failures by processor and category\n[\s\S]+\n\nTop reasons\n/);
    assert.doesNotMatch((await cli([...range, '--section', 'by_category'])).out, /Top reasons/);

    const bad = await runCli(['--db', t.path, '--format', 'csv', ...range, '--section', 'reasons']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--section must be one of by_category, top_reasons, got 'reasons'/);
  });

  test('failures with none in the range: csv is still a header a reader loads (0 rows)', async () => {
    const csv = await cli(['--format', 'csv', 'failures', '--from', '2021-07-01', '--to', '2021-07-02', '--section', 'top_reasons']);
    const r = await readCsv(csv.out);
    assert.deepEqual([r.columns, r.rows], [['processor_name', 'failure_category', 'failure_reason', 'failures', 'first_date', 'last_date'], []]);
  });

  test('evaluate: accuracy by default, every other section with --section; json one document', { timeout: 300_000 }, async () => {
    const range = ['evaluate', '--from', '2021-10-20', '--to', TO];
    const json = JSON.parse((await cli(['--format', 'json', ...range])).out) as { counts: Record<string, unknown>; accuracy: Rows; paired: Rows; calibration: Rows; lines: Rows };
    const sections: [string, Rows][] = [['accuracy', json.accuracy], ['counts', [json.counts]], ['paired', json.paired], ['calibration', json.calibration], ['lines', json.lines]];
    for (const [name, rows] of sections) {
      const out = await cli(['--format', 'csv', ...range, ...(name === 'accuracy' ? [] : ['--section', name])]);
      const loaded = await readCsv(out.out);
      const columns = Object.keys(rows[0] ?? {});
      assert.deepEqual(loaded.columns, columns, name);
      assert.deepEqual(loaded.rows, asCsvStrings(rows, columns), name);
      if (name === 'accuracy') assert.match(out.err, /prints one table: accuracy; the others \(counts, paired, calibration, lines\)/);
    }
    const bad = await runCli(['--db', t.path, ...range, '--section', 'bias']);
    assert.deepEqual([bad.code, bad.out], [2, '']);
    assert.match(bad.err, /--section must be one of counts, accuracy, paired, calibration, lines, got 'bias'/);
    const table = (await cli(range)).out;
    for (const title of ['player-games', 'Accuracy (points)', 'Paired MAE difference', 'Calibration:', 'Real points lines']) assert.ok(table.includes(`${title}`), title);
  });
});
