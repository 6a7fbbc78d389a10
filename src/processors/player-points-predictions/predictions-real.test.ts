// The predictions on the real 2021-22 season through the engine: no leakage (a refit never sees its
// date; changing every game of a Monday leaves that Monday's fit and predictions unchanged), every
// stored prediction reproduced from its stored fit, and `evaluate` / `report` on the result.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runBackfill } from '../../engine/run.js';
import { INTERCEPT, TERMS } from '../../predictions/design.js';
import { runCli } from '../../testing/cli.js';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { tableHash } from '../../testing/table-hash.js';
import { PROCESSORS } from '../index.js';
import { predictionQueries } from './queries.js';

const FROM = '2021-10-19';
const TO = '2021-12-12';
const MONDAY = '2021-11-29'; // a game date and a refit date: its model is fitted that morning
const NEXT_REFIT = '2021-12-06';
const TABLE = 'nba_predictions.player_points_predictions';
let t: RealSeasonCopy;

before(async () => {
  t = await realSeasonCopy();
  const run = await runBackfill(t.wh, PROCESSORS, { from: FROM, to: TO });
  assert.equal(run.exitCode, 0, JSON.stringify(run.failedPartitions.slice(0, 3)));
});
after(async () => t?.cleanup());

describe('predictions on the real 2021-22 season', () => {
  test('every prediction of every date: refit on or before it, training rows all before the refit', async () => {
    const [r] = await t.wh.query<{ n: number; dates: number; late_refit: number; late_window: number; kinds: string }>(
      `SELECT count(*) AS n, count(DISTINCT game_date) AS dates,
              count(*) FILTER (WHERE refit_date > game_date) AS late_refit,
              count(*) FILTER (WHERE training_window_end >= refit_date OR training_window_end >= game_date) AS late_window,
              string_agg(DISTINCT model_kind, ',' ORDER BY model_kind) AS kinds
       FROM ${TABLE}`,
    );
    assert.ok(r && r.n > 10_000 && r.dates > 50, JSON.stringify(r));
    assert.deepEqual([r.late_refit, r.late_window, r.kinds], [0, 0, 'fitted,prior']);
    const [f] = await t.wh.query<{ bad: number; fitted: number }>(
      `SELECT count(*) FILTER (WHERE training_window_end >= refit_date) AS bad, count(*) FILTER (WHERE model_kind = 'fitted') AS fitted
       FROM nba_predictions.points_model_fits`,
    );
    assert.deepEqual([f?.bad, (f?.fitted ?? 0) >= 5], [0, true]);
    // opening night of the season has no earlier game at all: nobody is predicted (bootstrap, empty)
    const [opener] = await t.wh.query(`SELECT status, rows_written FROM nba_processing.partition_status WHERE processor_name = 'PlayerPointsPredictionProcessor' AND partition_date = DATE '${FROM}'`);
    assert.deepEqual(opener, { status: 'bootstrap_empty', rows_written: 0 });
  });

  test('each stored median and expected minutes is reproduced from the stored coefficients and residual grid', async () => {
    const date = '2021-12-08'; // refit 2021-12-06
    const design = await t.wh.query(predictionQueries().trainingSql, { from: date, to: date });
    const coef = new Map((await t.wh.query<{ component: string; term: string; coefficient: number }>(
      `SELECT component, term, coefficient FROM nba_predictions.points_model_coefficients WHERE refit_date = DATE '${NEXT_REFIT}'`,
    )).map((c) => [`${c.component}|${c.term}`, c.coefficient]));
    const bins = await t.wh.query<{ level_lo: number; level_hi: number; residual: number }>(
      `SELECT level_lo, level_hi, residual FROM nba_predictions.points_model_residuals WHERE refit_date = DATE '${NEXT_REFIT}' AND quantile_pct = 50`,
    );
    const stored = new Map((await t.wh.query(`SELECT player_lookup, predicted_points_median, expected_minutes FROM ${TABLE} WHERE game_date = DATE '${date}'`))
      .map((r) => [String(r['player_lookup']), r]));
    const level = (component: string, row: Record<string, unknown>) =>
      Math.max(0, (coef.get(`${component}|${INTERCEPT}`) as number) + TERMS.reduce((s, term) => s + (coef.get(`${component}|${term.name}`) as number) * Number(row[term.name]), 0));
    let checked = 0;
    for (const row of design.filter((r) => Number(r['k']) >= 1)) {
      const p = stored.get(String(row['player_lookup']));
      if (!p) continue; // traded that day: predicted for his old team's game
      const l = level('points', row);
      const r50 = bins.find((b) => l >= b.level_lo && l < b.level_hi)?.residual as number;
      assert.ok(Math.abs(Number(p['predicted_points_median']) - Math.max(0, l + r50)) < 0.006, `${row['player_lookup']}: ${p['predicted_points_median']} vs ${l + r50}`);
      assert.ok(Math.abs(Number(p['expected_minutes']) - level('minutes', row)) < 0.051, `${row['player_lookup']} minutes`);
      checked += 1;
    }
    assert.ok(checked > 150, `only ${checked} predictions checked`);
  });

  test("no leakage: changing every game of a Monday leaves that Monday's fit and predictions unchanged, and moves what follows", async () => {
    const fitHash = async (refit: string) => ({
      coefficients: await tableHash(t.wh, 'nba_predictions.points_model_coefficients', `refit_date = DATE '${refit}'`),
      residuals: await tableHash(t.wh, 'nba_predictions.points_model_residuals', `refit_date = DATE '${refit}'`),
    });
    const snapshot = async () => ({
      monday: await tableHash(t.wh, TABLE, `game_date = DATE '${MONDAY}'`),
      mondayFit: await fitHash(MONDAY),
      later: await tableHash(t.wh, TABLE, `game_date > DATE '${MONDAY}' AND game_date <= DATE '${NEXT_REFIT}'`),
      nextFit: await fitHash(NEXT_REFIT),
    });
    const before = await snapshot();
    assert.ok(before.monday.rows > 100 && before.mondayFit.coefficients.rows > 0);
    await t.wh.exec(
      `UPDATE nba_analytics.player_game_summary SET points = points + 7, minutes_played = minutes_played + 3, fg_attempts = fg_attempts + 2,
         starter_flag = NOT starter_flag WHERE game_date = DATE '${MONDAY}';
       UPDATE nba_analytics.team_offense_game_summary SET points = points + 20, pace = pace + 9 WHERE game_date = DATE '${MONDAY}';
       UPDATE nba_analytics.team_defense_game_summary SET defensive_rating = defensive_rating + 9 WHERE game_date = DATE '${MONDAY}'`,
    );
    const rerun = await runBackfill(t.wh, PROCESSORS, { from: MONDAY, to: NEXT_REFIT, force: true });
    assert.equal(rerun.exitCode, 0);
    const afterChange = await snapshot();
    assert.deepEqual(afterChange.monday, before.monday, `predictions of ${MONDAY} moved`);
    assert.deepEqual(afterChange.mondayFit, before.mondayFit, `the fit of ${MONDAY} moved: it saw its own date`);
    assert.notDeepEqual(afterChange.later, before.later, 'predictions after the Monday did not move');
    assert.notDeepEqual(afterChange.nextFit, before.nextFit, `the fit of ${NEXT_REFIT} did not see the changed games`);
  });

  test('evaluate and report on the result (CLI)', async () => {
    const expected = await t.wh.query<{ n: number; mae: number; coverage_80: number; line_rows: number; line_mae: number; picks: number; hits: number }>(
      `WITH g AS (SELECT player_lookup, game_id, game_date, points,
                         count(*) OVER (PARTITION BY player_lookup, season_year ORDER BY game_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS k
                  FROM nba_analytics.player_game_summary WHERE minutes_played > 0)
       SELECT count(*) FILTER (WHERE g.k >= 1) AS n, avg(abs(g.points - p.predicted_points_median)) FILTER (WHERE g.k >= 1) AS mae,
              avg(CASE WHEN g.points BETWEEN p.points_q10 AND p.points_q90 THEN 1 ELSE 0 END) FILTER (WHERE g.k >= 1) AS coverage_80,
              count(p.points_line) AS line_rows, avg(abs(g.points - p.points_line)) AS line_mae,
              -- the model's side against the no-vig market: over when P(over) exceeds it; a push is no pick
              count(*) FILTER (WHERE p.points_line IS NOT NULL AND g.points <> p.points_line) AS picks,
              count(*) FILTER (WHERE (p.p_over > p.implied_p_over AND g.points > p.points_line) OR (p.p_over <= p.implied_p_over AND g.points < p.points_line)) AS hits
       FROM g JOIN ${TABLE} p USING (player_lookup, game_id) WHERE g.game_date BETWEEN DATE '2021-10-31' AND DATE '2021-11-30'`,
    );
    await t.release();
    const e = await runCli(['--db', t.path, 'evaluate', '--from', '2021-10-31', '--to', '2021-11-30', '--format', 'json']);
    assert.equal(e.code, 0, e.err);
    const report = JSON.parse(e.out) as { counts: Record<string, number>; accuracy: Record<string, unknown>[]; paired: Record<string, unknown>[]; calibration: Record<string, unknown>[]; lines: Record<string, unknown>[] };
    const model = report.accuracy.find((r) => r['group'] === 'all played (>= 1 earlier game)' && r['predictor'] === 'model (median)');
    assert.equal(model?.['n'], expected[0]?.n);
    assert.ok(Math.abs(Number(model?.['mae']) - Number(expected[0]?.mae)) < 1e-4);
    assert.equal(report.paired.length, 9);
    for (const p of report.paired) assert.ok(Number(p['ci95_low']) <= Number(p['mae_difference']) && Number(p['mae_difference']) <= Number(p['ci95_high']));
    assert.deepEqual(report.calibration.map((c) => c['slice']), ['all', 'quintile 1', 'quintile 2', 'quintile 3', 'quintile 4', 'quintile 5']);
    assert.ok(Math.abs(Number(report.calibration[0]?.['coverage_80']) - Number(expected[0]?.coverage_80)) < 1e-4);
    const lines = report.lines[0] ?? {};
    assert.equal(lines['rows'], expected[0]?.line_rows);
    assert.ok(Number(lines['rows']) > 100 && Math.abs(Number(lines['line_mae']) - Number(expected[0]?.line_mae)) < 1e-4);
    assert.deepEqual([lines['picks'], lines['hits']], [expected[0]?.picks, expected[0]?.hits]);
    assert.match(String(lines['verdict']), /^insufficient sample \(\d+ picks < 2,000\)$/);

    const table = await runCli(['--db', t.path, 'evaluate', '--from', '2021-10-31', '--to', '2021-11-30']);
    assert.match(table.out, /Paired MAE difference/);
    assert.match(table.out, /insufficient sample/);
    const missing = await runCli(['--db', t.path, 'evaluate', '--season', '2022-23']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /predictions are missing for \d+ of \d+ game dates/);

    const board = await runCli(['--db', t.path, 'report', '--date', '2021-11-08', '--format', 'json']);
    assert.equal(board.code, 0, board.err);
    const rows = JSON.parse(board.out) as Record<string, unknown>[];
    const withLine = rows.filter((r) => r['line'] !== null);
    assert.ok(withLine.length > 30 && rows.length > withLine.length);
    assert.deepEqual(rows.slice(0, withLine.length), withLine); // lines first
    const edges = withLine.map((r) => Number(r['edge'] ?? -1));
    assert.deepEqual(edges, [...edges].sort((a, b) => b - a)); // by edge
    const rest = rows.slice(withLine.length).map((r) => Number(r['median']));
    assert.deepEqual(rest, [...rest].sort((a, b) => b - a)); // then by predicted points
    const csv = await runCli(['--db', t.path, 'report', '--date', '2021-11-08', '--format', 'csv']);
    assert.equal(csv.out.split('\n')[0], 'player,team,opponent,median,low_80,high_80,minutes,line,p_over,market_p_over,edge,flags');
    // no board: the message says why, and suggests building only where building helps
    const none = await runCli(['--db', t.path, 'report', '--date', '2021-07-01']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no predictions for 2021-07-01: no game is scheduled that day in this warehouse/);
    const opening = await runCli(['--db', t.path, 'report', '--date', FROM]);
    assert.equal(opening.code, 2);
    assert.match(opening.err, /no predictions for 2021-10-19: its predictions are built and empty \(no player had a game before it/);
    const unbuilt = await runCli(['--db', t.path, 'report', '--date', '2021-12-20']);
    assert.equal(unbuilt.code, 2);
    assert.match(unbuilt.err, /no predictions for 2021-12-20: build them with `courtside run --date 2021-12-20`/);
  });
});
