// MLFS: one named, versioned feature vector per player and game, with the source of each feature.
import { standardAudits } from '../audits.js';
import { lookback, processorRows, reads, sameDay } from '../dependency.js';
import { playerDailyCache } from '../player-daily-cache/definition.js';
import type { HistoryWindow, ProcessorDefinition } from '../processor.js';
import { processorQueries, withQueries, type ProcessorQueries } from '../sql-file.js';
import { expandFeatureLists, FEATURE_NAMES, FEATURE_VERSION } from './features.js';

const TABLE = 'nba_predictions.ml_feature_store_v2';

/** avg_points_vs_opponent / games_vs_opponent read earlier seasons; everything else reads D's season only. */
const HISTORY: HistoryWindow = {
  seasons: 3,
  reason: 'avg_points_vs_opponent and games_vs_opponent need more than one season of matchups (the prior art read 3 years)',
};

/** The .sql file's queries with their feature lists expanded (read on first use, see withQueries). */
function queries(): ProcessorQueries {
  const q = processorQueries(import.meta.url, 'ml-feature-store.sql', { history_seasons: HISTORY.seasons });
  return {
    computeSql: expandFeatureLists(q.computeSql),
    failuresSql: q.failuresSql,
    staged: { ...q.staged, computeSql: expandFeatureLists(q.staged.computeSql) },
  };
}

export const mlFeatureStore: ProcessorDefinition = withQueries({
  key: 'mlfs',
  processorName: 'MLFeatureStoreProcessor',
  outputTable: TABLE,
  grain: 'One feature vector per player per game on game_date, from what was known before that date.',
  dateColumn: 'game_date',
  entityColumn: 'player_lookup',
  // the feature contract, plus a revision of how its values are computed (a new revision reruns the partitions)
  // (r3: rest_advantage is 0, its default, when either side's rest is unknown; it came out as +2)
  version: `${FEATURE_VERSION}-r3`,
  dependsOn: ['pdc', 'pcf', 'psza', 'tdza'],
  dependencies: [
    sameDay('nba_analytics.upcoming_player_game_context', { columns: ['player_lookup', 'opponent_team_abbr'], ratio: 1 }),
    lookback('nba_analytics.player_game_summary', 30, { columns: ['points', 'minutes_played'], ratio: 0.95 }),
    processorRows('pdc', { columns: ['points_avg_last_10'], ratio: 0.95 }),
    processorRows('pcf', { columns: ['fatigue_score'], ratio: 0.95 }),
    processorRows('psza', { columns: ['paint_rate_last_10'], ratio: 0.5, critical: false }),
    processorRows('tdza', { columns: ['defensive_rating_last_15'], ratio: 0.9, critical: false }),
  ],
  // what the SQL reads before D (the 30-day check above is about enough recent data, not about this);
  // the Phase 4 rows it reads are those of D only (processorRows above)
  reads: [
    reads('nba_analytics.player_game_summary', { seasons: HISTORY.seasons },
      'every earlier game against the opponent in the history window (matchups); the Phase 3 fallback (season to date, last 2/5/10 games); the shortfall causes'),
    reads('nba_analytics.team_offense_game_summary', { seasons: 1 }, "both teams' form before D this season (last 10, season win %)"),
    reads('nba_analytics.team_defense_game_summary', { seasons: 1 }, "both teams' last 15 games before D this season (joined to the offense rows)"),
  ],
  thresholds: { pdc_min_games: playerDailyCache.thresholds['min_games'] ?? 5 },
  historyWindow: HISTORY,
  ddl: `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  game_date DATE NOT NULL,
  game_id VARCHAR NOT NULL,
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  season_year INTEGER NOT NULL,
  features DOUBLE[] NOT NULL,            -- in feature_names order
  feature_names VARCHAR[] NOT NULL,
  feature_count INTEGER NOT NULL,
  feature_version VARCHAR NOT NULL,      -- e.g. v2_31features
  feature_sources VARCHAR[] NOT NULL,    -- phase4 | phase3 | calculated | default, per feature
  feature_quality_score DOUBLE NOT NULL, -- 0-100: mean source weight
  quality_tier VARCHAR NOT NULL,         -- gold >= 95, silver >= 75, bronze >= 50, poor >= 25, critical
  data_source VARCHAR NOT NULL,          -- phase4 | phase4_partial | phase3 | mixed
  features_from_phase4 INTEGER NOT NULL,
  features_from_phase3 INTEGER NOT NULL,
  features_defaulted INTEGER NOT NULL,
  source_last_game_date DATE,            -- NULL only if nothing was read (no games at all)
  source_first_game_date DATE,           -- earliest game read; within the declared history window
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);
-- columns added after the first release, for warehouses created before them
ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS source_first_game_date DATE;`,
  audits: [
    ...standardAudits(TABLE, 'game_date', 'player_lookup', HISTORY),
    {
      name: 'feature_vector_shape',
      // a value that is NULL, NaN or infinite is no number between -1e308 and 1e308 on either engine
      sql: `SELECT m.player_lookup, m.game_date FROM ${TABLE} m
            WHERE m.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
              AND (array_length(m.features) <> ${FEATURE_NAMES.length} OR array_length(m.feature_sources) <> ${FEATURE_NAMES.length}
                   OR {{has_nonfinite(m.features)}})`,
    },
  ],
}, queries);
