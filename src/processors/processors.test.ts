import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphSnapshot, PROCESSORS, ProcessorGraphError, validateGraph } from './index.js';
import type { ProcessorDefinition } from './processor.js';
import { PROCESSOR_DDL } from './schema.js';

test('the processor graph is pinned: names, tables, date columns, edges', () => {
  const pinned = graphSnapshot().map((p) => [p['key'], p['processorName'], p['outputTable'], p['dateColumn'], p['dependsOn']]);
  assert.deepEqual(pinned, [
    ['psza', 'PlayerShotZoneAnalysisProcessor', 'nba_precompute.player_shot_zone_analysis', 'analysis_date', []],
    ['tdza', 'TeamDefenseZoneAnalysisProcessor', 'nba_precompute.team_defense_zone_analysis', 'analysis_date', []],
    ['pdc', 'PlayerDailyCacheProcessor', 'nba_precompute.player_daily_cache', 'cache_date', ['psza']],
    ['pcf', 'PlayerCompositeFactorsProcessor', 'nba_precompute.player_composite_factors', 'game_date', ['psza', 'tdza']],
    ['mlfs', 'MLFeatureStoreProcessor', 'nba_predictions.ml_feature_store_v2', 'game_date', ['pdc', 'pcf', 'psza', 'tdza']],
    ['pred', 'PlayerPointsPredictionProcessor', 'nba_predictions.player_points_predictions', 'game_date', ['mlfs']],
  ]);
  const thresholds = Object.fromEntries(graphSnapshot().map((p) => [p['key'], p['thresholds']]));
  assert.deepEqual(thresholds, {
    psza: { min_games: 10, min_games_20: 15 },
    tdza: { min_games: 15, league_window_days: 30, league_min_games: 10, league_min_teams: 10 },
    pdc: { min_games: 5, psza_min_games: 10 },
    pcf: { psza_min_games: 10, tdza_min_games: 15 },
    mlfs: { pdc_min_games: 5 },
    pred: { min_training_rows: 2000, training_window_days: 365 },
  });
  for (const p of graphSnapshot()) assert.ok((p['audits'] as string[]).includes('as_of_window') && (p['audits'] as string[]).includes('grain_unique'));
});

function fake(key: ProcessorDefinition['key'], dependsOn: ProcessorDefinition['key'][]): ProcessorDefinition {
  const base = PROCESSORS.find((p) => p.key === key) as ProcessorDefinition;
  return { ...base, dependsOn };
}

test('the graph loader orders by dependency and rejects cycles, unknown dependencies and duplicates', () => {
  assert.deepEqual(validateGraph([fake('mlfs', ['pdc']), fake('pdc', ['psza']), fake('psza', [])]).map((d) => d.key), ['psza', 'pdc', 'mlfs']);
  assert.throws(() => validateGraph([fake('psza', ['pdc']), fake('pdc', ['psza'])]), (e: unknown) => e instanceof ProcessorGraphError && /cycle: psza -> pdc -> psza/.test(e.message));
  assert.throws(() => validateGraph([fake('pdc', ['psza'])]), /depends on unknown processor 'psza'/);
  assert.throws(() => validateGraph([fake('psza', []), fake('psza', [])]), /declared twice/);
});

test('PROCESSOR_DDL creates both schemas and every output table', () => {
  assert.match(PROCESSOR_DDL, /CREATE SCHEMA IF NOT EXISTS nba_precompute;/);
  assert.match(PROCESSOR_DDL, /CREATE SCHEMA IF NOT EXISTS nba_predictions;/);
  for (const p of PROCESSORS) assert.ok(PROCESSOR_DDL.includes(`CREATE TABLE IF NOT EXISTS ${p.outputTable}`), p.outputTable);
});
