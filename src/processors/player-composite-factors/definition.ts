// PCF: four pre-game adjustments per player (fatigue, shot-zone mismatch, pace, usage spike).
import { standardAudits } from '../audits.js';
import { lookback, processorRows, reads, sameDay } from '../dependency.js';
import { playerShotZoneAnalysis } from '../player-shot-zone-analysis/definition.js';
import type { ProcessorDefinition } from '../processor.js';
import { processorQueries, withQueries } from '../sql-file.js';
import { teamDefenseZoneAnalysis } from '../team-defense-zone-analysis/definition.js';

const TABLE = 'nba_precompute.player_composite_factors';

export const playerCompositeFactors: ProcessorDefinition = withQueries({
  key: 'pcf',
  processorName: 'PlayerCompositeFactorsProcessor',
  outputTable: TABLE,
  grain: 'One row per player per game on game_date, with four adjustment factors from what was known before that date.',
  // The usage spike compares minutes-weighted usage (sum of usage x minutes / sum of minutes) over his
  // last 5 games with his season's: a per-minute rate averaged per game lets a 2-minute cameo dominate.
  dateColumn: 'game_date',
  entityColumn: 'player_lookup',
  version: 'v3_4factors',
  dependsOn: ['psza', 'tdza'],
  dependencies: [
    sameDay('nba_analytics.upcoming_player_game_context', { columns: ['games_in_last_7_days', 'minutes_in_last_7_days'], ratio: 0.95 }),
    sameDay('nba_analytics.upcoming_team_game_context', { columns: ['team_abbr'], ratio: 1, critical: false }),
    lookback('nba_analytics.team_offense_game_summary', 30, { columns: ['pace'], ratio: 0.95 }),
    lookback('nba_analytics.player_game_summary', 30, { columns: ['usage_rate'], ratio: 0.9 }),
    processorRows('psza', { columns: ['primary_scoring_zone'], ratio: 0.5 }),
    processorRows('tdza', { columns: ['paint_defense_vs_league_avg'], ratio: 0.9 }),
  ],
  // what the SQL reads before D (the 30-day checks above are about enough recent data, not about this)
  reads: [
    reads('nba_analytics.player_game_summary', { seasons: 1 }, 'his season-to-date usage (from his first game of the season) and his last 5 games before D; the shortfall causes'),
    reads('nba_analytics.team_offense_game_summary', { seasons: 1 }, "both teams' last 10 games before D this season (pace)"),
    reads('nba_analytics.team_defense_game_summary', { seasons: 1 }, "the shortfall causes of a missing TDZA row count the defense summary's games of the season before D"),
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
  usage_spike_score DOUBLE NOT NULL,       -- +-3: (usage last 5 - season usage) x 0.3, both minutes-weighted
  total_composite_adjustment DOUBLE NOT NULL,
  fatigue_context_json JSON,
  shot_zone_context_json JSON,
  pace_context_json JSON,
  usage_context_json JSON,
  data_completeness_pct INTEGER NOT NULL,  -- 20 per input present: rest, usage, pace, PSZA, TDZA
  warnings VARCHAR[] NOT NULL,
  source_last_game_date DATE,
  source_first_game_date DATE,           -- earliest game read; within the declared history window
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);
-- columns added after the first release, for warehouses created before them
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS source_first_game_date DATE;`,
  audits: standardAudits(TABLE, 'game_date', 'player_lookup'),
}, () => processorQueries(import.meta.url, 'player-composite-factors.sql'));
