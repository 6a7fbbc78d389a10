// The differential helper on real and hand-made statements: same fixtures on DuckDB and ZetaSQL,
// rows compared. It must pass portable SQL and catch the known traps (NULL-skipping greatest/concat,
// DOUBLE rounding of .5 ties) with a message naming the row and column.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINE_DDL } from '../../../engine/schema.js';
import { FAILURE_STATUS_SQL } from '../../../ingest/registry/lifecycle.js';
import { asOfAudit } from '../../../processors/audits.js';
import { PROCESSORS } from '../../../processors/index.js';
import { tablesOf } from '../parse-ddl.js';
import { completeRow, differential } from './differential.js';
import { ZetaSql } from './zetasql-server.js';

const PGS_DDL = `CREATE SCHEMA IF NOT EXISTS nba_analytics;
CREATE TABLE IF NOT EXISTS nba_analytics.pgs (player_lookup VARCHAR NOT NULL, team_abbr VARCHAR, game_date DATE NOT NULL, points INTEGER, minutes DOUBLE, usage DECIMAL(18, 6));`;
// NULL paths: a missing box score (points NULL), a player without team, a tie on points, zero minutes.
const PGS = [
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-20', points: 20, minutes: 30.5, usage: 21.25 },
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-22', points: null, minutes: 0, usage: null },
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-24', points: 20, minutes: 28, usage: 19.5 },
  { player_lookup: 'bob', team_abbr: null, game_date: '2021-10-20', points: 7, minutes: null, usage: 9.5 },
  { player_lookup: 'bob', team_abbr: null, game_date: '2021-10-23', points: 12, minutes: 14.25, usage: 11 },
];

