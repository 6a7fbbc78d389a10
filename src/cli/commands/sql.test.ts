// `courtside sql` runs the prior art's operator queries unchanged, in every output format, and
// refuses anything that writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as cli } from '../../testing/cli.js';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';

// The prior art's validation queries (PRIOR-ART.md §5, SYSTEM.md §1), verbatim.
const COVERAGE = `SELECT 'PSZA' AS p, COUNT(DISTINCT analysis_date) AS dates FROM nba_precompute.player_shot_zone_analysis WHERE analysis_date BETWEEN '2021-11-01' AND '2021-11-30'
UNION ALL SELECT 'TDZA', COUNT(DISTINCT analysis_date) FROM nba_precompute.team_defense_zone_analysis WHERE analysis_date BETWEEN '2021-11-01' AND '2021-11-30'
UNION ALL SELECT 'PDC', COUNT(DISTINCT cache_date) FROM nba_precompute.player_daily_cache WHERE cache_date BETWEEN '2021-11-01' AND '2021-11-30'
UNION ALL SELECT 'PCF', COUNT(DISTINCT game_date) FROM nba_precompute.player_composite_factors WHERE game_date BETWEEN '2021-11-01' AND '2021-11-30'
UNION ALL SELECT 'MLFS', COUNT(DISTINCT game_date) FROM nba_predictions.ml_feature_store_v2 WHERE game_date BETWEEN '2021-11-01' AND '2021-11-30'`;
const BREAKDOWN = `SELECT processor_name, failure_category, COUNT(*) AS n FROM nba_processing.precompute_failures
WHERE analysis_date BETWEEN '2021-11-01' AND '2021-11-30' GROUP BY processor_name, failure_category ORDER BY processor_name, failure_category`;

let fx: RealSeasonCopy;
before(async () => {
  fx = await realSeasonCopy();
  await fx.release(); // the CLI opens the file itself
  const run = await cli(['--db', fx.path, 'backfill', '--from', '2021-10-19', '--to', '2021-11-30']);
  assert.equal(run.code, 0, run.err);
});
after(async () => fx?.cleanup());

describe('courtside sql', () => {
  test("the prior art's coverage query over the five tables runs unchanged", async () => {
    const { code, out } = await cli(['--db', fx.path, '--format', 'json', 'sql', COVERAGE]);
    assert.equal(code, 0);
    const dates = Object.fromEntries((JSON.parse(out) as { p: string; dates: number }[]).map((r) => [r.p, r.dates]));
    // November 2021 has 29 game dates; 11-01 is bootstrap. PSZA needs 10 prior games, TDZA 15.
    assert.deepEqual(dates, { PSZA: 23, TDZA: 15, PDC: 28, PCF: 28, MLFS: 28 });
    const single = await cli(['--db', fx.path, 'sql',
      "SELECT COUNT(DISTINCT cache_date) FROM nba_precompute.player_daily_cache WHERE cache_date BETWEEN '2021-11-01' AND '2021-11-30'"]);
    assert.match(single.out, /^count\(DISTINCT cache_date\)\n-+\n\s*28\n\(1 row\)\n$/);
  });

  test('its failure breakdown by processor_name, failure_category runs unchanged (csv)', async () => {
    const { code, out } = await cli(['--db', fx.path, '--format', 'csv', 'sql', BREAKDOWN]);
    assert.equal(code, 0);
    const lines = out.trim().split('\n');
    assert.equal(lines[0], 'processor_name,failure_category,n');
    const categories = lines.slice(1).map((l) => l.split(',').slice(0, 2).join(' '));
    assert.ok(categories.includes('PlayerShotZoneAnalysisProcessor INSUFFICIENT_DATA'), categories.join('; '));
    assert.ok(categories.includes('TeamDefenseZoneAnalysisProcessor INSUFFICIENT_DATA'));
    assert.ok(lines.slice(1).every((l) => Number(l.split(',')[2]) > 0));
  });

  test('a write statement is refused with exit code 2 and nothing changes', async () => {
    const before = await cli(['--db', fx.path, '--format', 'json', 'sql', 'SELECT count(*) AS n FROM nba_analytics.player_game_summary']);
    for (const statement of [
      'DELETE FROM nba_analytics.player_game_summary',
      'UPDATE nba_analytics.player_game_summary SET points = 0',
      'DROP TABLE nba_analytics.player_game_summary',
      'SELECT 1; DELETE FROM nba_analytics.player_game_summary',
    ]) {
      const r = await cli(['--db', fx.path, 'sql', statement]);
      assert.equal(r.code, 2, statement);
      assert.match(r.err, /read-only|exactly one statement/);
    }
    const typo = await cli(['--db', fx.path, 'sql', 'SELECT * FROM nba_analytics.no_such_table']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /invalid SQL: Catalog Error: Table with name no_such_table does not exist/);
    const afterRefusals = await cli(['--db', fx.path, '--format', 'json', 'sql', 'SELECT count(*) AS n FROM nba_analytics.player_game_summary']);
    assert.equal(afterRefusals.out, before.out);
    assert.deepEqual(JSON.parse(before.out), [{ n: 51928 }]);
  });
});
