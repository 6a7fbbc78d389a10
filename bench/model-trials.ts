// `npm run bench:model -- <db>`: the model trials behind the choice of the points model. Walk-forward
// in memory (refit every Monday on the played games of the year before it, predict the week),
// on the design matrix of the predictions processor, for a few candidate models; prints the MAE of
// each on 2022-23 and on 2021-22 from Dec 1 (played games with at least one earlier game this season).
// Needs a warehouse with Phase 4 built: node --import tsx bench/model-trials.ts <db> [trial ...]
import { addDays, daysBetween } from '../src/core/dates.js';
import { TERMS } from '../src/predictions/design.js';
import { rowsToColumns } from '../src/warehouse/query-columns.js';
import { DEFAULT_FIT_SETTINGS, toTrainingData, type TrainingData } from '../src/predictions/fit-models.js';
import { fitMedian, fitRidge, predict, type Design } from '../src/predictions/linear-fit.js';
import { refitDateOf } from '../src/predictions/refit-schedule.js';
import { residualGrid } from '../src/predictions/residual-grid.js';
import { predictionQueries } from '../src/processors/player-points-predictions/queries.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';

interface Trial {
  readonly name: string;
  /** Terms used (default: all). */
  readonly terms?: readonly string[];
  readonly fit: 'median' | 'mean' | 'mean+bin-median' | 'ewma';
  readonly iterations?: number;
  readonly ridge?: number;
  readonly halfLife?: number | null;
  readonly windowDays?: number;
  /** Days between refits (7: every Monday). */
  readonly every?: number;
  /** Train only on games with at least this many earlier games this season. */
  readonly minK?: number;
  readonly exclude?: readonly string[];
  /** Median = level + the median residual of its level bin (what the processor stores). */
  readonly binShift?: boolean;
  readonly residualFloor?: number;
}

const GROUPS: Record<string, readonly string[]> = {
  form: ['log_games', 'few_games', 'pts_ew90', 'pts_season', 'pts_l10', 'pts_l3', 'min_ew90', 'min_l3', 'ppm_ew90', 'min_x_ppm', 'start_l10'],
  odds: ['share_x_implied', 'implied_total', 'spread', 'abs_spread', 'pts_x_abs_spread', 'home', 'b2b'],
};
const ALL = TERMS.map((t) => t.name);
const MLFS_TERMS = ['has_mlfs', 'opponent_def_rating', 'pts_x_opponent_def', 'opponent_pace', 'shot_zone_mismatch', 'fatigue_score', 'team_off_rating',
  'pts_vs_opponent', 'pace_score', 'usage_spike', 'pts_x_pace_score', 'pts_x_three_share', 'pts_x_free_throw_share'];
const ABSENCE_TERMS = ['played_last', 'missed_last_3', 'missed_x_min', 'vacated_minutes', 'vacated_points', 'regulars_out', 'vacated_x_min',
  'vacated_x_ppm', 'vacated_x_share', 'vacated_share', 'vacated_share_x_pts', 'pts_x_vacated'];
// Unless a trial says otherwise: the processor's settings (fit-models.ts), games with an earlier game
// this season as training rows, median = level + the median residual of its bin, refit every Monday.
const TRIALS: readonly Trial[] = [
  { name: 'season average to date (no fit)', fit: 'mean', terms: [] },
  { name: 'EWMA 0.9 per game (no fit)', fit: 'ewma', terms: [] },
  { name: 'median regression, recent form only', fit: 'median', terms: GROUPS['form'] },
  { name: 'median regression, form + odds', fit: 'median', terms: [...(GROUPS['form'] ?? []), ...(GROUPS['odds'] ?? [])] },
  { name: 'least squares (mean), all terms', fit: 'mean' },
  { name: 'least squares + median residual of the level bin, all terms', fit: 'mean+bin-median' },
  { name: 'median regression, all terms, trained on every played game (first games too)', fit: 'median', minK: 0 },
  { name: 'median regression, all terms, 730-day window', fit: 'median', windowDays: 730 },
  { name: 'median regression, all terms, ridge 50, half-life 365 days', fit: 'median', ridge: 50, halfLife: 365 },
  { name: 'median regression, without the MLFS context terms', fit: 'median', exclude: MLFS_TERMS },
  { name: 'median regression, without the absence terms', fit: 'median', exclude: ABSENCE_TERMS },
  { name: 'median regression, all terms (chosen)', fit: 'median' },
  { name: 'chosen, 8 IRLS iterations', fit: 'median', iterations: 8 },
  { name: 'chosen, ridge 5', fit: 'median', ridge: 5 },
  { name: 'chosen, refit every 3 days', fit: 'median', every: 3 },
];