describe('differential: DuckDB vs ZetaSQL on the same fixtures', () => {
  let zeta: ZetaSql;
  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(() => zeta?.stop());

  it('a portable SELECT with NULLs, window functions, QUALIFY, countif and NUMERIC rounding gives the same rows', async () => {
    const r = await differential(zeta, {
      ddl: PGS_DDL,
      fixtures: { 'nba_analytics.pgs': PGS },
      sql: `SELECT player_lookup, game_date, points,
       sum(points) OVER (PARTITION BY player_lookup ORDER BY game_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS points_before,
       avg(minutes) OVER (PARTITION BY player_lookup ORDER BY game_date ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS minutes_avg_3,
       row_number() OVER (PARTITION BY player_lookup ORDER BY points DESC NULLS LAST, game_date) AS best_game_rank,
       countif(points IS NULL) OVER (PARTITION BY player_lookup) AS missing_box_scores,
       coalesce(team_abbr, 'UNK') AS team,
       round(CAST(usage * 1.0 / 3 AS NUMERIC(18, 6)), 2) AS usage_third,
       CAST($cutoff AS DATE) - 7 AS week_before
FROM nba_analytics.pgs
WHERE game_date < CAST($cutoff AS DATE)
QUALIFY row_number() OVER (PARTITION BY player_lookup ORDER BY game_date DESC) <= 2`,
      params: { cutoff: '2021-10-25' },
    });
    assert.equal(r.mismatch, undefined, r.mismatch);
    assert.equal(r.duckdb.length, 4);
    assert.deepEqual(r.zetasql.find((x) => x['player_lookup'] === 'ann' && x['game_date'] === '2021-10-24'), {
      player_lookup: 'ann', game_date: '2021-10-24', points: 20, points_before: 20, minutes_avg_3: (30.5 + 0 + 28) / 3, best_game_rank: 2, missing_box_scores: 1, team: 'BOS', usage_third: 6.5, week_before: '2021-10-18',
    });
  });

  it("catches DuckDB's NULL-skipping greatest and concat (GoogleSQL returns NULL), and passes once guarded with coalesce", async () => {
    const trap = await differential(zeta, {
      ddl: PGS_DDL,
      fixtures: { 'nba_analytics.pgs': PGS },
      sql: `SELECT player_lookup, game_date, greatest(points, 10) AS floor_10, concat(player_lookup, '-', team_abbr) AS tag FROM nba_analytics.pgs ORDER BY player_lookup, game_date`,
      ordered: true,
    });
    assert.equal(trap.mismatch, 'row 2, column floor_10: duckdb 10, zetasql null\n  duckdb row:  {"player_lookup":"ann","game_date":"2021-10-22","floor_10":10,"tag":"ann-BOS"}\n  zetasql row: {"player_lookup":"ann","game_date":"2021-10-22","floor_10":null,"tag":"ann-BOS"}');
    const concat = await differential(zeta, {
      ddl: PGS_DDL,
      fixtures: { 'nba_analytics.pgs': PGS.filter((p) => p.points !== null) },
      sql: `SELECT player_lookup, concat(player_lookup, '-', team_abbr) AS tag FROM nba_analytics.pgs`,
    });
    assert.match(concat.mismatch ?? '', /column tag: duckdb "bob-", zetasql null/);
    const guarded = await differential(zeta, {
      ddl: PGS_DDL,
      fixtures: { 'nba_analytics.pgs': PGS },
      sql: `SELECT player_lookup, game_date, greatest(coalesce(points, 10), 10) AS floor_10, concat(player_lookup, '-', coalesce(team_abbr, '')) AS tag FROM nba_analytics.pgs`,
    });
    assert.equal(guarded.mismatch, undefined, guarded.mismatch);
  });

  it('catches DOUBLE rounding of a .5 tie (2.675 → 2.68 vs 2.67); rounding on NUMERIC agrees', async () => {
    const ddl = `CREATE SCHEMA IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.x (v DOUBLE);`;
    const onDouble = await differential(zeta, { ddl, fixtures: { 't.x': [{ v: 2.675 }] }, sql: 'SELECT round(v, 2) AS r FROM t.x' });
    assert.match(onDouble.mismatch ?? '', /column r: duckdb 2\.68, zetasql 2\.67/);
    const onNumeric = await differential(zeta, { ddl, fixtures: { 't.x': [{ v: 2.675 }] }, sql: 'SELECT round(CAST(v AS NUMERIC(18, 6)), 2) AS r FROM t.x' });
    assert.equal(onNumeric.mismatch, undefined, onNumeric.mismatch);
    assert.deepEqual(onNumeric.zetasql, [{ r: 2.68 }]);
  });

  it("runs the prior art's coverage query on the real player_daily_cache table unchanged on both engines", async () => {
    const pdc = PROCESSORS.find((p) => p.key === 'pdc');
    assert.ok(pdc);
    const ddl = `CREATE SCHEMA IF NOT EXISTS nba_precompute;\n${pdc.ddl}`;
    const def = tablesOf(ddl).get(pdc.outputTable);
    assert.ok(def);
    const rows = ['2021-10-31', '2021-11-01', '2021-11-01', '2021-11-15', '2021-11-30', '2021-12-01'].map((d, i) => completeRow(def, { player_lookup: `p${i}`, cache_date: d, source_last_game_date: d }));
    const r = await differential(zeta, {
      ddl,
      fixtures: { [pdc.outputTable]: rows },
      sql: `SELECT COUNT(DISTINCT cache_date) FROM nba_precompute.player_daily_cache WHERE cache_date BETWEEN '2021-11-01' AND '2021-11-30'`,
    });
    assert.equal(r.mismatch, undefined, r.mismatch);
    assert.deepEqual(Object.values(r.zetasql[0] ?? {}), [3]);
  });

  it("runs the registry's status expression on the real registry_failures table on both engines", async () => {
    const ddl = `CREATE SCHEMA IF NOT EXISTS nba_processing;
CREATE TABLE IF NOT EXISTS nba_processing.registry_failures (player_lookup VARCHAR NOT NULL, game_date DATE NOT NULL, processor_name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, resolved_at TIMESTAMP, reprocessed_at TIMESTAMP, occurrence_count INTEGER NOT NULL, run_id VARCHAR NOT NULL)`;
    const at = '2021-11-02T08:00:00.000Z';
    const base = { game_date: '2021-11-01', processor_name: 'player_game_summary', created_at: at, occurrence_count: 1, run_id: 'r' };
    const r = await differential(zeta, {
      ddl,
      fixtures: { 'nba_processing.registry_failures': [{ ...base, player_lookup: 'kbirch', resolved_at: null, reprocessed_at: null }, { ...base, player_lookup: 'ogan', resolved_at: at, reprocessed_at: null }, { ...base, player_lookup: 'xt', resolved_at: at, reprocessed_at: at }] },
      sql: `SELECT ${FAILURE_STATUS_SQL} AS status, count(*) AS n FROM nba_processing.registry_failures GROUP BY 1`,
    });
    assert.equal(r.mismatch, undefined, r.mismatch);
    assert.equal(r.zetasql.length, 3);
  });

  it("analyzes the processors' audits as written: GoogleSQL since issue 8 part 2 (processors/*.bq.test.ts prove the rest)", async () => {
    const pdc = PROCESSORS.find((p) => p.key === 'pdc');
    assert.ok(pdc);
    const audit = asOfAudit(pdc.outputTable, pdc.dateColumn);
    const schedule = 'CREATE TABLE IF NOT EXISTS nba_reference.schedule (game_id VARCHAR NOT NULL, game_date DATE NOT NULL, season_year INTEGER NOT NULL)';
    const tables = [...tablesOf(`${pdc.ddl}\n${ENGINE_DDL}\n${schedule}`).values()];
    const [analyzed] = await zeta.analyze(audit.sql, tables, { from: '2021-11-01', to: '2021-11-30' });
    assert.equal(analyzed?.node, 'resolvedQueryStmtNode');
  });
});
