// `courtside sql` runs the prior art's operator queries unchanged, in every output format, and
// refuses anything that writes or reaches beyond the warehouse, however it is dressed up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

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

describe('courtside sql is sandboxed by the engine', () => {
  let hash: string;
  let files: string[];
  let scratch: string;
  before(() => {
    hash = fileHash(fx.path);
    files = readdirSync(dirname(fx.path)).sort();
    scratch = mkdtempSync(join(tmpdir(), 'courtside-sql-'));
  });
  after(() => {
    // Every refused statement ran against the real file: it is byte for byte what it was, and no
    // WAL, temp or export directory appeared beside it.
    assert.equal(fileHash(fx.path), hash, 'the warehouse is unchanged');
    assert.deepEqual(readdirSync(dirname(fx.path)).sort(), files);
    rmSync(scratch, { recursive: true, force: true });
  });

  const refused = async (statement: string, pattern: RegExp) => {
    const r = await cli(['--db', fx.path, 'sql', statement]);
    assert.equal(r.code, 2, `${statement}: ${r.out}${r.err}`);
    assert.match(r.err, pattern, statement);
    assert.equal(r.out, '', `${statement} printed nothing`);
  };

  test('the EXPLAIN ANALYZE bypasses cannot write', async () => {
    const count = "SELECT (SELECT count(*) FROM nba_processing.run_history) + (SELECT count(*) FROM nba_reference.teams) AS n";
    const before = await cli(['--db', fx.path, '--format', 'json', 'sql', count]);
    await refused('/* c */ EXPLAIN ANALYZE DELETE FROM nba_processing.run_history', /read-only/);
    await refused('EXPLAIN (ANALYZE) DELETE FROM nba_reference.teams', /read-only/);
    await refused('EXPLAIN ANALYZE CREATE TABLE main.planted AS SELECT 1', /read-only/);
    await refused(`EXPLAIN ANALYZE COPY (SELECT 1) TO '${join(scratch, 'out.csv')}'`, /reads the warehouse only/);
    assert.equal((await cli(['--db', fx.path, '--format', 'json', 'sql', count])).out, before.out);
    assert.equal(existsSync(join(scratch, 'out.csv')), false);
  });

  test('host files, the config file and URLs are out of reach', async () => {
    const config = join(scratch, 'courtside.config.json');
    writeFileSync(config, JSON.stringify({ notifications: { slackWebhookUrl: 'https://hooks.slack.com/services/T0/B0/SECRET' } }));
    await refused("SELECT * FROM read_csv('/etc/passwd')", /reads the warehouse only.*\/etc\/passwd/);
    await refused("SELECT * FROM read_text('/etc/hostname')", /reads the warehouse only/);
    await refused("SELECT * FROM glob('/etc/*')", /reads the warehouse only/);
    await refused(`SELECT * FROM read_text('${config}')`, /reads the warehouse only/);
    await refused(`SELECT * FROM read_json('${config}')`, /reads the warehouse only/);
    await refused("SELECT * FROM read_csv('https://example.com/x.csv')", /reads the warehouse only/);
    await refused(`ATTACH '${join(scratch, 'other.duckdb')}'`, /ATTACH statements are refused/);
    await refused('INSTALL httpfs', /refused/);
    await refused('SET enable_external_access = true', /SET statements are refused/);
  });

  test('EXPORT DATABASE is refused and leaves no directory behind', async () => {
    await refused(`EXPORT DATABASE '${join(scratch, 'export')}'`, /reads the warehouse only/);
    assert.equal(existsSync(join(scratch, 'export')), false);
  });

  test('--timeout cancels a long query with a clear message (exit 1)', { timeout: 120_000 }, async () => {
    const r = await cli(['--db', fx.path, 'sql', '--timeout', '0.5', 'SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /the query ran past the 0\.5 s timeout and was cancelled/);
    const bad = await cli(['--db', fx.path, 'sql', '--timeout', 'soon', 'SELECT 1']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--timeout must be a positive number, got 'soon'/);
  });

  test('SHOW TABLES lists our tables schema-qualified', async () => {
    for (const statement of ['SHOW TABLES', '/* ours */ show tables;']) {
      const r = await cli(['--db', fx.path, '--format', 'json', 'sql', statement]);
      assert.equal(r.code, 0, r.err);
      const names = (JSON.parse(r.out) as { name: string }[]).map((t) => t.name);
      for (const t of ['nba_analytics.player_game_summary', 'nba_precompute.player_daily_cache', 'nba_predictions.ml_feature_store_v2', 'nba_processing.run_history', 'nba_reference.game_dates']) {
        assert.ok(names.includes(t), `${statement} lists ${t}`);
      }
    }
    // Other SHOW forms keep DuckDB's meaning.
    const raw = await cli(['--db', fx.path, '--format', 'json', 'sql', 'SHOW TABLES FROM nba_raw']);
    assert.ok((JSON.parse(raw.out) as { name: string }[]).some((t) => t.name === 'play_by_play'));
  });
});
