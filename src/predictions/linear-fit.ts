// Weighted ridge regression and median (L1) regression by iteratively reweighted least squares, on
// a design matrix stored by column. Deterministic: the same rows in the same order give bit-identical
// coefficients (no randomness, a fixed number of iterations, sums in a fixed order).

/** A design matrix: `columns[j][i]` is term j of row i (no intercept column: it is always fitted). */
export interface Design {
  readonly rows: number;
  readonly columns: readonly Float64Array[];
}

export interface FitOptions {
  /** Ridge penalty on the standardised coefficients (not the intercept). */
  readonly ridge: number;
  /** Per-row weights (e.g. recency); default 1. */
  readonly weights?: Float64Array;
}

export interface MedianFitOptions extends FitOptions {
  /** IRLS iterations after the least-squares start. */
  readonly iterations: number;
  /** Residuals smaller than this count as this in the weights (a smoothed absolute loss near 0). */
  readonly residualFloor: number;
}

/** Coefficients on the original scale: y ≈ intercept + Σ coefficients[j] · column j. */
export interface LinearModel {
  readonly intercept: number;
  readonly coefficients: Float64Array;
}

interface Standardised {
  readonly mean: Float64Array;
  readonly scale: Float64Array; // 0 for a constant column: it is left out of the fit
  readonly z: Float64Array[];
}

function standardise(d: Design): Standardised {
  const p = d.columns.length;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  const z: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const c = d.columns[j] as Float64Array;
    let s = 0;
    for (let i = 0; i < d.rows; i++) s += c[i] as number;
    const m = d.rows > 0 ? s / d.rows : 0;
    let ss = 0;
    for (let i = 0; i < d.rows; i++) ss += ((c[i] as number) - m) ** 2;
    const sd = d.rows > 1 ? Math.sqrt(ss / (d.rows - 1)) : 0;
    mean[j] = m;
    scale[j] = sd > 1e-9 ? sd : 0;
    const out = new Float64Array(d.rows);
    if (scale[j] !== 0) for (let i = 0; i < d.rows; i++) out[i] = ((c[i] as number) - m) / sd;
    z.push(out);
  }
  return { mean, scale, z };
}

/**
 * The columns of one fit's normal equations — a ones column (the intercept), then the standardised
 * columns that are not constant — and scratch space for their weighted copies: every solve of a fit
 * (the IRLS steps change only the weights) reuses them instead of allocating q arrays of n rows.
 */
interface NormalColumns {
  readonly active: readonly number[];
  readonly cols: readonly Float64Array[];
  readonly weighted: readonly Float64Array[];
}

function normalColumns(s: Standardised, rows: number): NormalColumns {
  const active = [...s.scale.keys()].filter((j) => s.scale[j] !== 0);
  const cols = [new Float64Array(rows).fill(1), ...active.map((j) => s.z[j] as Float64Array)];
  return { active, cols, weighted: cols.map(() => new Float64Array(rows)) };
}

/**
 * Solves the weighted ridge normal equations on standardised columns: (Z'WZ + λI) b = Z'Wy, with
 * an unpenalised intercept (column of ones). Returns [intercept, b_1..b_p] on the standardised scale.
 */
function solveWeighted(s: Standardised, nc: NormalColumns, y: Float64Array, w: Float64Array, ridge: number): Float64Array {
  return solveWeightedMany(s, nc, [y], w, ridge)[0] as Float64Array;
}

/** The same normal equations for several outcomes at once: one X'WX, one right-hand side per outcome. */
function solveWeightedMany(s: Standardised, nc: NormalColumns, ys: readonly Float64Array[], w: Float64Array, ridge: number): Float64Array[] {
  const { active, cols } = nc;
  const q = cols.length;
  const { gram, rhs } = weightedGram(cols, w, ys[0] as Float64Array, nc.weighted);
  for (let u = 1; u < q; u++) gram[u * q + u] = (gram[u * q + u] as number) + ridge;
  return ys.map((y, k) => {
    const right = k === 0 ? rhs : weightedRhs(cols, w, y);
    const b = choleskySolve(gram, right, q);
    const full = new Float64Array(s.scale.length + 1);
    full[0] = b[0] as number;
    active.forEach((j, i) => (full[j + 1] = b[i + 1] as number));
    return full;
  });
}