async function main(): Promise<void> {
  const [db, ...only] = process.argv.slice(2);
  if (!db) throw new Error('usage: model-trials.ts <db> [trial-number ...]');
  const wh = await DuckDBWarehouse.open(db, { readOnly: true });
  const started = performance.now();
  const rows = await wh.query(predictionQueries().trainingSql, { from: '2021-10-01', to: '2023-06-30' });
  await wh.close();
  const data = toTrainingData(rowsToColumns(rows));
  const ks = rows.map((r) => Number(r['k']));
  process.stderr.write(`${rows.length} played games loaded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const trials = only.length > 0 ? only.map((i) => TRIALS[Number(i)] as Trial) : TRIALS;
  const out: string[] = ['| trial | 2022-23 MAE | 2021-22 from Dec 1 MAE | fit seconds |', '|---|---:|---:|---:|'];
  for (const trial of trials) {
    const t0 = performance.now();
    const pred = walkForward(data, trial, ks);
    const seconds = (performance.now() - t0) / 1000;
    const m22 = mae(data, pred, ks, (d) => d >= '2022-10-01');
    const m21 = mae(data, pred, ks, (d) => d >= '2021-12-01' && d < '2022-07-01');
    out.push(`| ${trial.name} | ${m22.toFixed(4)} | ${m21.toFixed(4)} | ${seconds.toFixed(1)} |`);
    process.stderr.write(`${out.at(-1)}\n`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function mae(data: TrainingData, pred: Float64Array, ks: readonly number[], keep: (d: string) => boolean): number {
  let s = 0;
  let n = 0;
  data.dates.forEach((d, i) => {
    if (!keep(d) || (ks[i] ?? 0) < 1 || Number.isNaN(pred[i])) return;
    s += Math.abs((data.points[i] as number) - (pred[i] as number));
    n += 1;
  });
  return s / n;
}

function walkForward(data: TrainingData, trial: Trial, ks: readonly number[]): Float64Array {
  const pred = new Float64Array(data.dates.length).fill(Number.NaN);
  const names = (trial.terms ?? ALL).filter((t) => !(trial.exclude ?? []).includes(t));
  const cols = names.map((name) => data.terms[TERMS.findIndex((t) => t.name === name)] as Float64Array);
  const seasonAvg = data.terms[TERMS.findIndex((t) => t.name === 'pts_season')] as Float64Array;
  const ewma = data.terms[TERMS.findIndex((t) => t.name === 'pts_ew90')] as Float64Array;
  const first = data.dates[0] as string;
  const last = data.dates.at(-1) as string;
  const every = trial.every ?? 7;
  for (let refit = refitDateOf(first); refit <= last; refit = addDays(refit, every)) {
    const lo = data.dates.findIndex((d) => d >= addDays(refit, -(trial.windowDays ?? DEFAULT_FIT_SETTINGS.trainingWindowDays)));
    const a = lo < 0 ? data.dates.length : lo;
    const bIdx = data.dates.findIndex((d) => d >= refit);
    const b = bIdx < 0 ? data.dates.length : bIdx;
    const eIdx = data.dates.findIndex((d) => d >= addDays(refit, every));
    const e = eIdx < 0 ? data.dates.length : eIdx;
    if (e <= b) continue;
    if (names.length === 0) {
      for (let i = b; i < e; i++) pred[i] = (trial.fit === 'ewma' ? ewma[i] : seasonAvg[i]) as number;
      continue;
    }
    if (b - a < DEFAULT_FIT_SETTINGS.minTrainingRows) continue;
    const keep: number[] = [];
    for (let i = a; i < b; i++) if ((ks[i] ?? 0) >= (trial.minK ?? 1)) keep.push(i);
    const pick = (c: Float64Array) => Float64Array.from(keep, (i) => c[i] as number);
    const train: Design = { rows: keep.length, columns: cols.map(pick) };
    const test: Design = { rows: e - b, columns: cols.map((c) => c.subarray(b, e)) };
    const y = pick(data.points);
    const hl = trial.halfLife === undefined ? DEFAULT_FIT_SETTINGS.recencyHalfLifeDays : trial.halfLife;
    const refitDay = daysBetween('1970-01-01', refit);
    const weights = Float64Array.from(keep, (i) => (hl === null ? 1 : 0.5 ** ((refitDay - (data.days[i] as number)) / hl)));
    const ridge = trial.ridge ?? DEFAULT_FIT_SETTINGS.ridge;
    let p: Float64Array;
    if (trial.fit === 'median') {
      const m = fitMedian(train, y, { ridge, weights, iterations: trial.iterations ?? DEFAULT_FIT_SETTINGS.iterations, residualFloor: trial.residualFloor ?? DEFAULT_FIT_SETTINGS.residualFloor });
      p = predict(m, test);
      if (trial.binShift ?? true) {
        const grid = residualGrid(predict(m, train).map((v) => Math.max(0, v)), y, 10, 250);
        p = p.map((v) => {
          const level = Math.max(0, v);
          const bin = grid.find((g) => level >= g.lo && level < g.hi) ?? grid.at(-1);
          return level + (bin?.quantiles[10] ?? 0);
        });
      }
    } else {
      const m = fitRidge(train, y, { ridge, weights });
      p = predict(m, test);
      if (trial.fit === 'mean+bin-median') {
        const levels = predict(m, train).map((v) => Math.max(0, v));
        const grid = residualGrid(levels, y, 10, 250);
        p = p.map((v) => {
          const level = Math.max(0, v);
          const bin = grid.find((g) => level >= g.lo && level < g.hi) ?? grid.at(-1);
          return level + (bin?.quantiles[10] ?? 0);
        });
      }
    }
    for (let i = b; i < e; i++) pred[i] = Math.max(0, p[i - b] as number);
  }
  return pred;
}

await main();
