// PDC: each player's season-to-date and recent form as of the morning of a game date.
import { standardAudits } from '../audits.js';
import { lookback, processorRows, reads, sameDay } from '../dependency.js';
import { playerShotZoneAnalysis } from '../player-shot-zone-analysis/definition.js';
import type { ProcessorDefinition } from '../processor.js';
import { processorQueries, withQueries } from '../sql-file.js';

const TABLE = 'nba_precompute.player_daily_cache';

export const playerDailyCache: ProcessorDefinition = withQueries({
  key: 'pdc',
  processorName: 'PlayerDailyCacheProcessor',
  outputTable: TABLE,
  grain: 'One row per player expected to play on cache_date, with his form from games before that date this season.',
  dateColumn: 'cache_date',
  entityColumn: 'player_lookup',
  version: 'v2',
  dependsOn: ['psza'],
  dependencies: [
    lookback('nba_analytics.player_game_summary', 30, { columns: ['points', 'minutes_played', 'usage_rate'], ratio: 0.9 }),
    lookback('nba_analytics.team_offense_game_summary', 30, { columns: ['pace', 'offensive_rating'], ratio: 0.95 }),
    sameDay('nba_analytics.upcoming_player_game_context', { columns: ['player_lookup', 'team_abbr'], ratio: 1 }),
    processorRows('psza', { columns: ['primary_scoring_zone'], ratio: 0.5 }),
  ],
  // what the SQL reads before D (the 30-day checks above are about enough recent data, not about this)
  reads: [
    reads('nba_analytics.player_game_summary', { seasons: 1 }, 'season-to-date averages from his first game of the season, his last 5 and 10 games before D; the shortfall causes'),
    reads('nba_analytics.team_offense_game_summary', { seasons: 1 }, "his team's last 10 games before D this season"),
  ],
  thresholds: { min_games: 5, psza_min_games: playerShotZoneAnalysis.thresholds['min_games'] ?? 10 },
  ddl: `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  cache_date DATE NOT NULL,
  game_id VARCHAR NOT NULL,
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  season_year INTEGER NOT NULL,
  points_avg_last_5 DOUBLE NOT NULL,
  points_avg_last_10 DOUBLE NOT NULL,
  points_avg_season DOUBLE NOT NULL,
  points_std_last_10 DOUBLE,              -- sample sd
  minutes_avg_last_10 DOUBLE NOT NULL,
  minutes_avg_season DOUBLE NOT NULL,
  ppm_avg_last_10 DOUBLE,                 -- points per minute over the last 10 games (exact sums), 4 dp
  usage_rate_last_10 DOUBLE,              -- minutes-weighted: sum(usage x minutes) / sum(minutes)
  ts_pct_last_10 DOUBLE,
  player_usage_rate_season DOUBLE,        -- minutes-weighted, season to date
  games_played_season INTEGER NOT NULL,
  games_in_sample_10 INTEGER NOT NULL,
  early_season_flag BOOLEAN NOT NULL,     -- fewer than 10 games
  team_pace_last_10 DOUBLE,
  team_off_rating_last_10 DOUBLE,
  team_games_in_sample INTEGER NOT NULL,
  days_rest INTEGER,
  back_to_back BOOLEAN,
  games_in_last_7_days INTEGER,
  games_in_last_14_days INTEGER,
  minutes_in_last_7_days DOUBLE,
  minutes_in_last_14_days DOUBLE,
  avg_minutes_per_game_last_7 DOUBLE,
  back_to_backs_last_14_days INTEGER,
  player_age DOUBLE,
  has_shot_zone_data BOOLEAN NOT NULL,
  primary_scoring_zone VARCHAR,
  paint_rate_last_10 DOUBLE,
  mid_range_rate_last_10 DOUBLE,
  three_pt_rate_last_10 DOUBLE,
  assisted_rate_last_10 DOUBLE,           -- fraction 0-1
  source_last_game_date DATE NOT NULL,
  source_first_game_date DATE,           -- earliest game read; within the declared history window
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);
-- columns added after the first release, for warehouses created before them
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS source_first_game_date DATE;
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS ppm_avg_last_10 DOUBLE;`,
  audits: standardAudits(TABLE, 'cache_date', 'player_lookup'),
}, () => processorQueries(import.meta.url, 'player-daily-cache.sql'));
