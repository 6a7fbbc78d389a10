// Usage mistakes exit 2 with a message that names the mistake, and change nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as cli } from '../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { seedWorld } from '../engine/testing/fakes.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';

let fx: TempWarehouse;
before(async () => {
  fx = await tempWarehouse();
  await seedWorld(fx.wh);
  await fx.release();
});
after(async () => fx?.cleanup());

async function runCount(): Promise<number> {
  const wh = await DuckDBWarehouse.open(fx.path, { readOnly: true });
  try {
    const [r] = await wh.query<{ n: number }>('SELECT count(*) AS n FROM nba_processing.run_history');
    return r?.n ?? -1;
  } finally {
    await wh.close();
  }
}

describe('usage errors', () => {
  test('COURTSIDE_MEMORY_LIMIT that is not a size is named, for reads and writes alike', async () => {
    const saved = process.env['COURTSIDE_MEMORY_LIMIT'];
    try {
      for (const [value, message] of [
        ['banana', "COURTSIDE_MEMORY_LIMIT must be a size such as 750MB or 2GB, got 'banana'"],
        ['80%', "COURTSIDE_MEMORY_LIMIT must be a size such as 750MB or 2GB, got '80%'"],
        ['1MB', "COURTSIDE_MEMORY_LIMIT must be at least 64MB, got '1MB'"],
      ] as const) {
        process.env['COURTSIDE_MEMORY_LIMIT'] = value;
        for (const args of [['runs'], ['reset', '--from', '2021-10-20', '--to', '2021-10-21']]) {
          const r = await cli(['--db', fx.path, ...args]);
          assert.equal(r.code, 2, `${value} ${args[0]}`);
          assert.equal(r.err, `courtside: ${message}\n`);
        }
      }
      process.env['COURTSIDE_MEMORY_LIMIT'] = '1.5GB';
      assert.equal((await cli(['--db', fx.path, 'runs'])).code, 0);
    } finally {
      if (saved === undefined) delete process.env['COURTSIDE_MEMORY_LIMIT'];
      else process.env['COURTSIDE_MEMORY_LIMIT'] = saved;
    }
  });

  test('--processors "" is refused, not read as "all processors"', async () => {
    const before = await runCount();
    for (const args of [
      ['backfill', '--from', '2021-10-20', '--to', '2021-10-21', '--processors', ''],
      ['backfill', '--from', '2021-10-20', '--to', '2021-10-21', '--processors', ' , '],
      ['run', '--date', '2021-10-20', '--processors', ''],
      ['reset', '--from', '2021-10-20', '--to', '2021-10-21', '--processors', ''],
    ]) {
      const r = await cli(['--db', fx.path, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /--processors names no processor \(got '[ ,]*'\); use some of psza,tdza,pdc,pcf,mlfs,pred, or leave the flag out for all/);
      assert.equal(r.out, '');
    }
    assert.equal(await runCount(), before, 'no run was started');
  });

  test('runs --run with an unknown id is refused', async () => {
    const r = await cli(['--db', fx.path, 'runs', '--run', 'NOSUCH']);
    assert.equal(r.code, 2);
    assert.equal(r.err, "courtside: --run: no run 'NOSUCH' in the run history (`courtside runs` lists them)\n");
    assert.equal(r.out, '');
  });
});
