// A player's season: points per game with his rolling averages as known before each game (the
// as-of rule: only earlier games of the season with minutes, as PDC counts them), predictions
// where Phase 5 exists, and his MLFS feature vector on one date with each feature's source.
import { seasonLabel, seasonYearOf, type IsoDate } from '../../core/dates.js';
import { playerLookup } from '../../ingest/registry/index.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';
import { NotFoundError } from '../http-errors.js';
import { predictionsAvailability, PREDICTIONS_TABLE, type PredictionsAvailability } from './predictions.js';

export interface PlayerGame {
  readonly game_date: IsoDate;
  readonly game_id: string;
  readonly team_abbr: string;
  readonly opponent_team_abbr: string;
  readonly home_game: boolean;
  readonly minutes_played: number;
  readonly points: number;
  /** Mean points of his last 5 / 10 games before this one; null until he has played that many. */
  readonly avg_last_5_before: number | null;
  readonly avg_last_10_before: number | null;
}

export interface PlayerPrediction {
  readonly game_date: IsoDate;
  readonly predicted_points_median: number | null;
  readonly points_q10: number | null;
  readonly points_q90: number | null;
  readonly points_line: number | null;
  readonly p_over: number | null;
  readonly edge: number | null;
}

export interface FeatureRow {
  readonly index: number;
  readonly name: string;
  readonly value: number | null;
  readonly source: string | null;
}

export interface FeatureVector {
  readonly game_date: IsoDate;
  readonly game_id: string;
  readonly team_abbr: string;
  readonly opponent_team_abbr: string;
  readonly feature_version: string;
  readonly feature_quality_score: number;
  readonly quality_tier: string;
  readonly data_source: string;
  readonly features: readonly FeatureRow[];
}

export interface PlayerView {
  readonly player: { readonly player_lookup: string; readonly player_name: string; readonly universal_player_id: number | null };
  readonly season: { readonly season_year: number; readonly label: string };
  readonly seasons: readonly { readonly season_year: number; readonly label: string }[];
  readonly games: readonly PlayerGame[];
  readonly predictions: readonly PlayerPrediction[];
  readonly predictions_note: string | null;
  /** Dates with a feature vector this season, ascending. */
  readonly feature_dates: readonly IsoDate[];
  readonly feature_date: IsoDate | null;
  readonly feature_vector: FeatureVector | null;
}

const MLFS = 'nba_predictions.ml_feature_store_v2';

export async function loadPlayer(wh: Warehouse, lookup: string, seasonYear: number | undefined, date: IsoDate | undefined): Promise<PlayerView> {
  const [who] = await wh.query<{ player_lookup: string; player_name: string; universal_player_id: number | null }>(
    `SELECT player_lookup, player_name, universal_player_id FROM nba_reference.nba_players_registry WHERE player_lookup = $lookup ORDER BY universal_player_id LIMIT 1`,
    { lookup },
  );
  const seasons = await wh.query<{ season_year: number }>(
    `SELECT DISTINCT season_year FROM nba_analytics.player_game_summary WHERE player_lookup = $lookup ORDER BY season_year`,
    { lookup },
  );
  if (!who && seasons.length === 0) throw new NotFoundError(`no player '${lookup}' in the registry or the game summaries`);
  const season = seasonYear ?? (date ? seasonYearOf(date) : seasons[seasons.length - 1]?.season_year);
  if (season === undefined) throw new NotFoundError(`'${lookup}' has no games`);
  const games = await wh.query<PlayerGame & Row>(
    `SELECT game_date, game_id, team_abbr, opponent_team_abbr, home_game, minutes_played, points,
       CASE WHEN count(*) OVER w5 = 5 THEN avg(points) OVER w5 END AS avg_last_5_before,
       CASE WHEN count(*) OVER w10 = 10 THEN avg(points) OVER w10 END AS avg_last_10_before
FROM nba_analytics.player_game_summary
WHERE player_lookup = $lookup AND season_year = $season AND minutes_played > 0
WINDOW w5 AS (ORDER BY game_date, game_id ROWS BETWEEN 5 PRECEDING AND 1 PRECEDING),
       w10 AS (ORDER BY game_date, game_id ROWS BETWEEN 10 PRECEDING AND 1 PRECEDING)
ORDER BY game_date, game_id`,
    { lookup, season },
  );
  const availability = await predictionsAvailability(wh);
  const predictions = await loadPredictions(wh, availability, lookup, season);
  const featureDates = (
    await wh.query<{ game_date: string }>(`SELECT game_date FROM ${MLFS} WHERE player_lookup = $lookup AND season_year = $season ORDER BY game_date`, { lookup, season })
  ).map((r) => r.game_date);
  const featureDate = date ?? featureDates[featureDates.length - 1] ?? null;
  return {
    player: { player_lookup: lookup, player_name: who?.player_name ?? lookup, universal_player_id: who?.universal_player_id ?? null },
    season: { season_year: season, label: seasonLabel(season) },
    seasons: seasons.map((s) => ({ season_year: s.season_year, label: seasonLabel(s.season_year) })),
    games,
    predictions,
    predictions_note: availability.note ?? (predictions.length === 0 ? `no predictions yet for ${seasonLabel(season)} (\`courtside backfill --processors pred\` builds them)` : null),
    feature_dates: featureDates,
    feature_date: featureDate,
    feature_vector: featureDate ? await loadFeatureVector(wh, lookup, featureDate) : null,
  };
}

