import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorSummary, pairedDifference, quintiles, wilsonInterval } from './statistics.js';

test('MAE, RMSE and bias of a hand-computed example', () => {
  // errors (pred - actual): 2, -1, 0, 3
  assert.deepEqual(errorSummary([12, 9, 5, 8], [10, 10, 5, 5]), { n: 4, mae: 1.5, rmse: Math.sqrt(14 / 4), bias: 1 });
});

test('paired MAE difference: point estimate from all rows, interval from resampled dates, reproducible', () => {
  const dates = ['d1', 'd1', 'd2', 'd3', 'd3', 'd4'];
  const a = [1, 1, 2, 0, 1, 3]; // model errors
  const b = [2, 1, 4, 1, 1, 3]; // baseline errors
  const d = pairedDifference(dates, a, b, { replicates: 500, level: 0.95, seed: 7 });
  assert.equal(d.difference, (8 - 12) / 6);
  assert.deepEqual([d.n, d.dates], [6, 4]);
  assert.ok(d.low <= d.difference && d.difference <= d.high && d.high <= 0, JSON.stringify(d)); // never worse on any date
  assert.deepEqual(pairedDifference(dates, a, b, { replicates: 500, level: 0.95, seed: 7 }), d);
});

test('Wilson interval of 55 hits in 100 (textbook values)', () => {
  const w = wilsonInterval(55, 100);
  assert.ok(Math.abs(w.low - 0.4525) < 5e-4 && Math.abs(w.high - 0.6438) < 5e-4, JSON.stringify(w));
});

test('quintiles by rank', () => {
  assert.deepEqual(quintiles([50, 10, 40, 20, 30, 60, 70, 80, 90, 100]), [3, 1, 2, 1, 2, 3, 4, 4, 5, 5]);
});
