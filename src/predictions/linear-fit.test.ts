import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choleskySolve, fitMedian, fitMedianAndMean, fitRidge, predict, weightedGram } from './linear-fit.js';

const col = (xs: readonly number[]) => Float64Array.from(xs);

test('Cholesky solves a hand-checked 2 × 2 system', () => {
  // [4 2; 2 3] x = [10; 8]  =>  x = [1.75, 1.5]
  const x = choleskySolve(col([4, 2, 2, 3]), col([10, 8]), 2);
  assert.ok(Math.abs((x[0] as number) - 1.75) < 1e-12 && Math.abs((x[1] as number) - 1.5) < 1e-12, String(x));
});

test("the blocked, chunked X'WX is the plain sums in row order, bit for bit, for any column and row count", () => {
  // rows past one chunk (1,024) and values of many magnitudes: any change of summation order shows
  for (const [q, n] of [[1, 7], [2, 7], [3, 7], [5, 7], [6, 1023], [9, 1025], [11, 2500]] as const) {
    const cols = Array.from({ length: q }, (_, j) => col(Array.from({ length: n }, (_, i) => Math.sin((i + 1) * (j + 1.3)) * 10 ** (((i + j) % 7) - 3))));
    const w = col(Array.from({ length: n }, (_, i) => 0.5 ** (i / 300) / (1 + (i % 3))));
    const y = col(Array.from({ length: n }, (_, i) => Math.cos(i) * 17));
    const { gram, rhs } = weightedGram(cols, w, y);
    for (let u = 0; u < q; u++) {
      let r = 0;
      for (let i = 0; i < n; i++) r += (cols[u]?.[i] as number) * (w[i] as number) * (y[i] as number);
      assert.equal(rhs[u], r);
      for (let v = u; v < q; v++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += (cols[u]?.[i] as number) * (w[i] as number) * (cols[v]?.[i] as number);
        assert.equal(gram[u * q + v], s, `q=${q} n=${n} (${u},${v})`);
        assert.equal(gram[v * q + u], s, `q=${q} n=${n} (${v},${u})`);
      }
    }
  }
});

test('least squares without penalty recovers an exact line; a constant column gets coefficient 0', () => {
  const x = [0, 1, 2, 3, 4, 5];
  const m = fitRidge({ rows: 6, columns: [col(x), col([7, 7, 7, 7, 7, 7])] }, col(x.map((v) => 2 + 3 * v)), { ridge: 0 });
  assert.ok(Math.abs(m.intercept - 2) < 1e-9 && Math.abs((m.coefficients[0] as number) - 3) < 1e-9, JSON.stringify(m));
  assert.equal(m.coefficients[1], 0);
});

test('median regression ignores outliers that pull least squares away', () => {
  // y = 1 + 2x, except two wild points; the L1 fit stays on the line, least squares does not
  const x = Array.from({ length: 21 }, (_, i) => i);
  const y = x.map((v) => 1 + 2 * v);
  y[3] = 60;
  y[17] = -40;
  const design = { rows: x.length, columns: [col(x)] };
  const median = fitMedian(design, col(y), { ridge: 0, iterations: 60, residualFloor: 1e-6 });
  const mean = fitRidge(design, col(y), { ridge: 0 });
  assert.ok(Math.abs((median.coefficients[0] as number) - 2) < 0.01 && Math.abs(median.intercept - 1) < 0.05, JSON.stringify(median));
  assert.ok(Math.abs((mean.coefficients[0] as number) - 2) > 0.3, JSON.stringify(mean));
  assert.deepEqual([...predict(median, { rows: 2, columns: [col([0, 10])] })].map((v) => Math.round(v * 10) / 10), [1, 21]);
});

test('the same rows give bit-identical coefficients (no randomness, fixed iterations)', () => {
  const x = Array.from({ length: 50 }, (_, i) => Math.sin(i));
  const z = Array.from({ length: 50 }, (_, i) => Math.cos(3 * i));
  const y = x.map((v, i) => 3 * v - (z[i] as number) + ((i * 7) % 5));
  const fit = () => fitMedian({ rows: 50, columns: [col(x), col(z)] }, col(y), { ridge: 1, iterations: 5, residualFloor: 0.5, weights: col(x.map((_, i) => 0.5 ** (i / 20))) });
  assert.deepEqual(fit(), fit());
});

test('fitting the median and the mean together gives each one as fitted alone', () => {
  const x = Array.from({ length: 40 }, (_, i) => (i * 37) % 11);
  const design = { rows: 40, columns: [col(x)] };
  const a = col(x.map((v, i) => 2 * v + ((i * 5) % 3)));
  const b = col(x.map((v, i) => 30 - v + ((i * 7) % 4)));
  const o = { ridge: 0.5, iterations: 4, residualFloor: 0.5 };
  const both = fitMedianAndMean(design, a, b, o);
  assert.deepEqual(both.median, fitMedian(design, a, o));
  assert.deepEqual(both.mean, fitRidge(design, b, { ridge: 0.5 }));
});