function weightedRhs(cols: readonly Float64Array[], w: Float64Array, y: Float64Array): Float64Array {
  return Float64Array.from(cols, (c) => {
    let r = 0;
    for (let i = 0; i < w.length; i++) r += (c[i] as number) * (w[i] as number) * (y[i] as number);
    return r;
  });
}

/** Rows per pass of the X'WX kernel: the 6 columns of a block stay in cache while all blocks sweep them. */
const GRAM_CHUNK_ROWS = 1024;

/**
 * X'WX and X'Wy for columns X. The hot loop of every fit: blocks of 2 × 4 columns share each row's
 * loads (about 3× faster than one dot product at a time), and the rows go in chunks that every
 * block sweeps while they are in cache (a block's running sums wait in the result between chunks).
 * Each entry is still summed over the rows in order, from 0: the result does not depend on the
 * blocking or the chunks, bit for bit. `weighted` (q arrays of n) is scratch space for X·W.
 */
export function weightedGram(
  cols: readonly Float64Array[],
  w: Float64Array,
  y: Float64Array,
  weighted: readonly Float64Array[] = cols.map(() => new Float64Array(w.length)),
): { gram: Float64Array; rhs: Float64Array } {
  const q = cols.length;
  const n = w.length;
  const gram = new Float64Array(q * q);
  const rhs = new Float64Array(q);
  for (let u = 0; u < q; u++) {
    const c = cols[u] as Float64Array;
    const t = weighted[u] as Float64Array;
    for (let i = 0; i < n; i++) t[i] = (c[i] as number) * (w[i] as number);
  }
  for (let u = 0; u < q; u++) {
    const a = weighted[u] as Float64Array;
    let r = 0;
    for (let i = 0; i < n; i++) r += (a[i] as number) * (y[i] as number);
    rhs[u] = r;
  }
  const last = q - 1;
  for (let from = 0; from < n; from += GRAM_CHUNK_ROWS) {
    const to = Math.min(n, from + GRAM_CHUNK_ROWS);
    for (let u = 0; u < q; u += 2) {
      // past the last column a block repeats it: the repeated sums are the same numbers, stored twice
      const u1 = Math.min(u + 1, last);
      const a0 = weighted[u] as Float64Array;
      const a1 = weighted[u1] as Float64Array;
      for (let v = u; v < q; v += 4) {
        const v1 = Math.min(v + 1, last);
        const v2 = Math.min(v + 2, last);
        const v3 = Math.min(v + 3, last);
        const b0 = cols[v] as Float64Array;
        const b1 = cols[v1] as Float64Array;
        const b2 = cols[v2] as Float64Array;
        const b3 = cols[v3] as Float64Array;
        // the block's entries, row u then row u1 (its entry (u + 1, u) lies below the diagonal: mirrored over at the end)
        const r0 = u * q;
        const r1 = u1 * q;
        let s00 = gram[r0 + v] as number, s01 = gram[r0 + v1] as number, s02 = gram[r0 + v2] as number, s03 = gram[r0 + v3] as number;
        let s10 = gram[r1 + v] as number, s11 = gram[r1 + v1] as number, s12 = gram[r1 + v2] as number, s13 = gram[r1 + v3] as number;
        for (let i = from; i < to; i++) {
          const x0 = a0[i] as number;
          const x1 = a1[i] as number;
          const y0 = b0[i] as number;
          const y1 = b1[i] as number;
          const y2 = b2[i] as number;
          const y3 = b3[i] as number;
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        }
        gram[r0 + v] = s00; gram[r0 + v1] = s01; gram[r0 + v2] = s02; gram[r0 + v3] = s03;
        gram[r1 + v] = s10; gram[r1 + v1] = s11; gram[r1 + v2] = s12; gram[r1 + v3] = s13;
      }
    }
  }
  // the upper triangle holds each entry's sum of (x_u · w) · x_v: the lower one is its mirror
  for (let r = 0; r < q; r++) for (let c = r + 1; c < q; c++) gram[c * q + r] = gram[r * q + c] as number;
  return { gram, rhs };
}

