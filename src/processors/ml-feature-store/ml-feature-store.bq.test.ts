// MLFS's SQL is BigQuery's too: every statement of its batch analyzes on ZetaSQL, and on the shared
// differential league (testing/differential-fixture.ts) ZetaSQL's rows equal DuckDB's — the feature
// vector (ARRAY<FLOAT64> there) to the last bit, its sources, counts and quality.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { Row } from '../../warehouse/warehouse.js';
import { D1, D2, processorSqlFixture, type ProcessorSqlFixture } from '../testing/differential-fixture.js';
import { proveProcessor, type ProcessorProof } from '../testing/prove-processor.js';
import { mlFeatureStore as mlfs } from './definition.js';
import { FEATURE_NAMES } from './features.js';

const GAP = 'Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-20)';

describe('MLFS SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let fx: ProcessorSqlFixture;
  let proof: ProcessorProof;
  before(async () => {
    [zeta, fx] = await Promise.all([ZetaSql.start(), processorSqlFixture()]);
    proof = await proveProcessor(zeta, mlfs, fx);
  });
  after(() => zeta?.stop());
  const vector = (player: string, date: string): { row: Row; value: (n: string) => unknown; source: (n: string) => unknown } => {
    const row = proof.compute.find((x) => x['player_lookup'] === player && x['game_date'] === date);
    assert.ok(row, `no MLFS row for ${player} on ${date}`);
    const at = (n: string) => FEATURE_NAMES.indexOf(n as (typeof FEATURE_NAMES)[number]);
    return { row, value: (n) => (row['features'] as unknown[])[at(n)], source: (n) => (row['feature_sources'] as unknown[])[at(n)] };
  };
  const failure = (who: string, date: string) => proof.failures.filter((x) => x['entity_id'] === who && x['analysis_date'] === date).map((x) => [x['is_expected'], x['failure_reason']]);

  it('a named vector of 31 values with their sources, counts and quality', () => {
    const { row } = vector('ten', D1);
    assert.deepEqual([row['feature_count'], row['feature_version'], (row['features'] as unknown[]).length, row['feature_names']], [31, 'v2_31features', 31, [...FEATURE_NAMES]]);
    const sources = row['feature_sources'] as string[];
    assert.equal(row['features_from_phase4'], sources.filter((s) => s === 'phase4').length);
    assert.equal(row['features_defaulted'], sources.filter((s) => s === 'default').length);
  });

  it('the season boundary: matchups from the declared 3-season window only (2019-20 and 2020-21, not 2018-19)', () => {
    const v = vector('ten', D1);
    assert.deepEqual([v.value('games_vs_opponent'), v.value('avg_points_vs_opponent'), v.source('avg_points_vs_opponent')], [2, 45, 'phase3']);
    assert.equal(v.row['source_first_game_date'], '2020-01-10');
    assert.equal(v.row['source_last_game_date'], '2021-11-02');
    assert.equal(vector('ten', D2).row['source_last_game_date'], D1);
  });

  it('no shot-zone row: the shot mix from Phase 3; no offense rows: the team defaults', () => {
    const eight = vector('eight', D1);
    assert.deepEqual([eight.value('pct_paint'), eight.source('pct_paint')], [0.4, 'phase3']);
    const laker = vector('laker', D1);
    assert.deepEqual([laker.value('team_pace'), laker.source('team_pace'), laker.value('team_off_rating'), laker.source('team_off_rating')], [100, 'default', 112, 'default']);
    assert.deepEqual([vector('knick', D2).value('injury_risk'), vector('knick', D2).source('injury_risk')], [2, 'calculated']);
  });

  it('no PDC row: the failure says why PDC has none; no PCF row is always real', () => {
    assert.deepEqual(failure('four', D1), [[false, `no PlayerDailyCacheProcessor row (${GAP}); features fell back to Phase 3 or defaults`]]);
    assert.deepEqual(failure('tired', D1), [[false, 'no PlayerCompositeFactorsProcessor row (it scores every player); features fell back to Phase 3 or defaults']]);
    assert.deepEqual([vector('tired', D1).value('fatigue_score'), vector('tired', D1).source('fatigue_score')], [50, 'default']);
    assert.deepEqual([vector('rookie', D1).value('points_avg_last_10'), vector('rookie', D1).source('points_avg_last_10')], [10, 'default']);
    // both rests unknown: the default 0 on both engines (least/greatest never see the NULL)
    assert.deepEqual([vector('rookie', D1).value('rest_advantage'), vector('rookie', D1).source('rest_advantage')], [0, 'default']);
  });

  it('covers every statement of an MLFS batch (listed in the diagnostics)', (t) => {
    t.diagnostic(`${proof.covered.length} statements: ${proof.covered.join(' | ')}`);
    assert.ok(proof.covered.length >= 11);
  });
});
