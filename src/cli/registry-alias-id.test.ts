// `registry alias NAME --to <person id>` with an id past 2^53: a JS number cannot hold it exactly
// (9007199254740993 reads as ...992), so it would match another person. It is refused, naming the
// value and what to give instead, before any work; the largest exact id still aliases. On DuckDB
// and on BigQuery's path (the official client against the fake server).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { pointCliAtFakeBigQuery } from '../warehouse/bigquery/testing/cli-env.js';
import { FakeBigQuery } from '../warehouse/bigquery/testing/fake-bigquery-server.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';

const TWO_53 = '9007199254740992';
const PAST = '9007199254740993'; // 2^53 + 1: Number() gives 2^53
const MAX_SAFE = '9007199254740991';

/** A migrated warehouse whose registry holds a person at 2^53 and one at 2^53 − 1 (ids as text: exact). */
async function warehouse(): Promise<TempWarehouse> {
  const t = await tempWarehouse();
  for (const [id, name] of [[TWO_53, 'Two Fiftythree'], [MAX_SAFE, 'Max Safe']] as const) {
    await t.wh.exec(
      `INSERT INTO nba_reference.nba_players_registry (universal_player_id, player_lookup, player_name, name_source, processed_at)
       VALUES (CAST($id AS BIGINT), lower(replace($name, ' ', '')), $name, 'fixture', TIMESTAMP '2021-11-01 00:00:00')`,
      { id, name },
    );
  }
  await t.wh.exec('CHECKPOINT');
  await t.release();
  return t;
}

async function aliases(path: string): Promise<unknown[]> {
  const wh = await DuckDBWarehouse.open(path, { readOnly: true });
  try {
    return await wh.query(`SELECT alias_lookup, CAST(universal_player_id AS VARCHAR) AS id FROM nba_reference.player_aliases ORDER BY 1`);
  } finally {
    await wh.close();
  }
}

/** What the two commands do, with `prefix` before the command (--db PATH, or nothing on BigQuery). */
async function check(prefix: readonly string[], stored: () => Promise<unknown[]>): Promise<void> {
  const before = await stored();
  const past = await runCli([...prefix, 'registry', 'alias', 'Two Fiftythree Jr', '--to', PAST]);
  assert.equal(past.code, 2, past.out + past.err);
  assert.equal(past.out, '');
  assert.match(past.err, /^courtside: --to 9007199254740993: a person id above 9007199254740991 \(2\^53 − 1\) cannot be carried exactly; give the player's player_lookup or display name instead/);
  assert.deepEqual(await stored(), before, 'nothing written');
  const safe = await runCli([...prefix, '--format', 'json', 'registry', 'alias', 'M. Safe', '--to', MAX_SAFE]);
  assert.equal(safe.code, 0, safe.err);
  assert.deepEqual(JSON.parse(safe.out), [{ alias_lookup: 'msafe', player_name: 'Max Safe', universal_player_id: Number(MAX_SAFE), canonical_lookup: 'maxsafe', failures_resolved: 0 }]);
}

describe('registry alias --to a person id past 2^53', () => {
  it('DuckDB: refused with the value named, nothing written; 2^53 − 1 aliases', async () => {
    const t = await warehouse();
    try {
      await check(['--db', t.path], () => aliases(t.path));
      assert.deepEqual(await aliases(t.path), [{ alias_lookup: 'msafe', id: MAX_SAFE }]);
    } finally {
      await t.cleanup();
    }
  });

  describe('BigQuery (fake server)', () => {
    let t: TempWarehouse;
    let fake: FakeBigQuery;
    let restoreEnv = () => {};
    before(async () => {
      t = await warehouse();
      fake = await FakeBigQuery.start({ duckdbPath: t.path });
      restoreEnv = pointCliAtFakeBigQuery(fake.url);
    });
    after(async () => {
      restoreEnv();
      await fake?.stop();
      await t?.cleanup();
    });

    it('refused with the value named, nothing written; 2^53 − 1 aliases', async () => {
      const stored = () => fake.sql(`SELECT alias_lookup, CAST(universal_player_id AS VARCHAR) AS id FROM nba_reference.player_aliases ORDER BY 1`);
      await check([], stored);
      assert.deepEqual(await stored(), [{ alias_lookup: 'msafe', id: MAX_SAFE }]);
    });
  });
});
