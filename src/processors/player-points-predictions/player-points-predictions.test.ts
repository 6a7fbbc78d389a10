// The predictions processor on a hand-made fixture (the MLFS matchup, 2021-11-03): with too few
// played games before the refit (Monday 11-01) the prior model serves, whose numbers are computed
// here by hand; the prop line's no-vig probability and P(over); the stored fit and its window.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { Row } from '../../warehouse/warehouse.js';
import { PROCESSORS } from '../index.js';
import { MATCHUP_DATE as D, matchupFixture } from '../testing/matchup-fixture.js';
import { insertRows } from '../testing/phase3-fixture.js';
import { runBatch, runPipeline, type BatchResult } from '../testing/run-batch.js';
import { playerPointsPredictions as pred } from './definition.js';

let t: TempWarehouse;
let result: BatchResult;

before(async () => {
  t = await tempWarehouse();
  const f = matchupFixture();
  f.upcomingTeam('BOS', D, { game_total: 220, game_spread: 3, team_implied_total: 108.5 });
  await f.insert(t.wh);
  await insertRows(t.wh, 'nba_reference.nba_players_registry', [
    { universal_player_id: f.playerId('ten'), player_lookup: 'ten', player_name: 'Ten Points', name_source: 'fixture', processed_at: '2024-01-01 00:00:00' },
  ]);
  await t.wh.exec(`INSERT INTO nba_reference.player_aliases VALUES ('tpoints', 'T. Points', 'ten', ${f.playerId('ten')}, 'betfinder', true, TIMESTAMP '2024-01-01')`);
  // the book's two sides of one line: DraftKings -120 / +100, FanDuel -110 / -110 (an older snapshot and an
  // in-play one, after tip-off, are ignored)
  const line = (snapshot: string, side: string, value: number, dk: number | null, fd: number | null, row: number) => ({
    snapshot_utc: snapshot, source_commit: 'c', prop: 'player points ou', game_date: D, tipoff_utc: `${D} 23:30:00`, player_name: 'T. Points',
    team_abbr: 'BOS', opponent_team_abbr: 'MIA', home_team_abbr: 'MIA', away_team_abbr: 'BOS', side, line: value,
    draftkings: dk, fanduel: fd, pointsbet: null, source_file: 'fixture.csv', source_row: row, loaded_at: '2024-01-01 00:00:00',
  });
  await insertRows(t.wh, 'nba_raw.player_prop_lines', [
    line(`${D} 12:00:00`, 'over', 20.5, -150, null, 1),
    line(`${D} 12:00:00`, 'under', 20.5, 120, null, 2),
    line(`${D} 16:00:00`, 'over', 22.5, -120, -110, 3),
    line(`${D} 16:00:00`, 'under', 22.5, 100, -110, 4),
    // in play, 15 minutes after tip-off (23:30): never the pre-game line
    line(`${D} 23:45:00`, 'over', 30.5, -110, -110, 5),
    line(`${D} 23:45:00`, 'under', 30.5, -110, -110, 6),
  ]);
  await runPipeline(t.wh, PROCESSORS.filter((p) => p.key !== 'pred'), { from: D, to: D });
  result = await runBatch(t.wh, pred, { from: D, to: D });
});
after(async () => t.cleanup());

function row(player: string): Row {
  const r = result.rows.find((x) => x['player_lookup'] === player);
  assert.ok(r, `no prediction for ${player}`);
  return r;
}

/** Exponentially weighted average, newest first, weight 0.9 per game back. */
function ewma(newestFirst: readonly number[]): number {
  const w = newestFirst.map((_, i) => 0.9 ** i);
  return newestFirst.reduce((s, x, i) => s + x * (w[i] as number), 0) / w.reduce((s, x) => s + x, 0);
}

const Z = { 10: -1.2815516, 25: -0.6744898, 55: 0.1256613, 60: 0.2533471, 75: 0.6744898, 90: 1.2815516 } as const;

test('too few played games before the refit: the prior model, its fit stored with its window', async () => {
  const [fit] = await t.wh.query(`SELECT * FROM nba_predictions.points_model_fits`);
  const [counts] = await t.wh.query<{ n: number; first: string; last: string }>(
    `SELECT count(*) AS n, min(game_date) AS first, max(game_date) AS last FROM nba_analytics.player_game_summary
     WHERE minutes_played > 0 AND game_date < DATE '2021-11-01'`,
  );
  assert.ok(fit && counts);
  assert.deepEqual([fit['refit_date'], fit['model_kind'], fit['training_window_start'], fit['training_window_end']], ['2021-11-01', 'prior', counts.first, counts.last]);
  assert.ok(Number(fit['training_rows']) < 2000);
  assert.equal(row('ten')['refit_date'], '2021-11-01');
  assert.equal(row('ten')['training_window_end'], '2021-10-31');
});

