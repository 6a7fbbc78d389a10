// PCF: four pre-game adjustments per player (fatigue, shot-zone mismatch, pace, usage spike).
import { asOfAudit, grainAudit } from '../audits.js';
import { playerShotZoneAnalysis } from '../player-shot-zone-analysis/definition.js';
import type { ProcessorDefinition } from '../processor.js';
import { composeSql, loadSqlSections } from '../sql-file.js';
import { teamDefenseZoneAnalysis } from '../team-defense-zone-analysis/definition.js';

const sql = loadSqlSections(import.meta.url, 'player-composite-factors.sql');
const TABLE = 'nba_precompute.player_composite_factors';

export const playerCompositeFactors: ProcessorDefinition = {
  key: 'pcf',
  processorName: 'PlayerCompositeFactorsProcessor',
  outputTable: TABLE,
  grain: 'One row per player per game on game_date, with four adjustment factors from what was known before that date.',
  dateColumn: 'game_date',
  entityColumn: 'player_lookup',
  version: 'v2_4factors',
  dependsOn: ['psza', 'tdza'],
  dependencies: [
    {
      source: { table: 'nba_analytics.upcoming_player_game_context', dateColumn: 'game_date' },
      check: 'date_match', minRows: 1, criticalColumns: ['games_in_last_7_days', 'minutes_in_last_7_days'], minNonNullRatio: 0.95, critical: true,
    },
    {
      source: { table: 'nba_analytics.upcoming_team_game_context', dateColumn: 'game_date' },
      check: 'date_match', minRows: 1, criticalColumns: ['team_abbr'], minNonNullRatio: 1, critical: false,
    },
    {
      source: { table: 'nba_analytics.team_offense_game_summary', dateColumn: 'game_date' },
      check: 'lookback', lookbackDays: 30, minRows: 1, criticalColumns: ['pace'], minNonNullRatio: 0.95, critical: true,
    },
    {
      source: { table: 'nba_analytics.player_game_summary', dateColumn: 'game_date' },
      check: 'lookback', lookbackDays: 30, minRows: 1, criticalColumns: ['usage_rate'], minNonNullRatio: 0.9, critical: true,
    },
    { source: { processor: 'psza' }, check: 'date_match', minRows: 1, criticalColumns: ['primary_scoring_zone'], minNonNullRatio: 0.5, critical: true },
    { source: { processor: 'tdza' }, check: 'date_match', minRows: 1, criticalColumns: ['paint_defense_vs_league_avg'], minNonNullRatio: 0.9, critical: true },
  ],
  thresholds: {
    psza_min_games: playerShotZoneAnalysis.thresholds['min_games'] ?? 10,
    tdza_min_games: teamDefenseZoneAnalysis.thresholds['min_games'] ?? 15,
  },
  ddl: `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  game_date DATE NOT NULL,
  game_id VARCHAR NOT NULL,
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  season_year INTEGER NOT NULL,
  fatigue_score INTEGER NOT NULL,          -- 0-100, 100 = fresh
  fatigue_adjustment DOUBLE NOT NULL,      -- (score - 100) / 20
  shot_zone_mismatch_score DOUBLE NOT NULL,  -- +-10, positive = opponent weak where he shoots
  pace_score DOUBLE NOT NULL,              -- +-3
  usage_spike_score DOUBLE NOT NULL,       -- +-3
  total_composite_adjustment DOUBLE NOT NULL,
  fatigue_context_json JSON,
  shot_zone_context_json JSON,
  pace_context_json JSON,
  usage_context_json JSON,
  data_completeness_pct INTEGER NOT NULL,  -- 20 per input present: rest, usage, pace, PSZA, TDZA
  warnings VARCHAR[] NOT NULL,
  source_last_game_date DATE,
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);`,
  computeSql: composeSql(sql, 'candidates', 'compute'),
  failuresSql: composeSql(sql, 'candidates', 'failures'),
  audits: [asOfAudit(TABLE, 'game_date'), grainAudit(TABLE, 'game_date', ['player_lookup'])],
};
