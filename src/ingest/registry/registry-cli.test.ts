// The registry commands end to end through the CLI entry point, on a file built from the fixtures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as run } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { recordUnresolvedPropNames } from './index.js';
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

    // The real Phase 3 rebuild of the one affected date (the fixture has no schedule, so no rows).
    const re = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']);
    assert.equal(re.code, 0, re.err);
    assert.deepEqual(JSON.parse(re.out), [
      { processor_name: 'UpcomingPlayerGameContextProcessor', failures: 1, dates_rebuilt: 1, dates: '2021-10-31', status: 'REPROCESSED' },
    ]);
    const again = await run(['--db', t.path, 'registry', 'reprocess']);
    assert.equal(again.out, 'nothing to reprocess (no RESOLVED failures)\n');
  });
});
