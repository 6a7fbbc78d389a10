// PDC's SQL is BigQuery's too: every statement of its batch analyzes on ZetaSQL, and on the shared
// differential league (testing/differential-fixture.ts) ZetaSQL's rows equal DuckDB's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { Row } from '../../warehouse/warehouse.js';
import { D1, D2, processorSqlFixture, type ProcessorSqlFixture } from '../testing/differential-fixture.js';
import { proveProcessor, type ProcessorProof } from '../testing/prove-processor.js';
import { playerDailyCache as pdc } from './definition.js';

const GAP = 'Phase 3 missing 1 of the 15 scheduled games of BOS before 2021-11-03 in player_game_summary (2021-10-20)';

describe('PDC SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let fx: ProcessorSqlFixture;
  let proof: ProcessorProof;
  before(async () => {
    [zeta, fx] = await Promise.all([ZetaSql.start(), processorSqlFixture()]);
    proof = await proveProcessor(zeta, pdc, fx);
  });
  after(() => zeta?.stop());
  const row = (player: string, date: string): Row => {
    const r = proof.compute.find((x) => x['player_lookup'] === player && x['cache_date'] === date);
    assert.ok(r, `no PDC row for ${player} on ${date}`);
    return r;
  };
  const failures = (who: string) => proof.failures.filter((x) => x['entity_id'] === who).map((x) => [x['analysis_date'], x['failure_category'], x['is_expected'], x['failure_reason']]);

  it('.5 ties round half away from zero on NUMERIC: 161 / 8 = 20.125, 320.35 / 10 = 32.035', () => {
    assert.deepEqual([row('eight', D1)['points_avg_season'], row('eight', D1)['games_played_season']], [20.13, 8]);
    assert.deepEqual([row('odd', D1)['minutes_avg_last_10'], row('odd', D1)['ppm_avg_last_10']], [32.04, 0.5931]);
  });

  it('a team with no offense rows: no pace, no rating, and the row read only his own games', () => {
    const r = row('laker', D1);
    assert.deepEqual([r['team_pace_last_10'], r['team_off_rating_last_10'], r['team_games_in_sample']], [null, null, 0]);
    assert.deepEqual([r['source_last_game_date'], r['source_first_game_date']], ['2021-11-02', '2021-10-22']);
  });

  it('no usage and no true shooting: NULL averages, never a default', () => {
    const r = row('nousage', D1);
    assert.deepEqual([r['usage_rate_last_10'], r['player_usage_rate_season'], r['ts_pct_last_10']], [null, null, null]);
    assert.equal(row('ten', D1)['ts_pct_last_10'], 0.55); // one game without ts_pct: the mean of the other nine
  });

  it('a player with no shot-zone row: the row is kept, the failure says why (the Phase 3 gap, or inputs that sufficed)', () => {
    assert.equal(row('eight', D1)['has_shot_zone_data'], false);
    assert.deepEqual(failures('eight'), [[D1, 'MISSING_DEPENDENCY', false, `no PlayerShotZoneAnalysisProcessor row (shot-zone fields left NULL): ${GAP}`]]);
    assert.deepEqual(failures('ten'), [[D2, 'MISSING_DEPENDENCY', false, 'no PlayerShotZoneAnalysisProcessor row (shot-zone fields left NULL): inputs were sufficient (11 games, 10 needed) yet the row is missing']]);
    assert.deepEqual(failures('four'), [[D1, 'INSUFFICIENT_DATA', false, GAP]]);
    assert.deepEqual(failures('rookie'), [[D1, 'INSUFFICIENT_DATA', false, GAP]]);
  });

  it('covers every statement of a PDC batch (listed in the diagnostics)', (t) => {
    t.diagnostic(`${proof.covered.length} statements: ${proof.covered.join(' | ')}`);
    assert.ok(proof.covered.length >= 10);
  });
});
