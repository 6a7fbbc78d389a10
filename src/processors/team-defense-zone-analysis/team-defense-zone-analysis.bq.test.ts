// TDZA's SQL is BigQuery's too: every statement of its batch analyzes on ZetaSQL, and on the shared
// differential league (testing/differential-fixture.ts) ZetaSQL's rows equal DuckDB's — with the
// constant league averages (six teams, fewer than 10) and with a computed one (thresholds lowered).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { Row } from '../../warehouse/warehouse.js';
import { D1, D2, processorSqlFixture, type ProcessorSqlFixture } from '../testing/differential-fixture.js';
import { proveProcessor, type ProcessorProof } from '../testing/prove-processor.js';
import { teamDefenseZoneAnalysis as tdza } from './definition.js';

describe('TDZA SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let fx: ProcessorSqlFixture;
  let constants: ProcessorProof;
  let computed: ProcessorProof;
  before(async () => {
    [zeta, fx] = await Promise.all([ZetaSql.start(), processorSqlFixture()]);
    constants = await proveProcessor(zeta, tdza, fx);
    computed = await proveProcessor(zeta, tdza, fx, { thresholds: { league_min_teams: 2, league_min_games: 3 }, label: 'computed league average' });
  });
  after(() => zeta?.stop());
  const row = (proof: ProcessorProof, team: string, date: string): Row => {
    const r = proof.compute.find((x) => x['team_abbr'] === team && x['analysis_date'] === date);
    assert.ok(r, `no TDZA row for ${team} on ${date}`);
    return r;
  };

  it('zone ties go to the first zone; a zone its opponents never tried compares as NULL', () => {
    const nyk = row(constants, 'NYK', D1);
    // paint .675 and mid-range .505 (303 of 600) are both +9.5 against .580 and .410
    assert.deepEqual([nyk['paint_defense_vs_league_avg'], nyk['mid_range_defense_vs_league_avg'], nyk['three_pt_defense_vs_league_avg']], [9.5, 9.5, -2.17]);
    assert.deepEqual([nyk['weakest_zone'], nyk['strongest_zone']], ['paint', 'perimeter']);
    const lal = row(constants, 'LAL', D1);
    assert.deepEqual([lal['three_pt_pct_allowed_last_15'], lal['three_pt_defense_vs_league_avg'], lal['strongest_zone'], lal['weakest_zone']], [null, null, 'perimeter', 'perimeter']);
  });

  it('averages round half away from zero on NUMERIC: 1576.875 / 15 = 105.125 is 105.13', () => {
    assert.equal(row(constants, 'BOS', D1)['defensive_rating_last_15'], 105.13);
    assert.equal(row(constants, 'BOS', D2)['defensive_rating_last_15'], 105.13);
    assert.equal(row(constants, 'BOS', D2)['source_last_game_date'], D1);
  });

  it('a computed league average is the same FLOAT64 on both engines, to the last unrounded digit', () => {
    const nyk = row(computed, 'NYK', D1);
    assert.deepEqual([nyk['league_avg_source'], nyk['league_teams_in_average']], ['computed', 6]);
    assert.equal(typeof nyk['paint_defense_vs_league_avg_unrounded'], 'number');
    assert.equal(row(constants, 'NYK', D1)['league_avg_source'], 'default');
  });

  it('failures: the early-season teams are expected', () => {
    assert.deepEqual(constants.failures.filter((x) => x['analysis_date'] === D1).map((x) => [x['entity_id'], x['is_expected'], x['failure_reason']]).sort(), [
      ['CHI', true, 'early season: CHI has played 5 of the 15 games needed'],
      ['DET', true, 'early season: DET has played 5 of the 15 games needed'],
    ]);
  });

  it('covers every statement of a TDZA batch (listed in the diagnostics)', (t) => {
    const all = [...constants.covered, ...computed.covered];
    t.diagnostic(`${all.length} statements: ${all.join(' | ')}`);
    assert.ok(all.length >= 20);
  });
});
