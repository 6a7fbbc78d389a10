// The predictions processor's prepare step: before a batch computes its predictions (same
// transaction), fit the model of every refit its dates need — on the played games of the training
// window, all dated before the refit — and store it. A refit whose training rows are unchanged
// (same input fingerprint) keeps its stored fit; fitting is deterministic, so refitting would give the same.
// The training rows themselves are kept too (training-rows.ts).
import { createHash } from 'node:crypto';
import { daysBetween, lowerBound, type IsoDate } from '../core/dates.js';
import { columnOf } from '../warehouse/query-columns.js';
import type { ColumnarResult, QueryOptions, SqlParams, Warehouse } from '../warehouse/warehouse.js';
import { INTERCEPT, MODEL_VERSION, TERMS, type Component } from './design.js';
import { fitMedianAndMean, predict, type Design, type LinearModel } from './linear-fit.js';
import { replaceFits, storedFingerprints, type StoredFit } from './model-store.js';
import { priorCoefficients, priorResidualGrid } from './prior-model.js';
import { refitDatesFor, trainingWindow } from './refit-schedule.js';
import { residualGrid } from './residual-grid.js';
import { chainBefore, inputChains, trainingRows } from './training-rows.js';

/** Fitting settings; the processor's thresholds (configurable) override the numeric ones. */
export interface FitSettings {
  /** Refits with fewer played games than this use the prior model. */
  readonly minTrainingRows: number;
  /** Training rows: the games of the `trainingWindowDays` days before the refit. */
  readonly trainingWindowDays: number;
  /** Rows are weighted 0.5^(age in days / half-life): recent games count more. */
  readonly recencyHalfLifeDays: number;
  readonly ridge: number;
  readonly iterations: number;
  readonly residualFloor: number;
  readonly residualBins: number;
  readonly minRowsPerBin: number;
}

export const DEFAULT_FIT_SETTINGS: FitSettings = {
  minTrainingRows: 2000,
  trainingWindowDays: 365,
  recencyHalfLifeDays: 90,
  ridge: 20,
  iterations: 4,
  residualFloor: 0.5,
  residualBins: 10,
  minRowsPerBin: 250,
};

/** Training rows as columns: the terms, the outcomes, and each row's date. */
export interface TrainingData {
  readonly dates: readonly IsoDate[];
  /** Each row's date as a day number (days since 1970-01-01). */
  readonly days: Float64Array;
  readonly players: readonly string[];
  readonly terms: readonly Float64Array[];
  readonly points: Float64Array;
  readonly minutes: Float64Array;
  /** His games with minutes before this one this season. */
  readonly k: Float64Array;
}

/** The training rows read by column (`trainingRows`): numbers as they are, each column copied once into a Float64Array. */
export function toTrainingData(input: ColumnarResult): TrainingData {
  const n = input.rows;
  // Float64Array.from converts as Number() does (null → 0, text → its number); a plain array of numbers is copied in one pass
  const numbers = (name: string): Float64Array => Float64Array.from(columnOf(input, name) as ArrayLike<number>);
  const terms = TERMS.map((t) => numbers(t.name));
  const points = numbers('points');
  const minutes = numbers('minutes');
  const k = numbers('k');
  const dates = Array.from(columnOf(input, 'game_date'), String);
  const players = Array.from(columnOf(input, 'player_lookup'), String);
  const days = new Float64Array(n);
  for (let i = 0, date = '', day = 0; i < n; i++) {
    // rows come sorted by date: one day number per run of equal dates
    if (dates[i] !== date) day = daysBetween('1970-01-01', (date = dates[i] as string));
    days[i] = day;
  }
  for (const [j, col] of terms.entries()) {
    if (col.some((v) => !Number.isFinite(v))) throw new Error(`training term ${TERMS[j]?.name} has a non-finite value`);
  }
  return { dates, days, players, terms, points, minutes, k };
}

/** The rows in [a, b) with at least one earlier game this season: what the fitted components learn from. */
function fittingRows(data: TrainingData, a: number, b: number): { design: Design; points: Float64Array; minutes: Float64Array; days: Float64Array } {
  const keep: number[] = [];
  for (let i = a; i < b; i++) if ((data.k[i] as number) >= 1) keep.push(i);
  const pick = (c: Float64Array) => {
    const out = new Float64Array(keep.length);
    for (let r = 0; r < keep.length; r++) out[r] = c[keep[r] as number] as number;
    return out;
  };
  return { design: { rows: keep.length, columns: data.terms.map(pick) }, points: pick(data.points), minutes: pick(data.minutes), days: pick(data.days) };
}

function coefficientRows(component: Component, m: LinearModel): StoredFit['coefficients'] {
  return [{ component, term: INTERCEPT, coefficient: m.intercept }, ...TERMS.map((t, j) => ({ component, term: t.name, coefficient: m.coefficients[j] as number }))];
}

const mae = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return a.length > 0 ? s / a.length : 0;
};

