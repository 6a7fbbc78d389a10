// `courtside evaluate`: the stored walk-forward predictions against what happened, next to three
// baselines computed here from the same games (season average to date, last-10 average, an
// exponentially weighted average), on every played player-game of the range (minutes > 0).
import type { IsoDate } from '../../core/dates.js';
import { CourtsideError } from '../../core/errors.js';
import type { QueryOptions, Row, Warehouse } from '../../warehouse/warehouse.js';
import { errorSummary, pairedDifference, quintiles, wilsonInterval } from './statistics.js';

/** Picks needed before a hit rate means anything: a true 55% needs ~2,200 to tell from 52.4%. */
export const MIN_PICKS = 2000;
/** Break-even hit rate at -110 on both sides. */
export const BREAK_EVEN = 110 / 210;
export const EWMA_DECAY = 0.9;
const BOOTSTRAP = { replicates: 2000, level: 0.95, seed: 20_230_409 };

export interface EvaluatedGame {
  readonly date: IsoDate;
  readonly player: string;
  readonly points: number;
  /** Games with minutes before this one this season. */
  readonly priorGames: number;
  readonly starter: boolean;
  readonly seasonAverage: number | null;
  readonly last10: number | null;
  readonly ewma: number | null;
  readonly median: number;
  readonly mean: number;
  readonly q10: number;
  readonly q25: number;
  readonly q75: number;
  readonly q90: number;
  readonly line: number | null;
  readonly pOver: number | null;
  readonly impliedOver: number | null;
}

export interface Evaluation {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly modelVersions: readonly string[];
  readonly counts: Row;
  readonly accuracy: Row[];
  readonly paired: Row[];
  readonly calibration: Row[];
  readonly lines: Row[];
}

interface PlayedGame {
  readonly player_lookup: string;
  readonly season_year: number;
  readonly game_date: string;
  readonly game_id: string;
  readonly points: number;
  readonly starter_flag: boolean;
}

/** Baselines before each game from the player's earlier games of the season (rows sorted by player, season, date). */
export function withBaselines(games: readonly PlayedGame[]): Map<string, Pick<EvaluatedGame, 'priorGames' | 'starter' | 'seasonAverage' | 'last10' | 'ewma'>> {
  const out = new Map<string, Pick<EvaluatedGame, 'priorGames' | 'starter' | 'seasonAverage' | 'last10' | 'ewma'>>();
  let key = '';
  let k = 0;
  let sum = 0;
  let ewSum = 0;
  let ewWeight = 0;
  let recent: { points: number; started: boolean }[] = [];
  for (const g of games) {
    const seasonKey = `${g.player_lookup}|${g.season_year}`;
    if (seasonKey !== key) {
      key = seasonKey;
      k = 0;
      sum = 0;
      ewSum = 0;
      ewWeight = 0;
      recent = [];
    }
    const starts = recent.filter((r) => r.started).length;
    out.set(`${g.player_lookup}|${g.game_id}`, {
      priorGames: k,
      starter: recent.length > 0 && 2 * starts >= recent.length,
      seasonAverage: k > 0 ? sum / k : null,
      last10: recent.length > 0 ? recent.reduce((s, r) => s + r.points, 0) / recent.length : null,
      ewma: ewWeight > 0 ? ewSum / ewWeight : null,
    });
    k += 1;
    sum += g.points;
    ewSum = g.points + EWMA_DECAY * ewSum;
    ewWeight = 1 + EWMA_DECAY * ewWeight;
    recent = [...recent, { points: g.points, started: g.starter_flag }].slice(-10);
  }
  return out;
}

