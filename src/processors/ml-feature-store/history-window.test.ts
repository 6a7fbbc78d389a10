// MLFS declares a history window of 3 seasons (the matchup features): its rows read the earlier
// seasons inside the window and none before, and the as-of audit holds every row to the declared window.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { SAME_SEASON, standardAudits } from '../audits.js';
import { PROCESSORS } from '../index.js';
import type { ProcessorDefinition } from '../processor.js';
import { MATCHUP_DATE as D, matchupFixture } from '../testing/matchup-fixture.js';
import { runBatch, runPipeline } from '../testing/run-batch.js';
import { mlFeatureStore as mlfs } from './definition.js';

let t: TempWarehouse;

before(async () => {
  t = await tempWarehouse();
  const f = matchupFixture();
  // ten met MIA (his opponent on D) once in each of the three seasons before D's: 2018-19, 2019-20, 2020-21
  for (const [date, points] of [['2019-01-10', 30], ['2020-01-10', 40], ['2021-01-10', 50]] as const) {
    f.game(date, 'MIA', 'BOS');
    f.playerGame('ten', date, 'BOS', { points });
  }
  await f.insert(t.wh);
  await runPipeline(t.wh, PROCESSORS, { from: D, to: D });
});
after(async () => t.cleanup());

const features = async (): Promise<Record<string, unknown>> => {
  const [r] = await t.wh.query<{ names: string[]; values: number[]; first: string; last: string }>(
    `SELECT feature_names AS names, features AS values, source_first_game_date AS first, source_last_game_date AS last
     FROM nba_predictions.ml_feature_store_v2 WHERE player_lookup = 'ten' AND game_date = $d`,
    { d: D },
  );
  assert.ok(r);
  return { ...Object.fromEntries(r.names.map((n, i) => [n, r.values[i]])), first: r.first, last: r.last };
};

test('cross-season reads are declared in the definition, not only in an SQL comment', () => {
  assert.deepEqual(mlfs.historyWindow?.seasons, 3);
  assert.match(mlfs.historyWindow?.reason ?? '', /avg_points_vs_opponent/);
  // the predictions read MLFS rows, so they declare MLFS's window
  assert.deepEqual(PROCESSORS.find((x) => x.key === 'pred')?.historyWindow?.seasons, mlfs.historyWindow?.seasons);
  for (const p of PROCESSORS.filter((x) => x.key !== 'mlfs' && x.key !== 'pred')) assert.equal(p.historyWindow, undefined, `${p.key} reads only D's season`);
});

test("the matchup features read the declared window: D's season and the two before it, not the third", async () => {
  const r = await features();
  assert.equal(r['games_vs_opponent'], 2); // 2020-01-10 and 2021-01-10; 2019-01-10 (2018-19) is outside
  assert.equal(r['avg_points_vs_opponent'], 45);
  assert.equal(r['first'], '2020-01-10');
  assert.equal(r['last'], '2021-11-02');
});

test('the as-of audit knows the declared window: the same rows fail an audit declaring one season', async () => {
  const undeclared: ProcessorDefinition = { ...mlfs, audits: standardAudits(mlfs.outputTable, 'game_date', 'player_lookup', SAME_SEASON) };
  await assert.rejects(runBatch(t.wh, undeclared, { from: D, to: D }), /audit as_of_window failed.*"player_lookup":"ten"/);
});

test('an SQL that reads past the declared window fails the as-of audit', async () => {
  const bound = 'AND g.season_year > t.season_year - 3';
  const unbounded = (sql: string): string => {
    assert.ok(sql.includes(bound) || !sql.includes('versus AS ('), 'the window bound is in the SQL');
    return sql.replace(bound, '');
  };
  const leaky: ProcessorDefinition = {
    ...mlfs,
    computeSql: unbounded(mlfs.computeSql),
    failuresSql: unbounded(mlfs.failuresSql),
    staged: mlfs.staged && {
      candidatesSql: unbounded(mlfs.staged.candidatesSql),
      computeSql: unbounded(mlfs.staged.computeSql),
      failuresSql: unbounded(mlfs.staged.failuresSql),
    },
  };
  await assert.rejects(runBatch(t.wh, leaky, { from: D, to: D }), /audit as_of_window failed.*"source_first_game_date":"2019-01-10"/);
  assert.equal((await features())['games_vs_opponent'], 2); // the failed batch rolled back
});