const priorRows = (component: Component): StoredFit['coefficients'] => priorCoefficients(component).map((c) => ({ component, ...c }));

/**
 * Fits one refit from the training rows in [a, b) (all dated before the refit): the points median
 * and expected minutes on the games with at least one earlier game this season (a first game has no
 * form to weigh; fitting those too skews the rest), the first-game rule, the residual grid.
 */
export function fitRefit(data: TrainingData, a: number, b: number, refitDate: IsoDate, fingerprint: string, s: FitSettings): StoredFit {
  const windowStart = b > a ? (data.dates[a] as string) : null;
  const windowEnd = b > a ? (data.dates[b - 1] as string) : null;
  const rows = fittingRows(data, a, b);
  const firstGame = [...priorRows('first_game_points'), ...priorRows('first_game_minutes')];
  const common = { refitDate, windowStart, windowEnd, rows: rows.design.rows, fingerprint, terms: TERMS.length };
  if (rows.design.rows < s.minTrainingRows) {
    return {
      ...common, kind: 'prior', inSampleMae: null, inSampleMinutesMae: null,
      coefficients: [...priorRows('points'), ...priorRows('minutes'), ...firstGame],
      residuals: priorResidualGrid(),
    };
  }
  const refitDay = daysBetween('1970-01-01', refitDate);
  const weights = rows.days.map((day) => 0.5 ** ((refitDay - day) / s.recencyHalfLifeDays));
  const fit = fitMedianAndMean(rows.design, rows.points, rows.minutes, { ridge: s.ridge, weights, iterations: s.iterations, residualFloor: s.residualFloor });
  const [pointsModel, minutesModel] = [fit.median, fit.mean];
  const levels = predict(pointsModel, rows.design).map((v) => Math.max(0, v));
  const minuteLevels = predict(minutesModel, rows.design).map((v) => Math.max(0, v));
  return {
    ...common, kind: 'fitted',
    inSampleMae: mae(levels, rows.points),
    inSampleMinutesMae: mae(minuteLevels, rows.minutes),
    coefficients: [...coefficientRows('points', pointsModel), ...coefficientRows('minutes', minutesModel), ...firstGame],
    residuals: residualGrid(levels, rows.points, s.residualBins, s.minRowsPerBin),
  };
}

/**
 * The fit settings of a batch: the defaults, with the processor's configurable thresholds. Each must be a
 * whole number >= 1: no training rows cannot be fitted (0 rows failed deep in the solver), and a window of
 * 0, negative or fractional days silently gave the prior model or a window nobody asked for.
 */
export function settingsFrom(params: SqlParams): FitSettings {
  const num = (key: string, fallback: number) => {
    const v = params[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new Error(`threshold pred.${key} must be a whole number >= 1 (courtside.config.json "thresholds": { "pred": { ... } }), got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const d = DEFAULT_FIT_SETTINGS;
  return { ...d, minTrainingRows: num('min_training_rows', d.minTrainingRows), trainingWindowDays: num('training_window_days', d.trainingWindowDays) };
}

/**
 * The prepare step: the refits of the batch's game dates ($from..$to); those whose stored
 * fingerprint differs from their inputs' (and settings') are fitted on the played games of their
 * window — kept training rows, recomputed only for dates whose inputs changed — and stored,
 * replacing the old fit.
 */
export async function prepareModels(tx: Warehouse, trainingSql: string, params: SqlParams, o: QueryOptions): Promise<void> {
  const s = settingsFrom(params);
  const dates = await tx.query<{ game_date: string }>(
    `SELECT game_date FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY game_date`,
    { from: params['from'] ?? null, to: params['to'] ?? null },
    o,
  );
  const refits = refitDatesFor(dates.map((d) => d.game_date));
  if (refits.length === 0) return;
  const chains = await inputChains(tx, refits.at(-1) as string, o);
  const settings = JSON.stringify(s);
  const fingerprints = new Map(refits.map((r) => [r, createHash('sha256').update(`${settings}|${chainBefore(chains, r)}`).digest('hex').slice(0, 32)]));
  const stored = await storedFingerprints(tx, MODEL_VERSION, refits, o);
  const stale = refits.filter((r) => stored.get(r) !== fingerprints.get(r));
  if (stale.length === 0) return;
  const span = { from: trainingWindow(stale[0] as string, s.trainingWindowDays).from, to: trainingWindow(stale.at(-1) as string, s.trainingWindowDays).to };
  const data = toTrainingData(await trainingRows(tx, trainingSql, chains, span.from, span.to, o));
  const fits = stale.map((refit) => {
    const window = trainingWindow(refit, s.trainingWindowDays);
    return fitRefit(data, lowerBound(data.dates, window.from), lowerBound(data.dates, refit), refit, fingerprints.get(refit) as string, s);
  });
  await replaceFits(tx, MODEL_VERSION, fits, String(params['run_id'] ?? ''), new Date().toISOString().replace('T', ' ').replace('Z', ''), o);
}