async function loadPredictions(wh: Warehouse, availability: PredictionsAvailability, lookup: string, season: number): Promise<PlayerPrediction[]> {
  if (!availability.available) return [];
  // The season's date span from the schedule: predictions may exist for games not yet played.
  return wh.query<PlayerPrediction & Row>(
    `SELECT p.game_date, p.predicted_points_median, p.points_q10, p.points_q90, p.points_line, p.p_over, p.edge
FROM ${PREDICTIONS_TABLE} p
WHERE p.player_lookup = $lookup
  AND p.game_date BETWEEN (SELECT min(game_date) FROM nba_reference.game_dates WHERE season_year = $season)
                      AND (SELECT max(game_date) FROM nba_reference.game_dates WHERE season_year = $season)
ORDER BY p.game_date`,
    { lookup, season },
  );
}

export async function loadFeatureVector(wh: Warehouse, lookup: string, date: IsoDate): Promise<FeatureVector | null> {
  const [row] = await wh.query(
    `SELECT game_date, game_id, team_abbr, opponent_team_abbr, feature_version, feature_quality_score, quality_tier, data_source,
       features, feature_names, feature_sources
FROM ${MLFS} WHERE player_lookup = $lookup AND game_date = CAST($date AS DATE)`,
    { lookup, date },
  );
  if (!row) return null;
  return {
    game_date: String(row['game_date']),
    game_id: String(row['game_id']),
    team_abbr: String(row['team_abbr']),
    opponent_team_abbr: String(row['opponent_team_abbr']),
    feature_version: String(row['feature_version']),
    feature_quality_score: Number(row['feature_quality_score']),
    quality_tier: String(row['quality_tier']),
    data_source: String(row['data_source']),
    features: featureRows(row),
  };
}

/** An MLFS row's parallel arrays (feature_names, features, feature_sources when selected) as one row per feature. */
export function featureRows(row: Row): FeatureRow[] {
  const names = (row['feature_names'] as string[] | null) ?? [];
  const values = (row['features'] as (number | null)[] | null) ?? [];
  const sources = (row['feature_sources'] as (string | null)[] | null) ?? [];
  return names.map((name, i) => ({ index: i, name, value: values[i] ?? null, source: sources[i] ?? null }));
}

export interface PlayerMatch {
  readonly player_lookup: string;
  readonly player_name: string;
  readonly universal_player_id: number;
  readonly games: number;
  readonly last_game: IsoDate;
}

/** Players whose lookup contains the search's lookup, most games first. */
export async function searchPlayers(wh: Warehouse, search: string, limit = 50): Promise<PlayerMatch[]> {
  return wh.query<PlayerMatch & Row>(
    `SELECT r.player_lookup, r.player_name, r.universal_player_id, count(*) AS games, max(g.game_date) AS last_game
FROM nba_reference.nba_players_registry r
JOIN nba_analytics.player_game_summary g ON g.universal_player_id = r.universal_player_id
WHERE strpos(r.player_lookup, $needle) > 0
GROUP BY r.player_lookup, r.player_name, r.universal_player_id
ORDER BY games DESC, r.player_lookup LIMIT $limit`,
    { needle: playerLookup(search), limit },
  );
}
