import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalQuantile, priorCoefficients, priorResidualGrid } from './prior-model.js';
import { QUANTILE_PCTS, quantileSorted, residualGrid } from './residual-grid.js';

test('type-7 quantiles interpolate between order statistics', () => {
  const s = Float64Array.from([1, 2, 3, 4, 10]);
  assert.equal(quantileSorted(s, 0.5), 3);
  assert.equal(quantileSorted(s, 0.25), 2);
  assert.ok(Math.abs(quantileSorted(s, 0.9) - 7.6) < 1e-12);
});

test('residual bins: equal-count bins of the level, each with its residual quantiles and mean', () => {
  // levels 0..7: two bins of four; bin 0 residuals (y - level) = 0,1,2,3; bin 1 = -4,-4,-4,-4
  const levels = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  const outcomes = Float64Array.from([0, 2, 4, 6, 0, 1, 2, 3]);
  const [b0, b1] = residualGrid(levels, outcomes, 2, 4);
  assert.deepEqual([b0?.lo, b0?.hi, b0?.rows, b0?.meanResidual], [0, 4, 4, 1.5]);
  assert.deepEqual([b1?.lo, b1?.hi, b1?.rows, b1?.meanResidual], [4, 1000, 4, -4]);
  assert.equal(b0?.quantiles[QUANTILE_PCTS.indexOf(50)], 1.5);
  assert.equal(b0?.quantiles[QUANTILE_PCTS.indexOf(90)], 2.7);
  assert.ok(b1?.quantiles.every((q) => q === -4));
});

test('the prior model: form plus the gap to last season, a normal spread widening with the level', () => {
  const points = Object.fromEntries(priorCoefficients('points').map((c) => [c.term, c.coefficient]));
  assert.deepEqual(Object.entries(points).filter(([, v]) => v !== 0), [['pts_ew90', 1], ['prior_gap_x_few', 1]]);
  assert.ok(Math.abs(normalQuantile(0.9) - 1.2815516) < 2e-5 && Math.abs(normalQuantile(0.01) + 2.3263479) < 2e-5 && normalQuantile(0.5) === 0);
  const bin = priorResidualGrid().find((b) => b.lo === 20);
  assert.ok(bin, 'a bin from 20');
  assert.equal(bin.hi, 25);
  // sd at the bin's middle (22.5) = 2.5 + 0.25 * 22.5 = 8.125
  assert.ok(Math.abs((bin.quantiles[QUANTILE_PCTS.indexOf(10)] as number) + 8.125 * 1.2815516) < 2e-4);
});
