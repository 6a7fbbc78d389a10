// Where fitted models live: one row per refit (its training window, size and fingerprint), its
// coefficients per component and term, and its residual quantiles per level bin. Any stored
// prediction can be recomputed from these three and the features of its date.
import type { IsoDate } from '../core/dates.js';
import type { QueryOptions, Warehouse } from '../warehouse/warehouse.js';
import type { Component } from './design.js';
import { QUANTILE_PCTS, type ResidualBin } from './residual-grid.js';

export const FITS_TABLE = 'nba_predictions.points_model_fits';
export const COEFFICIENTS_TABLE = 'nba_predictions.points_model_coefficients';
export const RESIDUALS_TABLE = 'nba_predictions.points_model_residuals';
export const MODEL_STORE_TABLES = [FITS_TABLE, COEFFICIENTS_TABLE, RESIDUALS_TABLE] as const;

export const MODEL_STORE_DDL = `
-- Grain: one row per model version and refit date (a Monday).
CREATE TABLE IF NOT EXISTS ${FITS_TABLE} (
  model_version VARCHAR NOT NULL,
  refit_date DATE NOT NULL,
  model_kind VARCHAR NOT NULL,            -- fitted | prior (fewer than min_training_rows: fixed parameters)
  training_window_start DATE,             -- first and last date of the training rows (NULL: no rows)
  training_window_end DATE,               -- always before refit_date
  training_rows INTEGER NOT NULL,         -- played games with at least one earlier game this season (what is fitted)
  training_fingerprint VARCHAR NOT NULL,  -- hash of the training rows: an unchanged one reuses the fit
  terms INTEGER NOT NULL,
  in_sample_mae DOUBLE,                   -- points, of the median fit on its own training rows
  in_sample_minutes_mae DOUBLE,
  fitted_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (model_version, refit_date)
);
-- Grain: one row per refit, component (points | minutes | first_game_points | first_game_minutes) and term.
CREATE TABLE IF NOT EXISTS ${COEFFICIENTS_TABLE} (
  model_version VARCHAR NOT NULL,
  refit_date DATE NOT NULL,
  component VARCHAR NOT NULL,
  term VARCHAR NOT NULL,
  coefficient DOUBLE NOT NULL,            -- on the terms' own scale: level = intercept + sum(coefficient * term)
  PRIMARY KEY (model_version, refit_date, component, term)
);
-- Grain: one row per refit, level bin and quantile: the residual distribution around the level.
CREATE TABLE IF NOT EXISTS ${RESIDUALS_TABLE} (
  model_version VARCHAR NOT NULL,
  refit_date DATE NOT NULL,
  level_bin INTEGER NOT NULL,
  level_lo DOUBLE NOT NULL,               -- the bin holds levels in [level_lo, level_hi)
  level_hi DOUBLE NOT NULL,
  quantile_pct INTEGER NOT NULL,
  residual DOUBLE NOT NULL,               -- points − level at this quantile
  mean_residual DOUBLE NOT NULL,
  bin_rows INTEGER NOT NULL,
  PRIMARY KEY (model_version, refit_date, level_bin, quantile_pct)
);`;

export interface StoredFit {
  readonly refitDate: IsoDate;
  readonly kind: 'fitted' | 'prior';
  readonly windowStart: IsoDate | null;
  readonly windowEnd: IsoDate | null;
  readonly rows: number;
  readonly fingerprint: string;
  readonly terms: number;
  readonly inSampleMae: number | null;
  readonly inSampleMinutesMae: number | null;
  readonly coefficients: readonly { readonly component: Component; readonly term: string; readonly coefficient: number }[];
  readonly residuals: readonly ResidualBin[];
}

/** The stored fingerprints of refits, by refit date. */
export async function storedFingerprints(tx: Warehouse, version: string, refitDates: readonly IsoDate[], o: QueryOptions): Promise<Map<IsoDate, string>> {
  if (refitDates.length === 0) return new Map();
  const rows = await tx.query<{ refit_date: string; training_fingerprint: string }>(
    `SELECT refit_date, training_fingerprint FROM ${FITS_TABLE}
     WHERE model_version = $version AND refit_date BETWEEN CAST($first AS DATE) AND CAST($last AS DATE)`,
    { version, first: refitDates[0] as string, last: refitDates.at(-1) as string },
    o,
  );
  return new Map(rows.map((r) => [r.refit_date, r.training_fingerprint]));
}

/** Row `i` of parallel array parameters: `{{array_at($name, i)}}`, with `i` from the $rows parameter (1..n). */
const at = (name: string): string => `{{array_at($${name}, i)}}`;

