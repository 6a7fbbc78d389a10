// The kept training rows on the real 2021-22 season: when a date's played games are gone from Phase 3
// (a re-ingest that dates them elsewhere or drops them), its kept rows go too, and the next refit trains on
// exactly the played games of its window — counted here straight from player_game_summary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runBackfill } from '../engine/run.js';
import { PROCESSORS } from '../processors/index.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { TRAINING_DATES_TABLE, TRAINING_ROWS_TABLE } from './training-rows.js';

const REFIT = '2021-11-08';
const GONE = '2021-11-03';
let t: RealSeasonCopy;

before(async () => {
  t = await realSeasonCopy(['2021-22']);
  const run = await runBackfill(t.wh, PROCESSORS, { from: '2021-10-19', to: REFIT });
  assert.equal(run.exitCode, 0, JSON.stringify(run.failedPartitions.slice(0, 3)));
});
after(async () => t?.cleanup());

const kept = async (date: string) => {
  const [r] = await t.wh.query<{ rows: number; dates: number }>(
    `SELECT (SELECT count(*) FROM ${TRAINING_ROWS_TABLE} WHERE game_date = DATE '${date}') AS rows,
            (SELECT count(*) FROM ${TRAINING_DATES_TABLE} WHERE game_date = DATE '${date}') AS dates`,
  );
  return r;
};

/** Played games of the refit's window with an earlier game that season: what its fit is trained on. */
const expectedRows = async () => {
  const [r] = await t.wh.query<{ n: number }>(
    `SELECT count(*) AS n FROM (
       SELECT game_date, count(*) OVER (PARTITION BY player_lookup, season_year ORDER BY game_date, game_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS k
       FROM nba_analytics.player_game_summary WHERE minutes_played > 0) g
     WHERE k >= 1 AND game_date BETWEEN DATE '${REFIT}' - 365 AND DATE '${REFIT}' - 1`,
  );
  return r?.n;
};
const fitRows = async () => (await t.wh.query<{ training_rows: number }>(`SELECT training_rows FROM nba_predictions.points_model_fits WHERE refit_date = DATE '${REFIT}'`))[0]?.training_rows;

test("a date whose played games are gone loses its kept training rows; the refit trains on the window's played games", async () => {
  assert.deepEqual(await kept(GONE), { rows: 230, dates: 1 });
  assert.equal(await fitRows(), await expectedRows());
  await t.wh.exec(`DELETE FROM nba_analytics.player_game_summary WHERE game_date = DATE '${GONE}'`);
  const rerun = await runBackfill(t.wh, PROCESSORS, { from: REFIT, to: REFIT, force: true, processors: ['pred'] });
  assert.equal(rerun.exitCode, 0, JSON.stringify(rerun.failedPartitions));
  assert.deepEqual(await kept(GONE), { rows: 0, dates: 0 });
  const expected = await expectedRows();
  assert.ok(expected !== undefined && expected > 2000);
  assert.equal(await fitRows(), expected);
});
