// PSZA's SQL is BigQuery's too: every statement of its batch analyzes on ZetaSQL, and on the shared
// differential league (testing/differential-fixture.ts) ZetaSQL's rows equal DuckDB's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { Row } from '../../warehouse/warehouse.js';
import { D1, D2, processorSqlFixture, type ProcessorSqlFixture } from '../testing/differential-fixture.js';
import { proveProcessor, type ProcessorProof } from '../testing/prove-processor.js';
import { playerShotZoneAnalysis as psza } from './definition.js';

describe('PSZA SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let fx: ProcessorSqlFixture;
  let proof: ProcessorProof;
  before(async () => {
    [zeta, fx] = await Promise.all([ZetaSql.start(), processorSqlFixture()]);
    proof = await proveProcessor(zeta, psza, fx);
  });
  after(() => zeta?.stop());
  const row = (player: string, date: string): Row => {
    const r = proof.compute.find((x) => x['player_lookup'] === player && x['analysis_date'] === date);
    assert.ok(r, `no PSZA row for ${player} on ${date}`);
    return r;
  };

  it('.5 ties round half away from zero on NUMERIC; a zone without attempts has a NULL percentage', () => {
    const r = row('shooter', D1);
    // 799 paint and 1 three of 800 shots: 99.875% and 0.125%, no mid-range shot
    assert.deepEqual([r['paint_rate_last_10'], r['three_pt_rate_last_10'], r['mid_range_rate_last_10']], [99.88, 0.13, 0]);
    assert.deepEqual([r['mid_range_pct_last_10'], r['three_pt_pct_last_10']], [null, 0]);
    assert.equal(r['games_in_sample_10'], 10); // the DNP of 10-23 does not count
  });

  it('a game on D is read the day after, not on D; earlier seasons never enter the window', () => {
    assert.equal(row('ten', D1)['source_last_game_date'], '2021-11-02');
    assert.equal(proof.compute.some((x) => x['player_lookup'] === 'ten' && x['analysis_date'] === D2), true);
    assert.equal(row('ten', D2)['source_last_game_date'], D1);
    assert.deepEqual([row('ten', D2)['games_in_sample_10'], row('ten', D2)['games_in_sample_20']], [10, 11]);
    assert.equal(row('ten', D1)['source_first_game_date'], '2021-10-24');
  });

  it('failures: the missing box score makes BOS short a real gap; the early-season team an expected one', () => {
    const f = (who: string) => proof.failures.filter((x) => x['entity_id'] === who).map((x) => [x['analysis_date'], x['is_expected'], x['failure_reason']]);
    assert.deepEqual(f('eight'), [[D1, false, 'Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-20)']]);
    assert.deepEqual(f('bull'), [[D1, true, 'early season: CHI has played 5 of the 10 games needed']]);
    assert.deepEqual(f('knick').length, 0);
  });

  it('covers every statement of a PSZA batch (listed in the diagnostics)', (t) => {
    t.diagnostic(`${proof.covered.length} statements: ${proof.covered.join(' | ')}`);
    assert.ok(proof.covered.length >= 10);
  });
});
