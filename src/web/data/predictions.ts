// Phase 5 is built separately: the dashboard shows predictions only where the table exists with
// the columns it reads, and says why they are missing otherwise.
import type { Warehouse } from '../../warehouse/warehouse.js';

export const PREDICTIONS_TABLE = 'nba_predictions.player_points_predictions';
export const PREDICTION_COLUMNS = ['game_date', 'player_lookup', 'predicted_points_median', 'points_q10', 'points_q90', 'points_line', 'p_over', 'edge'] as const;

export interface PredictionsAvailability {
  readonly available: boolean;
  /** Why predictions are not shown, for the page. */
  readonly note: string | null;
}

export async function predictionsAvailability(wh: Warehouse): Promise<PredictionsAvailability> {
  const [schema, table] = PREDICTIONS_TABLE.split('.') as [string, string];
  const rows = await wh.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $schema AND table_name = $table`,
    { schema, table },
  );
  if (rows.length === 0) return { available: false, note: `no predictions yet (${PREDICTIONS_TABLE} does not exist)` };
  const have = new Set(rows.map((r) => r.column_name));
  const missing = PREDICTION_COLUMNS.filter((c) => !have.has(c));
  if (missing.length > 0) return { available: false, note: `${PREDICTIONS_TABLE} lacks ${missing.join(', ')}` };
  return { available: true, note: null };
}