/** Solves A x = b for a symmetric positive-definite A (q × q, row-major). */
export function choleskySolve(a: Float64Array, b: Float64Array, q: number): Float64Array {
  const l = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * q + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * q + k] as number) * (l[j * q + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new Error(`normal equations not positive definite at column ${i}`);
        l[i * q + i] = Math.sqrt(s);
      } else {
        l[i * q + j] = s / (l[j * q + j] as number);
      }
    }
  }
  const y = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * q + k] as number) * (y[k] as number);
    y[i] = s / (l[i * q + i] as number);
  }
  const x = new Float64Array(q);
  for (let i = q - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < q; k++) s -= (l[k * q + i] as number) * (x[k] as number);
    x[i] = s / (l[i * q + i] as number);
  }
  return x;
}

function unstandardise(s: Standardised, b: Float64Array): LinearModel {
  const p = s.scale.length;
  const coefficients = new Float64Array(p);
  let intercept = b[0] as number;
  for (let j = 0; j < p; j++) {
    const sc = s.scale[j] as number;
    if (sc === 0) continue;
    const c = (b[j + 1] as number) / sc;
    coefficients[j] = c;
    intercept -= c * (s.mean[j] as number);
  }
  return { intercept, coefficients };
}

function predictStandardised(s: Standardised, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n).fill(b[0] as number);
  for (let j = 0; j < s.z.length; j++) {
    const bj = b[j + 1] as number;
    if (bj === 0) continue;
    const z = s.z[j] as Float64Array;
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + bj * (z[i] as number);
  }
  return out;
}

/** Weighted ridge least squares (the mean): used for expected minutes and as the IRLS start. */
export function fitRidge(d: Design, y: Float64Array, o: FitOptions): LinearModel {
  const s = standardise(d);
  const w = o.weights ?? new Float64Array(d.rows).fill(1);
  return unstandardise(s, solveWeighted(s, normalColumns(s, d.rows), y, w, o.ridge));
}

/**
 * Median regression: minimises Σ w·|y − ŷ| (+ ridge) by IRLS, each step a weighted least squares
 * with weights w / max(|residual|, floor), from the least-squares fit.
 */
export function fitMedian(d: Design, y: Float64Array, o: MedianFitOptions): LinearModel {
  const s = standardise(d);
  const base = o.weights ?? new Float64Array(d.rows).fill(1);
  const nc = normalColumns(s, d.rows);
  let b = solveWeighted(s, nc, y, base, o.ridge);
  const w = new Float64Array(d.rows);
  for (let it = 0; it < o.iterations; it++) {
    const fitted = predictStandardised(s, b, d.rows);
    for (let i = 0; i < d.rows; i++) w[i] = (base[i] as number) / Math.max(Math.abs((y[i] as number) - (fitted[i] as number)), o.residualFloor);
    b = solveWeighted(s, nc, y, w, o.ridge);
  }
  return unstandardise(s, b);
}

/**
 * The median of one outcome and the mean of another on the same rows and weights (points and
 * minutes): the least-squares start of the median fit and the mean share one X'WX.
 */
export function fitMedianAndMean(d: Design, medianOf: Float64Array, meanOf: Float64Array, o: MedianFitOptions): { median: LinearModel; mean: LinearModel } {
  const s = standardise(d);
  const base = o.weights ?? new Float64Array(d.rows).fill(1);
  const nc = normalColumns(s, d.rows);
  const [start, mean] = solveWeightedMany(s, nc, [medianOf, meanOf], base, o.ridge) as [Float64Array, Float64Array];
  let b = start;
  const w = new Float64Array(d.rows);
  for (let it = 0; it < o.iterations; it++) {
    const fitted = predictStandardised(s, b, d.rows);
    for (let i = 0; i < d.rows; i++) w[i] = (base[i] as number) / Math.max(Math.abs((medianOf[i] as number) - (fitted[i] as number)), o.residualFloor);
    b = solveWeighted(s, nc, medianOf, w, o.ridge);
  }
  return { median: unstandardise(s, b), mean: unstandardise(s, mean) };
}

/** ŷ for every row of a design. */
export function predict(m: LinearModel, d: Design): Float64Array {
  const out = new Float64Array(d.rows).fill(m.intercept);
  m.coefficients.forEach((c, j) => {
    if (c === 0) return;
    const col = d.columns[j] as Float64Array;
    for (let i = 0; i < d.rows; i++) out[i] = (out[i] as number) + c * (col[i] as number);
  });
  return out;
}
