// Phase 5: each expected player's points distribution for a game date (median, mean, quantiles),
// his expected minutes, and where a points line exists, P(over) against the no-vig market.
import { DEFAULT_FIT_SETTINGS, prepareModels } from '../../predictions/fit-models.js';
import { MODEL_VERSION } from '../../predictions/design.js';
import { FITS_TABLE, MODEL_STORE_DDL } from '../../predictions/model-store.js';
import { TRAINING_ROWS_DDL } from '../../predictions/training-rows.js';
import { PLAYER_NAME_RESOLUTION_DDL } from '../../ingest/registry/resolution.js';
import { standardAudits } from '../audits.js';
import { lookback, processorRows, reads, readsOutput, sameDay } from '../dependency.js';
import { mlFeatureStore } from '../ml-feature-store/definition.js';
import type { HistoryWindow, ProcessorDefinition } from '../processor.js';
import { once, withQueries } from '../sql-file.js';
import { predictionQueries } from './queries.js';

const TABLE = 'nba_predictions.player_points_predictions';
// The MLFS row it reads may reach as far back as MLFS does (matchups); his previous season is a prior.
const HISTORY: HistoryWindow = { seasons: mlFeatureStore.historyWindow?.seasons ?? 3, reason: "reads MLFS rows (their matchup history) and the player's previous season as a prior" };
// The compute SQL resolves sportsbook names through the registry's view, which ingest creates; a
// warehouse built without ingest (fixtures) gets it here, never replacing ingest's.
const RESOLUTION_VIEW_DDL = PLAYER_NAME_RESOLUTION_DDL.replace('CREATE OR REPLACE VIEW', 'CREATE VIEW IF NOT EXISTS');
// Read on first use (see withQueries): the training query too, by the same one read.
const queries = once(predictionQueries);