test("ten: his weighted form, a normal spread of sd 2.5 + 0.25 x 22.5 around it, 30 expected minutes", () => {
  const r = row('ten');
  const level = ewma([28, 26, 24, 22, 20, 18, 16, 14, 12, 10]); // 10 games, newest first
  const sd = 2.5 + 0.25 * 22.5; // his level is in the prior's bin [20, 25)
  const near = (v: unknown, x: number, tol = 0.006) => assert.ok(Math.abs(Number(v) - x) < tol, `${v} vs ${x}`);
  near(r['predicted_points_median'], level);
  near(r['points_q50'], level);
  near(r['predicted_points_mean'], level);
  near(r['points_q10'], level + Z[10] * sd, 0.01);
  near(r['points_q25'], level + Z[25] * sd, 0.01);
  near(r['points_q75'], level + Z[75] * sd, 0.01);
  near(r['points_q90'], level + Z[90] * sd, 0.01);
  assert.equal(r['expected_minutes'], 30);
  assert.deepEqual([r['games_played_season'], r['has_feature_store_row'], r['few_games'], r['no_game_odds'], r['target_source']], [10, true, false, false, 'context']);
});

test('the line: the latest snapshot before tip-off, no-vig market probability averaged over the books, P(over) from the grid', () => {
  const r = row('ten');
  const level = ewma([28, 26, 24, 22, 20, 18, 16, 14, 12, 10]);
  const sd = 2.5 + 0.25 * 22.5;
  // DraftKings: 120/220 over, 100/200 under; FanDuel: 110/210 each side
  const dk = 120 / 220 / (120 / 220 + 0.5);
  const implied = (dk + 0.5) / 2;
  // his level is 20.71: 22.5 lies between the 55% knot (level + z55 sd) and the 60% knot
  const [v55, v60] = [level + Z[55] * sd, level + Z[60] * sd];
  assert.ok(v55 < 22.5 && 22.5 < v60);
  const pUnder = 0.55 + (0.05 * (22.5 - v55)) / (v60 - v55);
  assert.deepEqual([r['points_line'], r['line_books'], r['price_book'], r['over_price'], r['under_price']], [22.5, 2, 'draftkings', -120, 100]);
  assert.ok(Math.abs(Number(r['implied_p_over']) - implied) < 6e-5, String(r['implied_p_over']));
  assert.ok(Math.abs(Number(r['p_over']) - (1 - pUnder)) < 2e-4, `${r['p_over']} vs ${1 - pUnder}`);
  assert.ok(Math.abs(Number(r['edge']) - (1 - pUnder - implied)) < 3e-4, String(r['edge']));
  assert.equal(Number(r['p_over']) + Number(r['p_under']), 1);
});

test('a steady scorer, a player with no game yet, the rest of the rosters; no failures', () => {
  assert.equal(row('tired')['predicted_points_median'], 15);
  const rookie = row('rookie'); // in the context but no game: nothing known, the floor at 0
  assert.deepEqual([rookie['predicted_points_median'], rookie['points_q10'], rookie['games_played_season'], rookie['few_games']], [0, 0, 0, true]);
  assert.ok(Math.abs(Number(rookie['points_q90']) - Z[90] * (2.5 + 0.25 * 2)) < 0.01);
  // the bench fillers of all four teams: their latest game was for the team (no context row): roster
  const roster = result.rows.filter((x) => x['target_source'] === 'roster').map((x) => x['player_lookup']).sort();
  assert.deepEqual(roster, ['bos-bench', 'lal-bench', 'mia-bench', 'nyk-bench']);
  // ten, tired, rookie, odd and cameo from the context (odd and cameo are the fixture's rounding and
  // usage cases), and the four bench fillers
  assert.equal(result.rows.length, 9);
  assert.deepEqual(result.failures, []);
});

test('a fitted model once enough games are known: stored coefficients reproduce the stored median', async () => {
  const fitted = await runBatch(t.wh, pred, { from: D, to: D, thresholds: { min_training_rows: 20 } });
  const [fit] = await t.wh.query(`SELECT model_kind, training_rows FROM nba_predictions.points_model_fits WHERE refit_date = DATE '2021-11-01'`);
  assert.equal(fit?.['model_kind'], 'fitted');
  const coefficients = await t.wh.query<{ component: string; term: string; coefficient: number }>(
    `SELECT component, term, coefficient FROM nba_predictions.points_model_coefficients WHERE refit_date = DATE '2021-11-01'`,
  );
  assert.deepEqual([...new Set(coefficients.map((c) => c.component))].sort(), ['first_game_minutes', 'first_game_points', 'minutes', 'points']);
  // the first-game rule is his previous season; the fitted points component is a real fit
  const points = coefficients.filter((c) => c.component === 'points' && c.coefficient !== 0);
  assert.ok(points.length > 5, `only ${points.length} non-zero points coefficients`);
  for (const r of fitted.rows) {
    for (const q of ['points_q10', 'points_q25', 'points_q50', 'points_q75', 'points_q90']) assert.ok(Number(r[q]) >= 0, `${q} of ${r['player_lookup']}`);
    assert.equal(r['model_kind'], 'fitted');
  }
});
