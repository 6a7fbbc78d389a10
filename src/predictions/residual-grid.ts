// The predictive distribution around the model's level: quantiles of the residuals (points − level)
// of the training rows, in bins of the level (wider spread for bigger scorers, the floor at 0 for
// small ones). A prediction's quantile q is max(0, level + residual quantile q of its bin).

/** The quantiles stored per bin, in percent: the five reported ones and a grid for P(over a line). */
export const QUANTILE_PCTS: readonly number[] = [1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 99];

export interface ResidualBin {
  readonly bin: number;
  /** Levels in [lo, hi) use this bin; the first starts at 0 and the last ends at LEVEL_MAX. */
  readonly lo: number;
  readonly hi: number;
  readonly rows: number;
  readonly meanResidual: number;
  /** Residual quantile per QUANTILE_PCTS entry. */
  readonly quantiles: readonly number[];
}

export const LEVEL_MAX = 1000;

/** Linear interpolation between order statistics (type 7), on sorted values. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * Bins of equal size by level (at most `maxBins`, at least `minRowsPerBin` rows each), with the
 * residual quantiles and mean of each. Ties in level stay in one bin, so the bins are well defined.
 */
export function residualGrid(levels: Float64Array, outcomes: Float64Array, maxBins: number, minRowsPerBin: number): ResidualBin[] {
  const n = levels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (levels[a] as number) - (levels[b] as number) || a - b);
  const bins = Math.max(1, Math.min(maxBins, Math.floor(n / minRowsPerBin)));
  const edges: number[] = [0];
  for (let b = 1; b < bins; b++) {
    const edge = levels[order[Math.floor((b * n) / bins)] as number] as number;
    if (edge > (edges.at(-1) as number)) edges.push(edge);
  }
  edges.push(LEVEL_MAX);
  const out: ResidualBin[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b] as number;
    const hi = edges[b + 1] as number;
    const residuals: number[] = [];
    for (const i of order) {
      const level = levels[i] as number;
      if ((level >= lo || b === 0) && (level < hi || b === edges.length - 2)) residuals.push((outcomes[i] as number) - level);
    }
    const sorted = Float64Array.from(residuals).sort();
    const mean = residuals.reduce((s, r) => s + r, 0) / Math.max(1, residuals.length);
    out.push({ bin: b, lo, hi, rows: residuals.length, meanResidual: mean, quantiles: QUANTILE_PCTS.map((p) => quantileSorted(sorted, p / 100)) });
  }
  return out;
}
