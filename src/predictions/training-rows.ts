// The fitting rows (each played game's terms and outcome), computed once and kept: a played game's
// row depends only on what happened up to its date, so the rows of a date stay valid while the
// inputs of every date up to it are unchanged. Each refit reads the rows of its window from here;
// only dates whose inputs changed (or were never computed) go through the training SQL again.
import { createHash } from 'node:crypto';
import type { IsoDate } from '../core/dates.js';
import { queryColumns } from '../warehouse/query-columns.js';
import type { ColumnarResult, QueryOptions, Warehouse } from '../warehouse/warehouse.js';
import { MODEL_VERSION, TERMS } from './design.js';
import { positions } from './model-store.js';

export const TRAINING_ROWS_TABLE = 'nba_predictions.points_model_training_rows';
export const TRAINING_DATES_TABLE = 'nba_predictions.points_model_training_dates';
export const TRAINING_ROWS_TABLES = [TRAINING_ROWS_TABLE, TRAINING_DATES_TABLE] as const;

export const TRAINING_ROWS_DDL = `
-- Grain: one row per played game (player x game_date): the model's terms as computed before the date, and the outcome.
CREATE TABLE IF NOT EXISTS ${TRAINING_ROWS_TABLE} (
  model_version VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  player_lookup VARCHAR NOT NULL,
  k INTEGER NOT NULL,                     -- his games with minutes before this one this season
  points DOUBLE NOT NULL,
  minutes DOUBLE NOT NULL
);
${TERMS.map((t) => `ALTER TABLE ${TRAINING_ROWS_TABLE} ADD COLUMN IF NOT EXISTS ${t.name} DOUBLE;`).join('\n')}
-- Grain: one row per model version and date of kept training rows: the inputs they were computed from.
CREATE TABLE IF NOT EXISTS ${TRAINING_DATES_TABLE} (
  model_version VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  inputs_fingerprint VARCHAR NOT NULL,    -- chained over every date up to game_date (see inputChains)
  PRIMARY KEY (model_version, game_date)
);`;

/**
 * What the training rows are made of, per date: row counts, sums and latest write time of the
 * Phase 3 tables the features read, and MLFS's content checksums.
 */
const INPUT_STATS_SQL = `
SELECT 'games' AS source, game_date AS d, CAST(count(*) AS STRING) AS n, CAST(sum(points) AS STRING) AS a,
       CAST(sum(CAST(minutes_played AS NUMERIC(18, 4))) AS STRING) AS b, CAST(max(processed_at) AS STRING) AS t
FROM nba_analytics.player_game_summary WHERE game_date < CAST($to AS DATE) GROUP BY game_date
UNION ALL
SELECT 'teams', game_date, CAST(count(*) AS STRING), CAST(sum(points) AS STRING), CAST(sum(CAST(pace AS NUMERIC(18, 4))) AS STRING), CAST(max(processed_at) AS STRING)
FROM nba_analytics.team_offense_game_summary WHERE game_date < CAST($to AS DATE) GROUP BY game_date
UNION ALL
SELECT 'odds', game_date, CAST(count(*) AS STRING), CAST(sum(CAST(coalesce(game_total, 0) AS NUMERIC(18, 4))) AS STRING),
       CAST(sum(CAST(coalesce(game_spread, 0) AS NUMERIC(18, 4))) AS STRING), CAST(max(processed_at) AS STRING)
FROM nba_analytics.upcoming_team_game_context WHERE game_date < CAST($to AS DATE) GROUP BY game_date
UNION ALL
SELECT 'schedule', game_date, CAST(count(*) AS STRING), '', '', CAST(max(processed_at) AS STRING)
FROM nba_reference.schedule WHERE game_date < CAST($to AS DATE) GROUP BY game_date
UNION ALL
SELECT 'mlfs', partition_date, status, coalesce(output_checksum, ''), '', ''
FROM nba_processing.partition_status WHERE processor_name = 'MLFeatureStoreProcessor' AND partition_date < CAST($to AS DATE)
ORDER BY d, source`;

/** Per date before `to` (ascending): a hash chained over the input statistics of every date up to it, and whether games were played. */
export interface InputChain {
  readonly date: IsoDate;
  readonly fingerprint: string;
  readonly played: boolean;
}

