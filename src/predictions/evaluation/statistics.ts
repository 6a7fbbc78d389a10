// The statistics of `courtside evaluate`, as pure functions: error summaries, the paired difference
// with a bootstrap over whole game dates (games on one date share news, injuries and refits, so
// they are resampled together), interval coverage, and the Wilson interval of a hit rate.

export interface ErrorSummary {
  readonly n: number;
  readonly mae: number;
  readonly rmse: number;
  /** Mean of prediction − actual: positive = predicts too many points. */
  readonly bias: number;
}

export function errorSummary(predicted: readonly number[], actual: readonly number[]): ErrorSummary {
  const n = predicted.length;
  let abs = 0;
  let sq = 0;
  let signed = 0;
  for (let i = 0; i < n; i++) {
    const e = (predicted[i] as number) - (actual[i] as number);
    abs += Math.abs(e);
    sq += e * e;
    signed += e;
  }
  return n === 0 ? { n, mae: Number.NaN, rmse: Number.NaN, bias: Number.NaN } : { n, mae: abs / n, rmse: Math.sqrt(sq / n), bias: signed / n };
}

/** A small, seedable generator (mulberry32): the same seed gives the same intervals. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PairedDifference {
  readonly n: number;
  readonly dates: number;
  /** MAE(model) − MAE(baseline): negative = the model is better. */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
}

/**
 * MAE(a) − MAE(b) on the same rows, with a percentile interval from `replicates` bootstrap samples
 * of whole dates (each sample draws as many dates as there are, with replacement).
 */
export function pairedDifference(
  dates: readonly string[],
  errorsA: readonly number[],
  errorsB: readonly number[],
  o: { readonly replicates: number; readonly level: number; readonly seed: number },
): PairedDifference {
  const byDate = new Map<string, { sum: number; n: number }>();
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i] as string;
    const cell = byDate.get(d) ?? { sum: 0, n: 0 };
    cell.sum += Math.abs(errorsA[i] as number) - Math.abs(errorsB[i] as number);
    cell.n += 1;
    byDate.set(d, cell);
  }
  const cells = [...byDate.keys()].sort().map((d) => byDate.get(d) as { sum: number; n: number });
  const total = cells.reduce((acc, c) => ({ sum: acc.sum + c.sum, n: acc.n + c.n }), { sum: 0, n: 0 });
  if (cells.length === 0) return { n: 0, dates: 0, difference: Number.NaN, low: Number.NaN, high: Number.NaN };
  const random = seededRandom(o.seed);
  const stats: number[] = [];
  for (let r = 0; r < o.replicates; r++) {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < cells.length; k++) {
      const c = cells[Math.floor(random() * cells.length)] as { sum: number; n: number };
      sum += c.sum;
      n += c.n;
    }
    stats.push(sum / n);
  }
  stats.sort((x, y) => x - y);
  const tail = (1 - o.level) / 2;
  const at = (p: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.round(p * (stats.length - 1))))] as number;
  return { n: total.n, dates: cells.length, difference: total.sum / total.n, low: at(tail), high: at(1 - tail) };
}

/** Wilson score interval for `hits` successes in `n` trials (z = 1.96 for 95%). */
export function wilsonInterval(hits: number, n: number, z = 1.959964): { readonly low: number; readonly high: number } {
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  const p = hits / n;
  const denominator = 1 + (z * z) / n;
  const centre = p + (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: (centre - half) / denominator, high: (centre + half) / denominator };
}

/** Quintile (1..5) of each value among all values: rank-based, ties broken by position. */
export function quintiles(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length);
  order.forEach(([, i], rank) => (out[i] = Math.floor((rank * 5) / values.length) + 1));
  return out;
}
