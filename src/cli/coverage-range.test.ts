// coverage with one end of the range given: the other end defaults to the warehouse's game dates,
// and a range that ends before it starts names what the user gave, not a flag they never typed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { seedWorld } from '../engine/testing/fakes.js';

describe('coverage with one end of the range', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh); // game dates 2021-10-01 .. 2021-10-29
    await t.release();
  });
  after(() => t.cleanup());

  it('--to before the first game date: says the --from was defaulted, exit 2', async () => {
    const r = await runCli(['--db', t.path, 'coverage', '--to', '2021-09-01']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--to 2021-09-01 is before the warehouse's first game date 2021-10-01/);
    assert.doesNotMatch(r.err, /--from 2021-10-01/);
  });

  it('--from after the last game date: says the --to was defaulted, exit 2', async () => {
    const r = await runCli(['--db', t.path, 'coverage', '--from', '2021-11-01']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--from 2021-11-01 is after the warehouse's last game date 2021-10-29/);
  });

  it('one end given inside the range: the other defaults', async () => {
    const r = await runCli(['--db', t.path, '--format', 'csv', 'coverage', '--from', '2021-10-20']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^processor,processor_name,game_dates,/);
    assert.match(r.out, /\npsza,PlayerShotZoneAnalysisProcessor,10,/);
  });
});

describe('coverage with a malformed end', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    await t.release();
  });
  after(() => t.cleanup());

  it('says the date is malformed, not that it is out of range', async () => {
    const r = await runCli(['--db', t.path, 'coverage', '--to', '1']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--to must be YYYY-MM-DD, got '1'/);
  });
});
