// The slate of one date: its games (with the odds' total and spread) and the players of those
// games from the pre-game context, with their key MLFS features, prop line and, where Phase 5
// exists, the prediction and its edge. Past dates also show what he actually scored.
import type { IsoDate } from '../../core/dates.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';
import { featureRows } from './player.js';
import { predictionsAvailability, PREDICTIONS_TABLE } from './predictions.js';

/**
 * The MLFS features shown per player, in this order. (Not vegas_points_line: without a line it holds
 * a default; the context's current_points_line is shown as the prop line instead.)
 */
export const KEY_FEATURES = ['points_avg_last_5', 'points_avg_last_10', 'points_avg_season', 'points_std_last_10', 'minutes_avg_last_10', 'fatigue_score', 'opponent_def_rating'] as const;

export interface SlatePlayer {
  readonly player_lookup: string;
  readonly player_name: string;
  readonly game_id: string;
  readonly team_abbr: string;
  readonly opponent_team_abbr: string;
  readonly home_game: boolean;
  readonly days_rest: number | null;
  readonly back_to_back: boolean | null;
  readonly current_points_line: number | null;
  /** KEY_FEATURES by name; empty when MLFS has no row for him that date. */
  readonly features: Readonly<Record<string, number | null>>;
  readonly feature_quality_score: number | null;
  readonly prediction: { readonly median: number | null; readonly q10: number | null; readonly q90: number | null; readonly line: number | null; readonly p_over: number | null; readonly edge: number | null } | null;
  readonly actual_points: number | null;
  readonly actual_minutes: number | null;
}

export interface SlateView {
  readonly date: IsoDate;
  readonly previous_date: IsoDate | null;
  readonly next_date: IsoDate | null;
  readonly games: Row[];
  readonly players: readonly SlatePlayer[];
  readonly predictions_note: string | null;
}

/** The latest date with feature vectors (what an analyst looks at), else the latest game date. */
export async function defaultSlateDate(wh: Warehouse): Promise<IsoDate | null> {
  const [r] = await wh.query<{ d: string | null }>(
    `SELECT coalesce((SELECT max(game_date) FROM nba_predictions.ml_feature_store_v2), (SELECT max(game_date) FROM nba_reference.game_dates)) AS d`,
  );
  return r?.d ?? null;
}

export async function loadSlate(wh: Warehouse, date: IsoDate): Promise<SlateView> {
  const [around] = await wh.query<{ previous_date: string | null; next_date: string | null }>(
    `SELECT (SELECT max(game_date) FROM nba_reference.game_dates WHERE game_date < CAST($date AS DATE)) AS previous_date,
       (SELECT min(game_date) FROM nba_reference.game_dates WHERE game_date > CAST($date AS DATE)) AS next_date`,
    { date },
  );
  const games = await wh.query(
    `SELECT s.game_id, s.away_team_abbr, s.home_team_abbr, s.away_points, s.home_points, t.game_total, t.game_spread
FROM nba_reference.schedule s
LEFT JOIN nba_analytics.upcoming_team_game_context t ON t.game_id = s.game_id AND t.team_abbr = s.home_team_abbr
WHERE s.game_date = CAST($date AS DATE) ORDER BY s.game_id`,
    { date },
  );
  const availability = await predictionsAvailability(wh);
  const withPredictions = availability.available;
  const rows = await wh.query(
    `SELECT c.player_lookup, coalesce(r.player_name, c.player_lookup) AS player_name, c.game_id, c.team_abbr, c.opponent_team_abbr,
       c.home_game, c.days_rest, c.back_to_back, c.current_points_line,
       f.features, f.feature_names, f.feature_quality_score,
       g.points AS actual_points, g.minutes_played AS actual_minutes
       ${withPredictions ? ', p.predicted_points_median, p.points_q10, p.points_q90, p.points_line, p.p_over, p.edge' : ''}
FROM nba_analytics.upcoming_player_game_context c
LEFT JOIN nba_reference.nba_players_registry r ON r.universal_player_id = c.universal_player_id
LEFT JOIN nba_predictions.ml_feature_store_v2 f ON f.player_lookup = c.player_lookup AND f.game_date = c.game_date
LEFT JOIN nba_analytics.player_game_summary g ON g.player_lookup = c.player_lookup AND g.game_id = c.game_id
${withPredictions ? `LEFT JOIN ${PREDICTIONS_TABLE} p ON p.player_lookup = c.player_lookup AND p.game_date = c.game_date` : ''}
WHERE c.game_date = CAST($date AS DATE)
ORDER BY c.game_id, c.team_abbr, c.player_lookup`,
    { date },
  );
  const players = rows.map((r): SlatePlayer => {
    const all = new Map(featureRows(r).map((f) => [f.name, f.value]));
    const features: Record<string, number | null> = {};
    for (const name of KEY_FEATURES) if (all.has(name)) features[name] = all.get(name) ?? null;
    const num = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
    return {
      player_lookup: String(r['player_lookup']),
      player_name: String(r['player_name']),
      game_id: String(r['game_id']),
      team_abbr: String(r['team_abbr']),
      opponent_team_abbr: String(r['opponent_team_abbr']),
      home_game: r['home_game'] === true,
      days_rest: num('days_rest'),
      back_to_back: r['back_to_back'] === null ? null : r['back_to_back'] === true,
      current_points_line: num('current_points_line'),
      features,
      feature_quality_score: num('feature_quality_score'),
      prediction: withPredictions && r['predicted_points_median'] !== null && r['predicted_points_median'] !== undefined
        ? { median: num('predicted_points_median'), q10: num('points_q10'), q90: num('points_q90'), line: num('points_line'), p_over: num('p_over'), edge: num('edge') }
        : null,
      actual_points: num('actual_points'),
      actual_minutes: num('actual_minutes'),
    };
  });
  // Within a game and team, the likeliest scorers first (by his pre-game 10-game average).
  const byForm = (p: SlatePlayer) => p.features['points_avg_last_10'] ?? -1;
  players.sort((a, b) => a.game_id.localeCompare(b.game_id) || a.team_abbr.localeCompare(b.team_abbr) || byForm(b) - byForm(a) || a.player_lookup.localeCompare(b.player_lookup));
  return {
    date,
    previous_date: around?.previous_date ?? null,
    next_date: around?.next_date ?? null,
    games,
    players,
    predictions_note: availability.note,
  };
}
