// What `courtside sql` says when it refuses a statement: what was wrong (the statement as written:
// INSTALL, USE, BEGIN, nothing at all …) and what to do instead, as a usage error (exit 2) with
// nothing printed on stdout and the warehouse untouched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runCli as cli } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';

let fx: TempWarehouse;
let hash: string;
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
before(async () => {
  fx = await tempWarehouse();
  await fx.wh.exec('CHECKPOINT');
  await fx.release();
  hash = fileHash(fx.path);
});
after(async () => {
  assert.equal(fileHash(fx.path), hash, 'the warehouse is byte for byte unchanged');
  await fx.cleanup();
});

const refused = async (statement: string, pattern: RegExp) => {
  const r = await cli(['--db', fx.path, 'sql', statement]);
  assert.equal(r.code, 2, `${JSON.stringify(statement)}: ${r.out}${r.err}`);
  assert.match(r.err, pattern, JSON.stringify(statement));
  assert.equal(r.out, '', `${JSON.stringify(statement)} printed nothing`);
  return r.err;
};

describe('courtside sql refusals name what was wrong and what to do', () => {
  test('INSTALL / LOAD of an extension', async () => {
    const err = await refused('INSTALL httpfs', /^courtside: courtside sql reads the warehouse only, and extensions are out of reach: INSTALL and LOAD statements are refused/);
    assert.match(err, /courtside sql "SHOW TABLES"/);
    await refused('FORCE INSTALL httpfs', /INSTALL and LOAD statements are refused/);
    await refused('LOAD httpfs', /INSTALL and LOAD statements are refused/);
    await refused('UPDATE EXTENSIONS', /extensions are out of reach: UPDATE EXTENSIONS statements are refused/);
  });

  test('ATTACH and DETACH: another warehouse is chosen with --db', async () => {
    await refused(`ATTACH '${fx.path}.other.duckdb' AS other`, /reads this warehouse only: ATTACH statements are refused \(to query another Courtside warehouse, give its path with --db\)/);
    await refused('DETACH other', /reads this warehouse only: DETACH statements are refused/);
  });

  test('SET, RESET, USE: the settings are locked; tables are named with their schema', async () => {
    for (const statement of ['SET threads = 1', 'RESET threads', 'USE nba_processing', 'SET VARIABLE x = 1']) {
      await refused(statement, /settings locked: SET statements are refused \(SET, RESET, USE and SET VARIABLE\)\. Name tables with their schema instead of USE, e\.g\. nba_analytics\.player_game_summary/);
    }
  });

  test('transactions', async () => {
    for (const statement of ['BEGIN TRANSACTION', 'COMMIT', 'ROLLBACK']) {
      await refused(statement, /runs one read-only statement on its own: transaction statements \(BEGIN, COMMIT, ROLLBACK\) are refused/);
    }
  });

  test('no statement at all (empty, blank, only comments or ;) is a usage error, not a failed query', async () => {
    for (const statement of ['', '   ', ';', '/* nothing */', '/* a */ -- and a comment']) {
      await refused(statement, /^courtside: courtside sql needs one statement, and the text given has none \(it is empty, or only comments and ;\)/);
    }
  });

  test('more than one statement: how many DuckDB reads, and why it may be two', async () => {
    await refused('SELECT 1; SELECT 2', /courtside sql runs exactly one statement per call; DuckDB reads 2 in this text/);
    await refused('PIVOT nba_processing.run_history ON status', /exactly one statement per call; DuckDB reads 2 in this text \(statements separated by ';', or a PIVOT without IN \(…\), which DuckDB expands into two\)/);
  });

  test('writes keep their message, and a query still answers', async () => {
    await refused('DELETE FROM nba_processing.run_history', /courtside sql is read-only: DELETE statements are refused/);
    const r = await cli(['--db', fx.path, '--format', 'json', 'sql', 'SELECT count(*) AS n FROM nba_processing.run_history']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), [{ n: 0 }]);
  });
});
