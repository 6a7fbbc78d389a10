// The registry commands end to end through the CLI entry point, on a file built from the fixtures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as run } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { realSeasonCopy } from '../../testing/real-season.js';
import { buildPhase3 } from '../phase3/build-phase3.js';
import { buildRegistry, recordUnresolvedPropNames } from './index.js';
import { buildFixtureRegistry, insertPropLines } from './registry-fixtures.js';

describe('courtside registry', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await t.wh.transaction(async (tx) => {
      await buildFixtureRegistry(tx);
      await insertPropLines(tx, [{ name: 'Trey Young', date: '2021-10-31', team: 'ATL' }]);
      await recordUnresolvedPropNames(tx, 'run-1');
    });
    await t.release(); // the CLI opens the file itself
  });
  after(async () => t.cleanup());

  it('pending → alias → pending is empty; unknown player exits 2', async () => {
    const pending = await run(['--db', t.path, '--format', 'json', 'registry', 'pending']);
    assert.equal(pending.code, 0);
    const rows = JSON.parse(pending.out) as Record<string, unknown>[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.['lookup'], 'treyyoung');
    assert.match(String(rows[0]?.['suggestions']), /Trae Young \(1629027\)/);

    const bad = await run(['--db', t.path, 'registry', 'alias', 'Trey Young', '--to', 'Nobody Atall']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /no registry player matches 'Nobody Atall'/);

    const ok = await run(['--db', t.path, '--format', 'csv', 'registry', 'alias', 'Trey Young', '--to', '1629027']);
    assert.equal(ok.code, 0);
    assert.equal(ok.out.trim(), 'alias_lookup,player_name,universal_player_id,canonical_lookup,failures_resolved\ntreyyoung,Trae Young,1629027,traeyoung,1');
    const after = await run(['--db', t.path, '--format', 'json', 'registry', 'pending']);
    assert.deepEqual(JSON.parse(after.out), []);

    // The real Phase 3 rebuild of the one affected date (the fixture has no schedule, so no rows), and
    // nothing downstream: no Phase 4 partition is stored.
    const re = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']);
    assert.equal(re.code, 0, re.err);
    assert.deepEqual(JSON.parse(re.out), [
      { processor_name: 'UpcomingPlayerGameContextProcessor', failures: 1, dates_rebuilt: 1, dates: '2021-10-31', status: 'REPROCESSED', downstream: 'no partitions stored from 2021-10-31 on: nothing downstream to rebuild' },
    ]);
    const again = await run(['--db', t.path, 'registry', 'reprocess']);
    assert.equal(again.out, 'nothing to reprocess (no RESOLVED failures)\n');
  });
});

describe('courtside registry: a name two people carry, on the real 2021-22 season', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await realSeasonCopy(['2021-22']);
    // The NBA's player file names a second person 'Seth Curry' (Stephen Curry's id), rebuilt as ingest does.
    await t.wh.exec(`UPDATE nba_raw.player_name_sources SET name = 'Seth Curry' WHERE source = 'commonplayerinfo' AND source_player_id = 201939`);
    await t.wh.transaction(async (tx) => {
      await buildRegistry(tx, 'cli-same-name');
      await buildPhase3(tx, { seasonYears: [2021], runId: 'cli-same-name' });
      await recordUnresolvedPropNames(tx, 'cli-same-name', { playerMarkets: true });
    });
    await t.release();
  });
  after(async () => t.cleanup());

  it('pending shows the shared name with both people; alias by name is refused as ambiguous, by id it settles both failures', async () => {
    const pending = await run(['--db', t.path, '--format', 'json', 'registry', 'pending']);
    assert.equal(pending.code, 0, pending.err);
    const seth = (JSON.parse(pending.out) as Record<string, unknown>[]).find((r) => r['lookup'] === 'sethcurry');
    assert.deepEqual(seth && { ...seth, suggestions: undefined }, {
      lookup: 'sethcurry', raw_name: 'Seth Curry', processors: 'NbaPlayersRegistryProcessor,UpcomingPlayerGameContextProcessor',
      dates: 2, occurrences: 2, first_date: '2021-10-20', last_date: '2021-11-08', suggestions: undefined,
    });
    assert.match(String(seth?.['suggestions']), /Seth Curry \(201939\).*Seth Curry \(203552\)|Seth Curry \(203552\).*Seth Curry \(201939\)/);

    const byName = await run(['--db', t.path, 'registry', 'alias', 'Seth Curry', '--to', 'Seth Curry']);
    assert.equal(byName.code, 2);
    assert.match(byName.err, /'Seth Curry' is ambiguous: Seth Curry \(201939\), Seth Curry \(203552\); give the person id instead/);

    const ok = await run(['--db', t.path, '--format', 'csv', 'registry', 'alias', 'Seth Curry', '--to', '203552']);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out.trim(), 'alias_lookup,player_name,universal_player_id,canonical_lookup,failures_resolved\nsethcurry,Seth Curry,203552,sethcurry203552,2');
    const re = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']);
    assert.equal(re.code, 0, re.err);
    const downstream = 'no partitions stored from 2021-10-20 on: nothing downstream to rebuild';
    assert.deepEqual(JSON.parse(re.out), [
      { processor_name: 'NbaPlayersRegistryProcessor', failures: 1, dates_rebuilt: 1, dates: '2021-10-20', status: 'REPROCESSED', downstream },
      { processor_name: 'UpcomingPlayerGameContextProcessor', failures: 1, dates_rebuilt: 1, dates: '2021-11-08', status: 'REPROCESSED', downstream },
    ]);
    const line = await run(['--db', t.path, '--format', 'csv', 'sql', `SELECT player_lookup, current_points_line FROM nba_analytics.upcoming_player_game_context WHERE universal_player_id = 203552 AND game_date = DATE '2021-11-08'`]);
    assert.equal(line.out.trim(), 'player_lookup,current_points_line\nsethcurry203552,15.5');
  });
});
