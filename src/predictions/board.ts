// The day's board of `courtside report`: one row per predicted player, the lines first (by edge),
// then everyone else by predicted points.
import type { IsoDate } from '../core/dates.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';

interface BoardRow extends Row {
  readonly target_source: string;
  readonly missed_last_team_game: boolean;
  readonly few_games: boolean;
  readonly has_feature_store_row: boolean;
  readonly no_game_odds: boolean;
  readonly model_kind: string;
}

/** Short words for the data-quality flags of a prediction. */
export function flagWords(r: Omit<BoardRow, keyof Row> & Row): string {
  return [
    r.target_source === 'roster' ? 'absent' : null, // not in his team's last 10 games
    r.target_source === 'opener' ? 'last-season-team' : null,
    r.missed_last_team_game && r.target_source !== 'roster' ? 'missed-last' : null,
    r.few_games ? 'few-games' : null,
    r.has_feature_store_row ? null : 'no-mlfs',
    r.no_game_odds ? 'no-odds' : null,
    r.model_kind === 'prior' ? 'prior-model' : null,
  ].filter((w) => w !== null).join(' ');
}

export async function predictionBoard(wh: Warehouse, date: IsoDate): Promise<Row[]> {
  const rows = await wh.query<BoardRow>(
    `SELECT player_lookup, team_abbr, opponent_team_abbr, predicted_points_median, points_q10, points_q90, expected_minutes,
            points_line, p_over, implied_p_over, edge,
            target_source, missed_last_team_game, few_games, has_feature_store_row, no_game_odds, model_kind
     FROM nba_predictions.player_points_predictions
     WHERE game_date = CAST($date AS DATE)
     ORDER BY CASE WHEN points_line IS NULL THEN 1 ELSE 0 END, edge DESC NULLS LAST, predicted_points_median DESC, player_lookup`,
    { date },
  );
  return rows.map((r) => ({
    player: r['player_lookup'],
    team: r['team_abbr'],
    opponent: r['opponent_team_abbr'],
    median: r['predicted_points_median'],
    low_80: r['points_q10'],
    high_80: r['points_q90'],
    minutes: r['expected_minutes'],
    line: r['points_line'],
    p_over: r['p_over'],
    market_p_over: r['implied_p_over'],
    edge: r['edge'],
    flags: flagWords(r),
  }));
}