export async function inputChains(tx: Warehouse, to: IsoDate, o: QueryOptions): Promise<InputChain[]> {
  const rows = await tx.query<{ source: string; d: string; n: string; a: string | null; b: string | null; t: string | null }>(INPUT_STATS_SQL, { to }, o);
  // the design is part of what a row is: change the terms and every date is recomputed
  let chain = createHash('sha256').update(`${MODEL_VERSION}|${JSON.stringify(TERMS)}`).digest('hex');
  const out: InputChain[] = [];
  for (let i = 0; i < rows.length; ) {
    const date = rows[i]?.d as string;
    let played = false;
    for (; i < rows.length && rows[i]?.d === date; i++) {
      const r = rows[i] as (typeof rows)[number];
      if (r.source === 'games' && Number(r.n) > 0) played = true;
      chain = createHash('sha256').update(`${chain}|${r.source}|${r.d}|${r.n}|${r.a ?? ''}|${r.b ?? ''}|${r.t ?? ''}`).digest('hex');
    }
    out.push({ date, fingerprint: chain.slice(0, 32), played });
  }
  return out;
}

/** The chain value of the last date before `date` (the inputs a refit on `date` may read). */
export function chainBefore(chains: readonly InputChain[], date: IsoDate): string {
  let last = '';
  for (const c of chains) {
    if (c.date >= date) break;
    last = c.fingerprint;
  }
  return last;
}

const COLUMNS = ['game_date', 'player_lookup', 'k', 'points', 'minutes', ...TERMS.map((t) => t.name)];

/**
 * The training rows of [from, to], ordered by date and player, by column: dates whose kept rows were computed
 * from other inputs (or never) are recomputed by the training SQL first, inside the caller's
 * transaction. Dates go in as parallel array parameters read at their positions, like the model store's rows.
 */
export async function trainingRows(tx: Warehouse, trainingSql: string, chains: readonly InputChain[], from: IsoDate, to: IsoDate, o: QueryOptions): Promise<ColumnarResult> {
  const wanted = chains.filter((c) => c.played && c.date >= from && c.date <= to);
  const kept = new Map(
    (await tx.query<{ game_date: string; inputs_fingerprint: string }>(
      `SELECT game_date, inputs_fingerprint FROM ${TRAINING_DATES_TABLE}
       WHERE model_version = $version AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
      { version: MODEL_VERSION, from, to },
      o,
    )).map((r) => [r.game_date, r.inputs_fingerprint]),
  );
  // a date whose played games are gone (a re-ingest dated them elsewhere or dropped them) is never
  // recomputed, being no longer wanted: its kept rows would go on training every refit that reads its window
  const wantedDates = new Set(wanted.map((c) => c.date));
  const gone = [...kept.keys()].filter((d) => !wantedDates.has(d));
  for (const table of gone.length > 0 ? [TRAINING_ROWS_TABLE, TRAINING_DATES_TABLE] : []) {
    await tx.exec(`DELETE FROM ${table} WHERE model_version = $version AND game_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})`, { version: MODEL_VERSION, dates: gone }, o);
  }
  const stale = wanted.filter((c) => kept.get(c.date) !== c.fingerprint);
  if (stale.length > 0) {
    // one set-based recomputation from the first stale date to the last
    const range = { from: stale[0]?.date as string, to: stale.at(-1)?.date as string };
    const redo = wanted.filter((c) => c.date >= range.from && c.date <= range.to);
    const versioned = { version: MODEL_VERSION, ...range };
    await tx.exec(`DELETE FROM ${TRAINING_ROWS_TABLE} WHERE model_version = $version AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, versioned, o);
    await tx.exec(`INSERT INTO ${TRAINING_ROWS_TABLE} (model_version, ${COLUMNS.join(', ')}) SELECT $version, ${COLUMNS.join(', ')} FROM (${trainingSql}) x`, versioned, o);
    await tx.exec(
      `DELETE FROM ${TRAINING_DATES_TABLE} WHERE model_version = $version AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
      { version: MODEL_VERSION, ...range },
      o,
    );
    await tx.exec(
      `INSERT INTO ${TRAINING_DATES_TABLE} (model_version, game_date, inputs_fingerprint)
       SELECT $version, CAST(d AS DATE), fp FROM (SELECT {{array_at($dates, i)}} AS d, {{array_at($fps, i)}} AS fp FROM {{unnest_as($rows, i)}}) AS x`,
      { version: MODEL_VERSION, rows: positions(redo.length), dates: redo.map((c) => c.date), fps: redo.map((c) => c.fingerprint) },
      o,
    );
  }
  // read by column: a year of rows is some 26,000 × 76 values, and an object per row costs more than the fit
  return queryColumns(
    tx,
    `SELECT ${COLUMNS.join(', ')} FROM ${TRAINING_ROWS_TABLE}
     WHERE model_version = $version AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY game_date, player_lookup`,
    { version: MODEL_VERSION, from, to },
    o,
  );
}
