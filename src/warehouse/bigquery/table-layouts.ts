// Which column each BigQuery table is partitioned and clustered by. Phase 4 outputs take it from the
// processor declaration (date column, entity column); the Phase 3 and bookkeeping tables that are
// read by date ranges are listed here.
import type { TableLayouts } from '../warehouse.js';

/** The part of a processor declaration a layout needs (kept structural: no import of the processors). */
export interface LayoutSource {
  readonly outputTable: string;
  readonly dateColumn: string;
  readonly entityColumn: string;
}

export function processorLayouts(processors: readonly LayoutSource[]): TableLayouts {
  return Object.fromEntries(processors.map((p) => [p.outputTable, { partitionBy: p.dateColumn, clusterBy: [p.entityColumn] }]));
}

/** Phase 3, raw and bookkeeping tables scanned by date range. */
export const SHARED_TABLE_LAYOUTS: TableLayouts = {
  'nba_raw.play_by_play': { partitionBy: 'game_date', clusterBy: ['game_id'] },
  'nba_analytics.player_game_summary': { partitionBy: 'game_date', clusterBy: ['player_lookup'] },
  'nba_analytics.team_offense_game_summary': { partitionBy: 'game_date', clusterBy: ['team_abbr'] },
  'nba_analytics.team_defense_game_summary': { partitionBy: 'game_date', clusterBy: ['defending_team_abbr'] },
  'nba_analytics.upcoming_player_game_context': { partitionBy: 'game_date', clusterBy: ['player_lookup'] },
  'nba_analytics.upcoming_team_game_context': { partitionBy: 'game_date', clusterBy: ['team_abbr'] },
  'nba_processing.partition_status': { partitionBy: 'partition_date', clusterBy: ['processor_name'] },
  'nba_processing.precompute_failures': { partitionBy: 'analysis_date', clusterBy: ['processor_name', 'entity_id'] },
};
