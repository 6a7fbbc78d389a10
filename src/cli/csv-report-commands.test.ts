// `daily` and the bulk `ingest` print a report, not a table: their text in table format, the report as
// one JSON document with --format json. --format csv (one table, README) has no table to print there:
// it is a usage error (exit 2) before any work — no warehouse file is created, nothing is fetched or
// loaded — instead of the text printed as if it were CSV after the whole run.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../testing/cli.js';
import { smallSource, type SmallSource } from '../testing/small-source.js';

describe('--format csv on the commands that print a report', () => {
  let dir: string;
  let source: SmallSource;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courtside-csv-report-'));
    mkdirSync(join(dir, 'landing'));
    source = await smallSource();
  });
  after(() => {
    source?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingest (bulk): refused before the warehouse is created', async () => {
    const db = join(dir, 'ingest.duckdb');
    const r = await runCli(['--db', db, '--format', 'csv', 'ingest', '--season', '2021-22', '--source', source.good]);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      'courtside: ingest prints a summary, not a table: --format csv has none to print (use --format json for its figures as one document; ' +
        '`ingest --date D` and `ingest --landing DIR` print a table per date, in csv too)\n',
    );
    assert.equal(existsSync(db), false, 'no warehouse created');
  });

  it('daily: refused before anything is fetched or the warehouse is created', async () => {
    const db = join(dir, 'daily.duckdb');
    const r = await runCli(['--db', db, '--format', 'csv', 'daily', '--date', '2021-10-20', '--skip-fetch', '--landing', join(dir, 'landing')]);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, 'courtside: daily prints a report, not a table: --format csv has none to print (use --format table for its text, or --format json for the report as one document)\n');
    assert.equal(existsSync(db), false, 'no warehouse created');
  });

  it('the incremental ingest (a table per date) is not refused; the bulk ingest still prints json', async () => {
    const db = join(dir, 'json.duckdb');
    const landed = await runCli(['--db', db, '--format', 'csv', 'ingest', '--landing', join(dir, 'landing')]);
    assert.equal(landed.code, 2);
    assert.match(landed.err, /nothing landed in /);
    const json = await runCli(['--db', db, '--format', 'json', 'ingest', '--season', '2021-22', '--source', source.good]);
    assert.equal(json.code, 0, json.err);
    const summary = JSON.parse(json.out) as { seasons: { season: string }[] };
    assert.deepEqual(summary.seasons.map((s) => s.season), ['2021-22']);
  });
});