export const playerPointsPredictions: ProcessorDefinition = withQueries({
  key: 'pred',
  processorName: 'PlayerPointsPredictionProcessor',
  outputTable: TABLE,
  grain: 'One points prediction per player expected to play on game_date, from a model fitted on games before that date.',
  dateColumn: 'game_date',
  entityColumn: 'player_lookup',
  version: MODEL_VERSION,
  dependsOn: ['mlfs'],
  historyWindow: HISTORY,
  dependencies: [
    lookback('nba_analytics.player_game_summary', 30, { columns: ['points', 'minutes_played'], ratio: 0.95 }),
    sameDay('nba_analytics.upcoming_player_game_context', { columns: ['player_lookup', 'team_abbr'], ratio: 1 }),
    sameDay('nba_analytics.upcoming_team_game_context', { columns: ['game_total', 'game_spread'], ratio: 0.5, critical: false }),
    processorRows('mlfs', { columns: ['features'], ratio: 1 }),
  ],
  // what the SQL and the model's fit read before D (the 30-day check above is about enough recent data):
  // the model of D is the refit of the Monday R on or before D, fitted on the played games of
  // [R - training_window_days, R - 1] (fit-models.ts), each a training row built as of its own date
  // (its season before it and the season before that, its odds, its MLFS row): up to 371 days of
  // earlier dates, across seasons. Three seasons cover that while seasons start about a year apart (a
  // training window of early 2021-22 would have reached the 2019-20 bubble season and its prior, one more)
  reads: [
    reads('nba_analytics.player_game_summary', { seasons: HISTORY.seasons },
      "his season before D and his previous season (the prior); the training rows' outcomes and their own seasons before them"),
    reads('nba_analytics.team_offense_game_summary', { seasons: 2 }, "his team's points in his games this season, and in the training rows' (which reach into the season before)"),
    reads('nba_analytics.upcoming_team_game_context', { days: { threshold: 'training_window_days' }, anchor: 'monday' }, "the training rows' game odds"),
    readsOutput('mlfs', { days: { threshold: 'training_window_days' }, anchor: 'monday' }, "the training rows' MLFS context features"),
  ],
  thresholds: { min_training_rows: DEFAULT_FIT_SETTINGS.minTrainingRows, training_window_days: DEFAULT_FIT_SETTINGS.trainingWindowDays },
  ddl: `
${RESOLUTION_VIEW_DDL}
${MODEL_STORE_DDL}
${TRAINING_ROWS_DDL}
CREATE TABLE IF NOT EXISTS ${TABLE} (
  game_date DATE NOT NULL,
  player_lookup VARCHAR NOT NULL,
  universal_player_id BIGINT NOT NULL,
  game_id VARCHAR NOT NULL,
  team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL,
  season_year INTEGER NOT NULL,
  target_source VARCHAR NOT NULL,           -- why he is predicted: context (appeared in the team's last 10
                                            -- games) | roster (latest game for the team, absent since) | opener
  predicted_points_median DOUBLE NOT NULL,  -- = points_q50
  predicted_points_mean DOUBLE NOT NULL,
  points_q10 DOUBLE NOT NULL,               -- quantiles of the predictive distribution
  points_q25 DOUBLE NOT NULL,
  points_q50 DOUBLE NOT NULL,
  points_q75 DOUBLE NOT NULL,
  points_q90 DOUBLE NOT NULL,
  expected_minutes DOUBLE NOT NULL,
  model_version VARCHAR NOT NULL,
  model_kind VARCHAR NOT NULL,              -- fitted | prior (too few training rows at the refit)
  refit_date DATE NOT NULL,                 -- the Monday on or before game_date whose fit this is
  training_window_start DATE,               -- first and last date of that fit's training rows
  training_window_end DATE,                 -- always before game_date (NULL: the prior model saw none)
  games_played_season INTEGER NOT NULL,     -- his games with minutes before game_date this season
  has_feature_store_row BOOLEAN NOT NULL,   -- false: bootstrap fortnight or opener (neutral context features)
  few_games BOOLEAN NOT NULL,               -- fewer than 5 games this season: leans on last season
  no_game_odds BOOLEAN NOT NULL,            -- no total/spread for the game: neutral odds features
  missed_last_team_game BOOLEAN NOT NULL,   -- did not play his team's latest game
  points_line DOUBLE,                       -- the latest pre-game points line, where one exists
  line_books INTEGER,                       -- books pricing both sides of that line
  price_book VARCHAR,                       -- the book whose prices are shown
  over_price DOUBLE,                        -- American odds
  under_price DOUBLE,
  p_over DOUBLE,                            -- P(points > line) under the predictive distribution
  p_under DOUBLE,
  implied_p_over DOUBLE,                    -- no-vig: over/(over + under) implied, mean over books
  edge DOUBLE,                              -- p_over - implied_p_over
  source_first_game_date DATE,              -- earliest game any input read (within the history window)
  source_last_game_date DATE,               -- latest game any input read (always before game_date)
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
);`,
  prepare: (tx, params, options) => prepareModels(tx, queries().trainingSql, params, options),
  audits: [
    ...standardAudits(TABLE, 'game_date', 'player_lookup', HISTORY),
    {
      // a refit never sees its prediction date: its training rows end before the refit, which is on or before D
      name: 'training_window_before_date',
      sql: `SELECT p.player_lookup, p.game_date, p.refit_date, p.training_window_end, f.training_window_end AS fit_window_end
            FROM ${TABLE} p
            LEFT JOIN ${FITS_TABLE} f ON f.model_version = p.model_version AND f.refit_date = p.refit_date
            WHERE p.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
              AND (p.refit_date > p.game_date OR p.training_window_end >= p.refit_date OR f.refit_date IS NULL
                   OR f.training_window_end >= p.refit_date OR p.training_window_end <> f.training_window_end)`,
    },
    {
      name: 'quantiles_ordered',
      sql: `SELECT player_lookup, game_date FROM ${TABLE}
            WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
              AND NOT (0 <= points_q10 AND points_q10 <= points_q25 AND points_q25 <= points_q50 AND points_q50 <= points_q75
                       AND points_q75 <= points_q90 AND predicted_points_median = points_q50)`,
    },
    {
      name: 'probabilities_in_range',
      sql: `SELECT player_lookup, game_date FROM ${TABLE}
            WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND points_line IS NOT NULL
              AND (p_over < 0 OR p_over > 1 OR abs(p_over + p_under - 1) > 0.0002 OR implied_p_over < 0 OR implied_p_over > 1)`,
    },
  ],
}, queries);