async function checkPredictionsBuilt(wh: Warehouse, from: IsoDate, to: IsoDate, o: QueryOptions): Promise<void> {
  const [r] = await wh.query<{ dates: number; built: number; first_missing: string | null }>(
    `SELECT count(*) AS dates, count(s.partition_date) AS built, min(CASE WHEN s.partition_date IS NULL THEN g.game_date END) AS first_missing
     FROM nba_reference.game_dates g
     LEFT JOIN nba_processing.partition_status s ON s.processor_name = 'PlayerPointsPredictionProcessor' AND s.partition_date = g.game_date
       AND s.status IN ('complete', 'bootstrap_empty')
     WHERE g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    { from, to },
    o,
  );
  if (!r || r.dates === 0) throw new CourtsideError('NO_GAMES', `no game dates between ${from} and ${to} (has \`courtside ingest\` run on this database?)`, 2);
  if (r.built < r.dates) {
    throw new CourtsideError(
      'PREDICTIONS_MISSING',
      `predictions are missing for ${r.dates - r.built} of ${r.dates} game dates between ${from} and ${to} (first: ${r.first_missing}); ` +
        `build them with \`courtside backfill --from ${from} --to ${to}\` (or --processors pred once Phase 4 is built)`,
      2,
    );
  }
}

export async function loadEvaluatedGames(wh: Warehouse, from: IsoDate, to: IsoDate, o: QueryOptions = {}): Promise<{ games: EvaluatedGame[]; played: number; predictedPlayed: number; versions: string[] }> {
  await checkPredictionsBuilt(wh, from, to, o);
  const played = await wh.query<PlayedGame & Row>(
    `SELECT player_lookup, season_year, game_date, game_id, points, starter_flag
     FROM nba_analytics.player_game_summary
     WHERE minutes_played > 0 AND game_date <= CAST($to AS DATE)
       AND season_year IN (SELECT season_year FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE))
     ORDER BY player_lookup, season_year, game_date, game_id`,
    { from, to },
    o,
  );
  const baselines = withBaselines(played);
  const predictions = await wh.query(
    `SELECT player_lookup, game_id, model_version, predicted_points_median, predicted_points_mean, points_q10, points_q25, points_q75, points_q90,
            points_line, p_over, implied_p_over
     FROM nba_predictions.player_points_predictions WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    { from, to },
    o,
  );
  const byGame = new Map(predictions.map((p) => [`${p['player_lookup']}|${p['game_id']}`, p]));
  const games: EvaluatedGame[] = [];
  let inRange = 0;
  for (const g of played) {
    if (g.game_date < from) continue;
    inRange += 1;
    const p = byGame.get(`${g.player_lookup}|${g.game_id}`);
    const b = baselines.get(`${g.player_lookup}|${g.game_id}`);
    if (!p || !b) continue;
    const num = (k: string) => (p[k] === null || p[k] === undefined ? null : Number(p[k]));
    games.push({
      date: g.game_date, player: g.player_lookup, points: g.points, ...b,
      median: Number(p['predicted_points_median']), mean: Number(p['predicted_points_mean']),
      q10: Number(p['points_q10']), q25: Number(p['points_q25']), q75: Number(p['points_q75']), q90: Number(p['points_q90']),
      line: num('points_line'), pOver: num('p_over'), impliedOver: num('implied_p_over'),
    });
  }
  const versions = [...new Set(predictions.map((p) => String(p['model_version'])))].sort();
  return { games, played: inRange, predictedPlayed: games.length, versions };
}

const round = (x: number, dp = 4) => (Number.isFinite(x) ? Math.round(x * 10 ** dp) / 10 ** dp : null);

const GROUPS: readonly { readonly name: string; readonly keep: (g: EvaluatedGame) => boolean }[] = [
  { name: 'all played (>= 1 earlier game)', keep: (g) => g.priorGames >= 1 },
  { name: '>= 10 earlier games', keep: (g) => g.priorGames >= 10 },
  { name: 'starters (started >= half of last 10)', keep: (g) => g.priorGames >= 1 && g.starter },
];

const BASELINES: readonly { readonly name: string; readonly value: (g: EvaluatedGame) => number }[] = [
  { name: 'season average to date', value: (g) => g.seasonAverage as number },
  { name: 'last 10 average', value: (g) => g.last10 as number },
  { name: `EWMA (decay ${EWMA_DECAY} per game)`, value: (g) => g.ewma as number },
];

export function evaluateGames(games: readonly EvaluatedGame[], meta: { from: IsoDate; to: IsoDate; played: number; versions: string[] }): Evaluation {
  const accuracy: Row[] = [];
  const paired: Row[] = [];
  for (const group of GROUPS) {
    const rows = games.filter(group.keep);
    const actual = rows.map((g) => g.points);
    const add = (predictor: string, predicted: number[]) => {
      const s = errorSummary(predicted, actual);
      accuracy.push({ group: group.name, predictor, n: s.n, mae: round(s.mae), rmse: round(s.rmse), bias: round(s.bias) });
    };
    add('model (median)', rows.map((g) => g.median));
    add('model (mean)', rows.map((g) => g.mean));
    for (const b of BASELINES) add(b.name, rows.map(b.value));
    for (const b of BASELINES) {
      const d = pairedDifference(rows.map((g) => g.date), rows.map((g) => g.median - g.points), rows.map((g) => b.value(g) - g.points), BOOTSTRAP);
      paired.push({ group: group.name, baseline: b.name, n: d.n, dates: d.dates, mae_difference: round(d.difference), ci95_low: round(d.low), ci95_high: round(d.high) });
    }
  }
  const first = games.filter((g) => g.priorGames === 0);
  const firstSummary = errorSummary(first.map((g) => g.median), first.map((g) => g.points));
  accuracy.push({ group: 'first game of the season (no baseline)', predictor: 'model (median)', n: firstSummary.n, mae: round(firstSummary.mae), rmse: round(firstSummary.rmse), bias: round(firstSummary.bias) });
  const evaluated = games.filter((g) => g.priorGames >= 1);
  return {
    from: meta.from,
    to: meta.to,
    modelVersions: meta.versions,
    counts: {
      played_player_games: meta.played,
      with_prediction: games.length,
      without_prediction: meta.played - games.length,
      evaluated_with_baselines: evaluated.length,
      first_games_predicted: first.length,
    },
    accuracy,
    paired,
    calibration: calibration(evaluated),
    lines: linesSection(games),
  };
}

function coverage(rows: readonly EvaluatedGame[]): Row {
  const c50 = rows.filter((g) => g.points >= g.q25 && g.points <= g.q75).length;
  const c80 = rows.filter((g) => g.points >= g.q10 && g.points <= g.q90).length;
  return { n: rows.length, coverage_50: round(c50 / rows.length), coverage_80: round(c80 / rows.length) };
}

/** Coverage of the 50% (q25..q75) and 80% (q10..q90) intervals, overall and per quintile of the predicted median. */
function calibration(rows: readonly EvaluatedGame[]): Row[] {
  if (rows.length === 0) return [];
  const q = quintiles(rows.map((g) => g.median));
  const out: Row[] = [{ slice: 'all', median_from: null, median_to: null, ...coverage(rows) }];
  for (let k = 1; k <= 5; k++) {
    const slice = rows.filter((_g, i) => q[i] === k);
    // fewer than 5 rows leave a quintile empty: no range (Math.min of nothing is Infinity, printed as such)
    const medians = slice.map((g) => g.median);
    const empty = medians.length === 0;
    out.push({ slice: `quintile ${k}`, median_from: empty ? null : Math.min(...medians), median_to: empty ? null : Math.max(...medians), ...coverage(slice) });
  }
  return out;
}

/** The real lines: the line's own MAE, the model's on the same rows, and the hit rate of the model's side. */
function linesSection(games: readonly EvaluatedGame[]): Row[] {
  const withLine = games.filter((g) => g.line !== null);
  if (withLine.length === 0) return [{ rows: 0, verdict: 'no points lines in range' }];
  const lineErr = errorSummary(withLine.map((g) => g.line as number), withLine.map((g) => g.points));
  const modelErr = errorSummary(withLine.map((g) => g.median), withLine.map((g) => g.points));
  let picks = 0;
  let hits = 0;
  for (const g of withLine) {
    const line = g.line as number;
    if (g.points === line || g.pOver === null) continue; // a push, or no distribution
    // the model's side: against the no-vig market where prices exist, else against a coin flip
    const over = g.impliedOver !== null ? g.pOver > g.impliedOver : g.pOver > 0.5;
    picks += 1;
    if ((over && g.points > line) || (!over && g.points < line)) hits += 1;
  }
  const w = wilsonInterval(hits, picks);
  return [{
    rows: withLine.length,
    dates: new Set(withLine.map((g) => g.date)).size,
    line_mae: round(lineErr.mae),
    model_mae: round(modelErr.mae),
    picks,
    hits,
    hit_rate: picks > 0 ? round(hits / picks) : null,
    wilson95_low: round(w.low),
    wilson95_high: round(w.high),
    break_even: round(BREAK_EVEN),
    verdict: picks < MIN_PICKS ? `insufficient sample (${picks} picks < ${MIN_PICKS.toLocaleString('en-US')})` : 'sample large enough to compare with break-even',
  }];
}

export async function evaluate(wh: Warehouse, from: IsoDate, to: IsoDate, o: QueryOptions = {}): Promise<Evaluation> {
  const loaded = await loadEvaluatedGames(wh, from, to, o);
  return evaluateGames(loaded.games, { from, to, played: loaded.played, versions: loaded.versions });
}
