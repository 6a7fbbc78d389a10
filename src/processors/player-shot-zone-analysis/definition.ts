// PSZA: where each player shoots from, over his last 10 games before the date.
import { standardAudits } from '../audits.js';
import { lookback, reads, sameDay } from '../dependency.js';
import type { ProcessorDefinition } from '../processor.js';
import { processorQueries, withQueries } from '../sql-file.js';

const TABLE = 'nba_precompute.player_shot_zone_analysis';

export const playerShotZoneAnalysis: ProcessorDefinition = withQueries({
  key: 'psza',
  processorName: 'PlayerShotZoneAnalysisProcessor',
  outputTable: TABLE,
  grain: 'One row per player expected to play on analysis_date, from his last 10 games before that date this season.',
  dateColumn: 'analysis_date',
  entityColumn: 'player_lookup',
  version: 'v2',
  dependsOn: [],
  dependencies: [
    lookback('nba_analytics.player_game_summary', 20, {
      // zone columns empty while rows exist was the prior art's silent contamination
      columns: ['paint_attempts', 'mid_range_attempts', 'three_pt_attempts', 'minutes_played'], ratio: 0.95,
    }),
    sameDay('nba_analytics.upcoming_player_game_context', { columns: ['player_lookup', 'team_abbr'], ratio: 1 }),
  ],
  // what the SQL reads before D (the 20-day check above is about enough recent data, not about this)
  reads: [
    reads('nba_analytics.player_game_summary', { seasons: 1 },
      'his last 10 and 20 games before D this season (further back than 20 days for a player who missed games); the shortfall causes count his team\'s games of the season before D'),
  ],
  thresholds: { min_games: 10, min_games_20: 15 },
  ddl: `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  analysis_date DATE NOT NULL,
  game_id VARCHAR NOT NULL,              -- the game on analysis_date this row is for
  team_abbr VARCHAR NOT NULL,
  season_year INTEGER NOT NULL,
  paint_rate_last_10 DOUBLE,             -- percent of zone attempts, 2 dp
  mid_range_rate_last_10 DOUBLE,
  three_pt_rate_last_10 DOUBLE,
  paint_attempts_last_10 INTEGER,        -- the rates' exact inputs, for steps that compute with a rate
  mid_range_attempts_last_10 INTEGER,
  three_pt_attempts_last_10 INTEGER,
  paint_pct_last_10 DOUBLE,              -- makes / attempts, 3 dp; NULL without attempts
  mid_range_pct_last_10 DOUBLE,
  three_pt_pct_last_10 DOUBLE,
  paint_attempts_per_game DOUBLE,        -- 1 dp
  mid_range_attempts_per_game DOUBLE,
  three_pt_attempts_per_game DOUBLE,
  assisted_rate_last_10 DOUBLE,          -- percent of FG makes, 2 dp
  unassisted_rate_last_10 DOUBLE,
  total_shots_last_10 INTEGER,
  games_in_sample_10 INTEGER NOT NULL,
  paint_rate_last_20 DOUBLE,             -- NULL with fewer than min_games_20 games
  paint_pct_last_20 DOUBLE,
  games_in_sample_20 INTEGER NOT NULL,
  primary_scoring_zone VARCHAR,          -- paint | perimeter | mid_range | balanced; NULL without shots
  games_in_sample INTEGER NOT NULL,
  data_quality_tier VARCHAR NOT NULL,
  sample_quality_10 VARCHAR NOT NULL,
  sample_quality_20 VARCHAR NOT NULL,
  source_last_game_date DATE NOT NULL,   -- latest game read; always < analysis_date
  source_first_game_date DATE,           -- earliest game read; within the declared history window
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);
-- columns added after the first release, for warehouses created before them
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS source_first_game_date DATE;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS paint_attempts_last_10 INTEGER;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS mid_range_attempts_last_10 INTEGER;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS three_pt_attempts_last_10 INTEGER;`,
  audits: standardAudits(TABLE, 'analysis_date', 'player_lookup'),
}, () => processorQueries(import.meta.url, 'player-shot-zone-analysis.sql'));
