// What a new user meets first: every command's --help shows the global options; ingest shows
// progress from its start; a run's summary is printed once; coverage needs no range and does not
// count an empty partition as plain complete.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as cli } from '../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { smallSource } from '../testing/small-source.js';
import { seedWorld } from '../engine/testing/fakes.js';

const COMMANDS = [['ingest'], ['backfill'], ['run'], ['coverage'], ['failures'], ['reset'], ['runs'], ['sql'], ['registry', 'pending'], ['registry', 'alias'], ['registry', 'reprocess']];

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'courtside-newcomer-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('a newcomer', () => {
  test("sees --db and --format in every command's --help", async () => {
    for (const command of COMMANDS) {
      const r = await cli([...command, '--help']);
      assert.equal(r.code, 0, command.join(' '));
      assert.match(r.out, /Global Options:\n\s+--db <path>\s+DuckDB file/, command.join(' '));
      assert.match(r.out, /--format <format>\s+output format/, command.join(' '));
    }
  });

  test('sees ingest progress from its start, and its summary once', async () => {
    const small = await smallSource(); // the first 30 games of 2021-22
    after(() => small.cleanup());
    const source = small.good;
    const db = join(dir, 'new.duckdb');
    const r = await cli(['--db', db, 'ingest', '--source', source, '--season', '2021-22']);
    assert.equal(r.code, 0, r.err);
    const stages = r.err.trim().split('\n').map((l) => l.replace(/^\S+Z ingest: /, ''));
    assert.deepEqual(stages, [
      `loading player names from ${source}`,
      '2021-22: loading play-by-play (pbp_2021-22.csv)',
      '2021-22: loading odds and prop lines',
      'registry and phase 3: names, game summaries and pre-game contexts (one transaction)',
    ]);
    assert.match(r.out, /^ingest ingest_\S+ finished in [\d.]+ s\n  2021-22: \d+ raw events read, \d+ duplicates dropped, \d+ loaded;/);
    assert.match(r.out, /phase 3: 30 games, 60 team-games/);
    assert.doesNotMatch(r.err, /\d+ (games|players|play-by-play events)/, 'the counts are in the summary only');
  });

  describe('with a warehouse', () => {
    let fx: TempWarehouse;
    before(async () => {
      fx = await tempWarehouse();
      await seedWorld(fx.wh); // game dates 2021-10-01 .. 2021-10-29, 12 of them
      // PSZA: one complete partition with rows, one complete but empty (every player fell short).
      await fx.wh.exec(`INSERT INTO nba_processing.partition_status (processor_name, partition_date, status, rows_written, entity_failures, run_id, processor_version, started_at, finished_at, duration_ms)
VALUES ('PlayerShotZoneAnalysisProcessor', DATE '2021-10-20', 'complete', 7, 0, 'r', 'v', TIMESTAMP '2021-11-01 00:00:00', TIMESTAMP '2021-11-01 00:00:00', 1),
       ('PlayerShotZoneAnalysisProcessor', DATE '2021-10-21', 'complete', 0, 9, 'r', 'v', TIMESTAMP '2021-11-01 00:00:00', TIMESTAMP '2021-11-01 00:00:00', 1)`);
      await fx.release();
    });
    after(async () => fx?.cleanup());

    test("gets coverage over the warehouse's whole range without --from/--to", async () => {
      const whole = await cli(['--db', fx.path, '--format', 'json', 'coverage']);
      assert.equal(whole.code, 0, whole.err);
      const explicit = await cli(['--db', fx.path, '--format', 'json', 'coverage', '--from', '2021-10-01', '--to', '2021-10-29']);
      assert.equal(whole.out, explicit.out);
      const rows = JSON.parse(whole.out) as Record<string, unknown>[];
      assert.deepEqual(rows.map((r) => r['processor']), ['psza', 'tdza', 'pdc', 'pcf', 'mlfs', 'pred']);
      assert.ok(rows.every((r) => r['game_dates'] === 12));
      const table = await cli(['--db', fx.path, 'coverage']);
      assert.match(table.out, /^Coverage 2021-10-01\.\.2021-10-29 \(the warehouse's game dates\)\n/);
    });

    test('sees a complete partition without rows counted apart from complete ones', async () => {
      const [psza] = JSON.parse((await cli(['--db', fx.path, '--format', 'json', 'coverage'])).out) as Record<string, unknown>[];
      assert.deepEqual(
        { complete: psza?.['complete'], complete_empty: psza?.['complete_empty'], missing: psza?.['missing'], rows_written: psza?.['rows_written'] },
        { complete: 1, complete_empty: 1, missing: 10, rows_written: 7 },
      );
    });

    test("gets a backfill's summary once, on stdout", async () => {
      // The real processors on the fake world: every partition fails its dependency checks.
      const r = await cli(['--db', fx.path, 'backfill', '--from', '2021-10-20', '--to', '2021-10-22']);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /^processor\s+planned\s+up_to_date\s+complete/);
      assert.match(r.out, /\nrun backfill_\S+: failed in [\d.]+ s, 18 failed or skipped partitions\n  mlfs 2021-10-20 failed MISSING_DEPENDENCIES: /);
      assert.doesNotMatch(r.err, /courtside backfill 2021-10-20\.\.2021-10-22|psza: \d+ complete|failed partitions:/, 'no second summary on stderr');
      const json = await cli(['--db', fx.path, '--format', 'json', 'backfill', '--from', '2021-10-20', '--to', '2021-10-22', '--force']);
      assert.equal((JSON.parse(json.out) as unknown[]).length, 6, 'json carries the rows alone');
    });
  });
});
