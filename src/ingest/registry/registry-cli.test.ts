// The registry commands end to end through the CLI entry point, on a file built from the fixtures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../cli/main.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { buildRegistry, loadNameSources, recordUnresolvedPropNames, seedTeams } from './index.js';
import { DATA_DIR, insertPbp, insertPropLines } from './registry-fixtures.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const [w1, w2] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  // Only strings are ours: the test runner itself reports through stdout as binary chunks.
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? ((out += s), true) : w1(s, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = 0;
  }
}

describe('courtside registry', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await t.wh.transaction(async (tx) => {
      await insertPbp(tx);
      await loadNameSources(tx, DATA_DIR, 'run-1');
      await seedTeams(tx);
      await buildRegistry(tx, 'run-1');
      await insertPropLines(tx, [{ name: 'Trey Young', date: '2021-10-31', team: 'ATL' }]);
      await recordUnresolvedPropNames(tx, 'run-1');
    });
    await t.wh.close(); // the CLI opens the file itself
  });
  after(async () => t.cleanup().catch(() => undefined));

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
