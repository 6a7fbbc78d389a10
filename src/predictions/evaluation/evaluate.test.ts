import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateGames, withBaselines, type EvaluatedGame } from './evaluate.js';

const game = (player: string, season: number, date: string, points: number, starter: boolean) => ({
  player_lookup: player, season_year: season, game_date: date, game_id: `${date}-${player}`, points, starter_flag: starter,
});

test('baselines before each game: season average, last 10, EWMA 0.9, starter; a new season starts afresh', () => {
  const b = withBaselines([
    game('ann', 2021, '2021-11-01', 10, true),
    game('ann', 2021, '2021-11-03', 20, false),
    game('ann', 2021, '2021-11-05', 30, true),
    game('ann', 2021, '2021-11-07', 0, true),
    game('ann', 2022, '2022-10-20', 12, false),
  ]);
  assert.deepEqual(b.get('ann|2021-11-01-ann'), { priorGames: 0, starter: false, seasonAverage: null, last10: null, ewma: null });
  assert.deepEqual(b.get('ann|2021-11-03-ann'), { priorGames: 1, starter: true, seasonAverage: 10, last10: 10, ewma: 10 });
  const third = b.get('ann|2021-11-05-ann');
  assert.equal(third?.starter, true); // 1 start in 2 games: half
  assert.ok(Math.abs((third?.ewma ?? 0) - (20 + 0.9 * 10) / 1.9) < 1e-12);
  const fourth = b.get('ann|2021-11-07-ann');
  assert.equal(fourth?.seasonAverage, 20);
  assert.ok(Math.abs((fourth?.ewma ?? 0) - (30 + 0.9 * 20 + 0.81 * 10) / 2.71) < 1e-12);
  assert.deepEqual(b.get('ann|2022-10-20-ann'), { priorGames: 0, starter: false, seasonAverage: null, last10: null, ewma: null });
});

const g = (points: number, median: number, extra: Partial<EvaluatedGame> = {}): EvaluatedGame => ({
  date: '2021-11-08', player: 'p', points, priorGames: 5, starter: false, seasonAverage: 10, last10: 10, ewma: 10,
  median, mean: median, q10: median - 6, q25: median - 3, q75: median + 3, q90: median + 6,
  line: null, pOver: null, impliedOver: null, ...extra,
});

test('accuracy, coverage and the lines section of a hand-made set', () => {
  const games = [
    g(12, 10), g(8, 10), g(20, 10), g(10, 10), // model errors 2, 2, 10, 0; season average the same
    g(25, 20, { line: 22.5, pOver: 0.6, impliedOver: 0.5 }), // model says over, over hits
    g(18, 20, { line: 19.5, pOver: 0.55, impliedOver: 0.6 }), // model says under, under hits
    g(19, 21, { line: 19, pOver: 0.7, impliedOver: 0.5 }), // a push: no pick
    g(30, 20, { line: 24.5, pOver: 0.45, impliedOver: 0.5 }), // model says under, misses
  ];
  const e = evaluateGames(games, { from: '2021-11-08', to: '2021-11-08', played: 10, versions: ['v'] });
  const model = e.accuracy.find((r) => r['group'] === 'all played (>= 1 earlier game)' && r['predictor'] === 'model (median)');
  assert.deepEqual([model?.['n'], model?.['mae'], model?.['bias']], [8, (2 + 2 + 10 + 0 + 5 + 2 + 2 + 10) / 8, (-2 + 2 - 10 + 0 - 5 + 2 + 2 - 10) / 8]);
  assert.deepEqual(e.counts, { played_player_games: 10, with_prediction: 8, without_prediction: 2, evaluated_with_baselines: 8, first_games_predicted: 0 });
  // inside q25..q75 (±3): 12, 8, 10, 18, 19 → 5 of 8; inside q10..q90 (±6): all but 20 (vs 10) and 30 (vs 20)
  assert.deepEqual([e.calibration[0]?.['coverage_50'], e.calibration[0]?.['coverage_80']], [0.625, 0.75]);
  assert.deepEqual([e.lines[0]?.['rows'], e.lines[0]?.['picks'], e.lines[0]?.['hits']], [4, 3, 2]);
  assert.equal(e.lines[0]?.['verdict'], 'insufficient sample (3 picks < 2,000)');
  assert.equal(e.lines[0]?.['line_mae'], (2.5 + 1.5 + 0 + 5.5) / 4);
});

test('calibration of fewer than five games: the empty quintiles have no median range (not Infinity)', () => {
  const e = evaluateGames([g(10, 9), g(12, 14), g(3, 5)], { from: '2021-11-08', to: '2021-11-08', played: 3, versions: ['v'] });
  // ranks 0, 1, 2 of 3 fall in quintiles 1, 2 and 4
  assert.deepEqual(e.calibration.map((c) => [c['slice'], c['median_from'], c['median_to'], c['n']]), [
    ['all', null, null, 3], ['quintile 1', 5, 5, 1], ['quintile 2', 9, 9, 1], ['quintile 3', null, null, 0], ['quintile 4', 14, 14, 1], ['quintile 5', null, null, 0],
  ]);
});