/** The positions 1..n of n parallel arrays, bound as $rows: `FROM {{unnest_as($rows, i)}}` reads row i of each. */
export const positions = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * Replaces the stored fits of the given refits (delete, then insert every table), inside the
 * caller's transaction. Rows go in as parallel arrays (numbers as their exact decimal strings), read
 * side by side at the positions of $rows (one SQL text for DuckDB and BigQuery: no list functions).
 */
export async function replaceFits(tx: Warehouse, version: string, fits: readonly StoredFit[], runId: string, now: string, o: QueryOptions): Promise<void> {
  if (fits.length === 0) return;
  const dates = fits.map((f) => f.refitDate);
  for (const table of [FITS_TABLE, COEFFICIENTS_TABLE, RESIDUALS_TABLE]) {
    await tx.exec(`DELETE FROM ${table} WHERE model_version = $version AND refit_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})`, { version, dates }, o);
  }
  await tx.exec(
    `INSERT INTO ${FITS_TABLE} (model_version, refit_date, model_kind, training_window_start, training_window_end, training_rows,
       training_fingerprint, terms, in_sample_mae, in_sample_minutes_mae, fitted_at, run_id)
     SELECT $version, CAST(d AS DATE), k, CAST(nullif(ws, '') AS DATE), CAST(nullif(we, '') AS DATE), n, fp, t,
            CASE WHEN mae < 0 THEN NULL ELSE mae END, CASE WHEN mmae < 0 THEN NULL ELSE mmae END, CAST($now AS TIMESTAMP), $run_id
     FROM (SELECT ${at('d')} AS d, ${at('k')} AS k, ${at('ws')} AS ws, ${at('we')} AS we, CAST(${at('n')} AS INT64) AS n, ${at('fp')} AS fp,
                  CAST(${at('t')} AS INT64) AS t, {{float64(${at('mae')})}} AS mae, {{float64(${at('mmae')})}} AS mmae
           FROM {{unnest_as($rows, i)}}) AS x`,
    {
      version,
      now,
      run_id: runId,
      rows: positions(fits.length),
      d: dates,
      k: fits.map((f) => f.kind),
      ws: fits.map((f) => f.windowStart ?? ''),
      we: fits.map((f) => f.windowEnd ?? ''),
      n: fits.map((f) => String(f.rows)),
      fp: fits.map((f) => f.fingerprint),
      t: fits.map((f) => String(f.terms)),
      mae: fits.map((f) => String(f.inSampleMae ?? -1)),
      mmae: fits.map((f) => String(f.inSampleMinutesMae ?? -1)),
    },
    o,
  );
  const coefficients = fits.flatMap((f) => f.coefficients.map((c) => ({ d: f.refitDate, ...c })));
  await tx.exec(
    `INSERT INTO ${COEFFICIENTS_TABLE} (model_version, refit_date, component, term, coefficient)
     SELECT $version, CAST(d AS DATE), c, t, v
     FROM (SELECT ${at('d')} AS d, ${at('c')} AS c, ${at('t')} AS t, {{float64(${at('v')})}} AS v FROM {{unnest_as($rows, i)}}) AS x`,
    { version, rows: positions(coefficients.length), d: coefficients.map((c) => c.d), c: coefficients.map((c) => c.component), t: coefficients.map((c) => c.term), v: coefficients.map((c) => String(c.coefficient)) },
    o,
  );
  const residuals = fits.flatMap((f) =>
    f.residuals.flatMap((b) => QUANTILE_PCTS.map((pct, i) => ({ d: f.refitDate, b, pct, r: b.quantiles[i] as number }))),
  );
  await tx.exec(
    `INSERT INTO ${RESIDUALS_TABLE} (model_version, refit_date, level_bin, level_lo, level_hi, quantile_pct, residual, mean_residual, bin_rows)
     SELECT $version, CAST(d AS DATE), b, lo, hi, pct, r, m, n
     FROM (SELECT ${at('d')} AS d, CAST(${at('b')} AS INT64) AS b, {{float64(${at('lo')})}} AS lo, {{float64(${at('hi')})}} AS hi,
                  CAST(${at('pct')} AS INT64) AS pct, {{float64(${at('r')})}} AS r, {{float64(${at('m')})}} AS m, CAST(${at('n')} AS INT64) AS n
           FROM {{unnest_as($rows, i)}}) AS x`,
    {
      version,
      rows: positions(residuals.length),
      d: residuals.map((x) => x.d),
      b: residuals.map((x) => String(x.b.bin)),
      lo: residuals.map((x) => String(x.b.lo)),
      hi: residuals.map((x) => String(x.b.hi)),
      pct: residuals.map((x) => String(x.pct)),
      r: residuals.map((x) => String(x.r)),
      m: residuals.map((x) => String(x.b.meanResidual)),
      n: residuals.map((x) => String(x.b.rows)),
    },
    o,
  );
}
