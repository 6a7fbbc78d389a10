// PCF's SQL is BigQuery's too: every statement of its batch analyzes on ZetaSQL, and on the shared
// differential league (testing/differential-fixture.ts) ZetaSQL's rows equal DuckDB's, JSON contexts
// and warnings included.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { Row } from '../../warehouse/warehouse.js';
import { D1, D2, processorSqlFixture, type ProcessorSqlFixture } from '../testing/differential-fixture.js';
import { proveProcessor, type ProcessorProof } from '../testing/prove-processor.js';
import { playerCompositeFactors as pcf } from './definition.js';

const GAP = 'Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-20)';

describe('PCF SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let fx: ProcessorSqlFixture;
  let proof: ProcessorProof;
  before(async () => {
    [zeta, fx] = await Promise.all([ZetaSql.start(), processorSqlFixture()]);
    proof = await proveProcessor(zeta, pcf, fx);
  });
  after(() => zeta?.stop());
  const row = (player: string, date: string): Row => {
    const r = proof.compute.find((x) => x['player_lookup'] === player && x['game_date'] === date);
    assert.ok(r, `no PCF row for ${player} on ${date}`);
    return r;
  };
  const failure = (who: string, date: string) => proof.failures.filter((x) => x['entity_id'] === who && x['analysis_date'] === date).map((x) => [x['is_expected'], x['failure_reason']]);

  it('the four factors from exact inputs: mismatch x 1.2 on NUMERIC, pace and usage from real history', () => {
    const r = row('ten', D1);
    assert.deepEqual([r['shot_zone_mismatch_score'], r['pace_score'], r['usage_spike_score'], r['data_completeness_pct']], [9.12, 1.5, 1.5, 100]);
    assert.equal(r['total_composite_adjustment'], 12.12); // fatigue 100: 0 + 9.12 + 1.5 + 1.5
    assert.deepEqual(r['warnings'], ['EXTREME_MATCHUP', 'EXTREME_ADJUSTMENT']);
    assert.equal(JSON.parse(String(r['shot_zone_context_json']))['opponent_vs_league'], 9.5);
    assert.deepEqual(row('tired', D1)['warnings'], ['EXTREME_FATIGUE', 'EXTREME_MATCHUP']); // in their fixed order
    assert.equal(row('tired', D1)['fatigue_score'], 35);
  });

  it('a team with no offense rows and no context pace: pace scores 0 and is a real gap', () => {
    assert.deepEqual([row('laker', D1)['pace_score'], row('laker', D1)['data_completeness_pct']], [0, 80]);
    assert.deepEqual(failure('laker', D1), [[false, 'scored with defaults for: pace (12 player games before 2021-11-03)']]);
  });

  it("a missing opponent TDZA row: 'inputs were sufficient' is real, an early-season opponent expected", () => {
    assert.deepEqual(failure('laker', D2), [[false, 'scored with defaults for: pace, opponent TDZA row (inputs were sufficient (16 games, 15 needed) yet the row is missing) (12 player games before 2021-11-04)']]);
    assert.deepEqual(failure('bull', D1), [[true, 'scored with defaults for: PSZA row (early season: CHI has played 5 of the 10 games needed), opponent TDZA row (early season: DET has played 5 of the 15 games needed) (5 player games before 2021-11-03)']]);
  });

  it('no history at all: defaults for rest, usage and the PSZA row, the Phase 3 gap named', () => {
    assert.deepEqual(failure('rookie', D1), [[false, `scored with defaults for: rest, usage, PSZA row (${GAP}) (0 player games before 2021-11-03)`]]);
    assert.equal(row('rookie', D1)['source_last_game_date'], '2021-11-02'); // his team's and opponent's games
    assert.deepEqual(failure('nousage', D1), [[false, 'scored with defaults for: usage (10 player games before 2021-11-03)']]);
  });

  it('covers every statement of a PCF batch (listed in the diagnostics)', (t) => {
    t.diagnostic(`${proof.covered.length} statements: ${proof.covered.join(' | ')}`);
    assert.ok(proof.covered.length >= 10);
  });
});
