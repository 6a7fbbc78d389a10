// TDZA: how each team defends each shot zone over its last 15 games, against the league.
import { standardAudits } from '../audits.js';
import { lookback, reads } from '../dependency.js';
import type { ProcessorDefinition } from '../processor.js';
import { processorQueries, withQueries } from '../sql-file.js';

const TABLE = 'nba_precompute.team_defense_zone_analysis';

export const teamDefenseZoneAnalysis: ProcessorDefinition = withQueries({
  key: 'tdza',
  processorName: 'TeamDefenseZoneAnalysisProcessor',
  outputTable: TABLE,
  grain: 'One row per team on the season schedule per analysis_date, from its last 15 games as defender before that date.',
  dateColumn: 'analysis_date',
  entityColumn: 'team_abbr',
  version: 'v2',
  dependsOn: [],
  dependencies: [
    lookback('nba_analytics.team_defense_game_summary', 30, {
      columns: ['opp_paint_attempts', 'opp_mid_range_attempts', 'opp_three_pt_attempts', 'defensive_rating'], ratio: 0.95,
    }),
  ],
  // what the SQL reads before D (the 30-day check above is about enough recent data, not about this)
  reads: [
    reads('nba_analytics.team_defense_game_summary', { seasons: 1 },
      "the team's last 15 games before D this season (past 30 days after a break), the league average's 30 days within the season, the shortfall causes' season calendar"),
  ],
  thresholds: { min_games: 15, league_window_days: 30, league_min_games: 10, league_min_teams: 10 },
  ddl: `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  team_abbr VARCHAR NOT NULL,
  analysis_date DATE NOT NULL,
  season_year INTEGER NOT NULL,
  paint_pct_allowed_last_15 DOUBLE,          -- opponent makes / attempts, 3 dp
  mid_range_pct_allowed_last_15 DOUBLE,
  three_pt_pct_allowed_last_15 DOUBLE,
  paint_attempts_allowed_per_game DOUBLE,
  mid_range_attempts_allowed_per_game DOUBLE,
  three_pt_attempts_allowed_per_game DOUBLE,
  paint_points_allowed_per_game DOUBLE,
  blocks_paint_per_game DOUBLE,
  blocks_mid_range_per_game DOUBLE,
  blocks_three_pt_per_game DOUBLE,
  opponent_points_per_game DOUBLE,
  defensive_rating_last_15 DOUBLE,
  opponent_pace DOUBLE,
  league_avg_paint_pct DOUBLE NOT NULL,
  league_avg_mid_range_pct DOUBLE NOT NULL,
  league_avg_three_pt_pct DOUBLE NOT NULL,
  league_avg_source VARCHAR NOT NULL,        -- computed | default (fewer than league_min_teams teams)
  league_teams_in_average INTEGER NOT NULL,
  paint_defense_vs_league_avg DOUBLE,        -- (team - league) x 100, 2 dp; positive = worse defence
  mid_range_defense_vs_league_avg DOUBLE,
  three_pt_defense_vs_league_avg DOUBLE,
  paint_defense_vs_league_avg_unrounded DOUBLE,  -- the same, unrounded: what later steps compute with
  mid_range_defense_vs_league_avg_unrounded DOUBLE,
  three_pt_defense_vs_league_avg_unrounded DOUBLE,
  strongest_zone VARCHAR,
  weakest_zone VARCHAR,
  games_in_sample INTEGER NOT NULL,
  data_quality_tier VARCHAR NOT NULL,
  source_last_game_date DATE NOT NULL,
  source_first_game_date DATE,           -- earliest game read; within the declared history window
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);
-- columns added after the first release, for warehouses created before them
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS source_first_game_date DATE;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS paint_defense_vs_league_avg_unrounded DOUBLE;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS mid_range_defense_vs_league_avg_unrounded DOUBLE;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS three_pt_defense_vs_league_avg_unrounded DOUBLE;`,
  audits: standardAudits(TABLE, 'analysis_date', 'team_abbr'),
}, () => processorQueries(import.meta.url, 'team-defense-zone-analysis.sql'));
