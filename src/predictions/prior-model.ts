// The model of a refit with too few training rows (the first days of the first season in the
// warehouse): no fit, fixed parameters stored like a fit's. The level is his recent form (the
// exponentially weighted average) pulled towards his previous season while the sample is small;
// the spread is a normal one widening with the level (sd = 2.5 + 0.25 × level, floor 0 applied in SQL).
import { INTERCEPT, TERMS, type Component } from './design.js';
import { LEVEL_MAX, QUANTILE_PCTS, type ResidualBin } from './residual-grid.js';

const PRIOR_COEFFICIENTS: Readonly<Record<Component, Readonly<Record<string, number>>>> = {
  points: { pts_ew90: 1, prior_gap_x_few: 1 },
  minutes: { min_ew90: 1, prior_min_gap_x_few: 1 },
  // with no game this season the same rule is his previous season's averages (0 without 5 games)
  first_game_points: { pts_ew90: 1, prior_gap_x_few: 1 },
  first_game_minutes: { min_ew90: 1, prior_min_gap_x_few: 1 },
};

/** Coefficient of every term (0 unless named above), intercept first. */
export function priorCoefficients(component: Component): { readonly term: string; readonly coefficient: number }[] {
  const c = PRIOR_COEFFICIENTS[component];
  for (const name of Object.keys(c)) if (!TERMS.some((t) => t.name === name)) throw new Error(`prior model names unknown term ${name}`);
  return [{ term: INTERCEPT, coefficient: 0 }, ...TERMS.map((t) => ({ term: t.name, coefficient: c[t.name] ?? 0 }))];
}

/** Inverse standard normal CDF (Acklam's rational approximation without refinement: |error| < 2e-5, plenty for a prior spread). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010495166, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const poly = (k: readonly number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

const PRIOR_EDGES = [0, 4, 8, 12, 16, 20, 25, 30, LEVEL_MAX];

export function priorResidualGrid(): ResidualBin[] {
  return PRIOR_EDGES.slice(0, -1).map((lo, bin) => {
    const hi = PRIOR_EDGES[bin + 1] as number;
    const mid = hi === LEVEL_MAX ? lo + 5 : (lo + hi) / 2;
    const sd = 2.5 + 0.25 * mid;
    return { bin, lo, hi, rows: 0, meanResidual: 0, quantiles: QUANTILE_PCTS.map((p) => sd * normalQuantile(p / 100)) };
  });
}
