// Every statement of the ingest's write unit — name sources, teams, raw play-by-play, odds and prop
// lines, odds team resolution, registry and aliases, Phase 3 (schedule, player box, player and team
// summaries, both pre-game contexts and their audits), orphaned Phase 4 rows, registry failures —
// passes BigQuery's analyzer (ZetaSQL) as the one script BigQuery runs, and gives the rows DuckDB
// gives, statement by statement, on fixtures that walk the NULL paths (ingest-sql-fixtures.ts).
// Apart, below: the views' SQL and the player_lookup piece on every bundled name. The registry
// commands `registry pending` and `registry alias` (with its re-point MERGE) and the summary's registry
// counts are proven in registry/registry-sql.bq.test.ts. Not proven by ZetaSQL yet: the checks that
// read the staged files before the unit runs (but checkRows), the incremental (landed-date) ingest and
// `registry reprocess`'s own statements (analyzed only, in cli/commands-bigquery.bq.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINE_DDL } from '../engine/schema.js';
import { PROCESSORS } from '../processors/index.js';
import { PROCESSOR_DDL } from '../processors/schema.js';
import { parseDdl, tablesOf } from '../warehouse/bigquery/parse-ddl.js';
import { completeRow, differential } from '../warehouse/bigquery/zetasql/differential.js';
import { ZetaSql } from '../warehouse/bigquery/zetasql/zetasql-server.js';
import type { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Row } from '../warehouse/warehouse.js';
import { ingestStatements, type StagedSeason } from './ingest.js';
import { INGEST_DDL } from './schema.js';
import { SHARED_LOOKUP_AUDIT } from './phase3/context-audits.js';
import { parseNameSources, type NameRow, type ParsedNameSources } from './registry/name-sources.js';
import { playerLookup } from './registry/player-lookup.js';
import { DATA_DIR } from './registry/registry-fixtures.js';
import { STAGED_ROWS, STAGING_DDL, STORED_ROWS, stagedFixtures } from './testing/ingest-sql-fixtures.js';
import { walkUnit } from './testing/walk-unit.js';

const statements = parseDdl(`${INGEST_DDL}\n${ENGINE_DDL}\n${PROCESSOR_DDL}`);
const TABLES_DDL = `${statements.filter((s) => s.kind !== 'view').map((s) => `${s.sql};`).join('\n')}\n${STAGING_DDL}`;
// (pred declares the name-resolution view too, IF NOT EXISTS, for warehouses built without ingest: ingest's is the one)
const views = statements.flatMap((s) => (s.kind === 'view' ? [s] : [])).filter((v, i, all) => all.findIndex((o) => o.schema === v.schema && o.name === v.name) === i);
const VIEWS_DDL = views.map((s) => `${s.sql};`).join('\n');
const VOLATILE = ['processed_at', 'loaded_at', 'created_at', 'resolved_at', 'reprocessed_at', 'ingested_at', 'first_seen_at', 'last_seen_at'];

const staged = stagedFixtures();
const seasons: StagedSeason[] = [
  { files: { season: '2021-22', seasonYear: 2021, playByPlay: staged.pbp2021.file, odds: staged.odds2021.file, props: staged.props2021.file }, pbp: staged.pbp2021, odds: staged.odds2021, props: staged.props2021 },
  { files: { season: '2022-23', seasonYear: 2022, playByPlay: staged.pbp2022.file, odds: undefined, props: undefined }, pbp: staged.pbp2022, odds: undefined, props: undefined },
];
const nameRows = STAGED_ROWS['nba_staging.stg_name_sources'] ?? [];
const parsed: ParsedNameSources = {
  files: { commonplayerinfo: 'cpi.json.gz', shotchart: 'shotchart_names.csv', betfinder: 'betfinder_player_lu.json', betfinder_team: 'betfinder_team_lu.json' },
  rows: {
    commonplayerinfo: nameRows.filter((r) => r['source'] === 'commonplayerinfo') as unknown as NameRow[],
    shotchart: nameRows.filter((r) => r['source'] === 'shotchart') as unknown as NameRow[],
    betfinder: nameRows.filter((r) => r['source'] === 'betfinder') as unknown as NameRow[],
    betfinder_team: nameRows.filter((r) => r['source'] === 'betfinder_team') as unknown as NameRow[],
  },
};
const unitOf = (dialect: 'duckdb' | 'bigquery') => ingestStatements({ dialect }, { runId: 'ingest_1', parsed, names: staged.names, teams: staged.teams, seasons });

// A Phase 4 row, status and failure on 2021-10-20: no game that day (an orphan the ingest removes).
const psza = PROCESSORS[0];
if (!psza) throw new Error('no processors');
const tables = tablesOf(TABLES_DDL);
const orphan = (table: string, row: Row) => completeRow(tables.get(table) ?? assert.fail(table), row);
const FIXTURES: Record<string, readonly Row[]> = {
  ...STAGED_ROWS,
  ...STORED_ROWS,
  [psza.outputTable]: [orphan(psza.outputTable, { [psza.dateColumn]: '2021-10-20', [psza.entityColumn]: 'aaaalpha', run_id: 'old', processed_at: '2021-10-21T00:00:00.000Z' })],
  'nba_processing.partition_status': [orphan('nba_processing.partition_status', { processor_name: psza.processorName, partition_date: '2021-10-20', status: 'complete', rows_written: 1, entity_failures: 0, run_id: 'old', processor_version: 'v', started_at: '2021-10-21T00:00:00.000Z', finished_at: '2021-10-21T00:00:00.000Z', duration_ms: 1 })],
  'nba_processing.precompute_failures': [orphan('nba_processing.precompute_failures', { processor_name: psza.processorName, run_id: 'old', analysis_date: '2021-10-20', entity_id: 'bobeta', failure_category: 'INSUFFICIENT_DATA', failure_reason: 'x', can_retry: true, is_expected: true, occurrence_count: 1, first_seen_at: '2021-10-21T00:00:00.000Z', last_seen_at: '2021-10-21T00:00:00.000Z' })],
};

/** A short name for a statement: its verb and first table. */
function nameOf(i: number, sql: string): string {
  const text = sql.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim();
  const verb = /^(INSERT INTO|DELETE FROM|UPDATE|MERGE INTO|CREATE OR REPLACE TEMP TABLE|SET VARIABLE|ASSERT|SELECT)/i.exec(text)?.[1] ?? text.slice(0, 12);
  const table = /^(?:INSERT INTO|DELETE FROM|UPDATE|MERGE INTO|CREATE OR REPLACE TEMP TABLE)\s+([a-z_.]+)/i.exec(text)?.[1] ?? '';
  return `${i + 1}: ${verb.toLowerCase()} ${table}`.trim();
}

describe('ingest SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let duck: DuckDBWarehouse | undefined;
  const covered: string[] = [];
  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(async () => {
    zeta?.stop();
    await duck?.close();
  });

  it('the ingest unit: one BigQuery script that analyzes, every statement giving the same rows on both engines', { timeout: 600_000 }, async (t) => {
    const walk = await walkUnit({ zeta, ddl: TABLES_DDL, views: VIEWS_DDL, fixtures: FIXTURES, duckdb: unitOf('duckdb'), bigquery: unitOf('bigquery'), volatile: VOLATILE, json: ['extra', 'summary'], name: nameOf });
    duck = walk.duck;
    covered.push(...walk.covered.map((n) => `ingest unit ${n}`));
    t.diagnostic(`${walk.covered.length} statements of the ingest unit`);
    // The orphan (the unit's result): PSZA's row, status and failure on 2021-10-20.
    assert.deepEqual(walk.results.at(-1)?.find((r) => r['processor'] === 'psza'), { processor: 'psza', n_dates: 1, n_rows: 1, n_statuses: 1, n_failures: 1 });
  });

  it('the ingest wrote what the fixtures call for (NULL paths, ties, the season boundary)', async () => {
    assert.ok(duck);
    const q = (sql: string) => duck!.query(sql);
    assert.deepEqual(await q(`SELECT game_id, home_team_abbr, away_team_abbr, home_points, away_points, ot_periods FROM nba_reference.schedule ORDER BY game_id`), [
      { game_id: '0022100001', home_team_abbr: 'BOS', away_team_abbr: 'NYK', home_points: 6, away_points: 3, ot_periods: 0 },
      { game_id: '0022100002', home_team_abbr: 'NYK', away_team_abbr: 'BOS', home_points: 6, away_points: 3, ot_periods: 0 },
      { game_id: '0022100003', home_team_abbr: 'BOS', away_team_abbr: 'NYK', home_points: 8, away_points: 6, ot_periods: 1 },
      { game_id: '0022200001', home_team_abbr: 'BOS', away_team_abbr: 'NYK', home_points: 6, away_points: 3, ot_periods: 0 },
      { game_id: '0022200002', home_team_abbr: 'NYK', away_team_abbr: 'BOS', home_points: 6, away_points: 3, ot_periods: 0 },
    ]);
    // 308 (fouls and an assist only) has a box row but no registry entry: a failure, no summary row; 307 (no team) neither.
    assert.deepEqual(await q(`SELECT player_lookup, processor_name, game_date, occurrence_count, resolved_at FROM nba_processing.registry_failures ORDER BY processor_name, player_lookup, game_date`), [
      { player_lookup: 'knicksofnewyork', processor_name: 'GameOddsLoader', game_date: '2021-10-22', occurrence_count: 1, resolved_at: null },
      // 305's first box score (on 10-19 he was only on court): where Phase 3 first writes him under 'eveepsilon305'
      { player_lookup: 'eveepsilon', processor_name: 'NbaPlayersRegistryProcessor', game_date: '2021-10-21', occurrence_count: 1, resolved_at: null },
      { player_lookup: '308', processor_name: 'PlayerGameSummaryProcessor', game_date: '2021-10-19', occurrence_count: 1, resolved_at: null },
      { player_lookup: '308', processor_name: 'PlayerGameSummaryProcessor', game_date: '2021-10-21', occurrence_count: 1, resolved_at: null },
      { player_lookup: '308', processor_name: 'PlayerGameSummaryProcessor', game_date: '2021-10-22', occurrence_count: 1, resolved_at: null },
      { player_lookup: '308', processor_name: 'PlayerGameSummaryProcessor', game_date: '2022-10-18', occurrence_count: 1, resolved_at: null },
      { player_lookup: '308', processor_name: 'PlayerGameSummaryProcessor', game_date: '2022-10-20', occurrence_count: 1, resolved_at: null },
      { player_lookup: 'zzunknown', processor_name: 'UpcomingPlayerGameContextProcessor', game_date: '2021-10-21', occurrence_count: 3, resolved_at: null },
    ]);
    // Two people named Eve Epsilon: the first seen (same night: the lower id) keeps the lookup; the name resolves to neither.
    assert.deepEqual(await q(`SELECT universal_player_id AS id, player_lookup, player_name FROM nba_reference.nba_players_registry WHERE universal_player_id IN (204, 305) ORDER BY 1`), [
      { id: 204, player_lookup: 'eveepsilon', player_name: 'Eve Epsilón' },
      { id: 305, player_lookup: 'eveepsilon305', player_name: 'Eve Epsilon' },
    ]);
    assert.deepEqual(await q(`SELECT name_lookup FROM nba_reference.player_name_resolution WHERE name_lookup LIKE 'eveepsilon%' ORDER BY 1`), [{ name_lookup: 'eveepsilon305' }]);
    // The yes/no market names its player inside the bet: cut to 'bobbybeta', a betfinder alias, so no failure.
    assert.deepEqual(await q(`SELECT DISTINCT player_name FROM nba_raw.player_prop_lines WHERE prop = 'player triple double'`), [{ player_name: 'bobbybeta' }]);
    // Pre-game contexts: none on a season's first date; the latest 'over' line; a line tipped off after midnight UTC.
    assert.deepEqual(await q(`SELECT player_lookup, CAST(game_date AS VARCHAR) AS d, days_rest, back_to_back, current_points_line FROM nba_analytics.upcoming_player_game_context WHERE player_lookup = 'aaaalpha' ORDER BY d`), [
      { player_lookup: 'aaaalpha', d: '2021-10-21', days_rest: 2, back_to_back: false, current_points_line: 22.5 },
      { player_lookup: 'aaaalpha', d: '2021-10-22', days_rest: 1, back_to_back: true, current_points_line: 19.5 },
      { player_lookup: 'aaaalpha', d: '2022-10-20', days_rest: 2, back_to_back: false, current_points_line: null },
    ]);
    assert.deepEqual(await q(`SELECT team_abbr, CAST(game_date AS VARCHAR) AS d, game_total, game_spread, days_rest, team_pace_last_10 IS NULL AS no_pace FROM nba_analytics.upcoming_team_game_context WHERE team_abbr = 'BOS' ORDER BY d`), [
      { team_abbr: 'BOS', d: '2021-10-19', game_total: 215.5, game_spread: -3.5, days_rest: null, no_pace: true },
      { team_abbr: 'BOS', d: '2021-10-21', game_total: null, game_spread: null, days_rest: 2, no_pace: false },
      { team_abbr: 'BOS', d: '2021-10-22', game_total: null, game_spread: null, days_rest: 1, no_pace: false },
      { team_abbr: 'BOS', d: '2022-10-18', game_total: null, game_spread: null, days_rest: null, no_pace: true },
      { team_abbr: 'BOS', d: '2022-10-20', game_total: null, game_spread: null, days_rest: 2, no_pace: false },
    ]);
    // Aliases: a tie between two spellings of one lookup goes to the first in byte order; the manual alias follows its
    // player; 'Dan Delta' is the suffix alias (betfinder's entry ties to no id); a shot-chart spelling with its registry lookup is none.
    assert.deepEqual(await q(`SELECT alias_lookup, alias_name, canonical_lookup, alias_source FROM nba_reference.player_aliases ORDER BY alias_lookup`), [
      { alias_lookup: 'aalpha', alias_name: 'A. Alpha', canonical_lookup: 'aaaalpha', alias_source: 'betfinder' },
      { alias_lookup: 'alphaaaa', alias_name: 'Alpha Aaa', canonical_lookup: 'aaaalpha', alias_source: 'manual' },
      { alias_lookup: 'bobbybeta', alias_name: 'BOBBY BETA', canonical_lookup: 'bobeta', alias_source: 'betfinder' },
      { alias_lookup: 'dandelta', alias_name: 'Dan Delta', canonical_lookup: 'dandeltajr', alias_source: 'suffix' },
      { alias_lookup: 'fzeta', alias_name: 'F. Zeta', canonical_lookup: 'fredzeta', alias_source: 'betfinder' },
    ]);
  });

  it('the views: game dates, team games, name resolution', async () => {
    assert.ok(duck);
    const snapshot: Record<string, Row[]> = {};
    for (const name of tables.keys()) snapshot[name] = await duck.query(`SELECT * FROM ${name}`);
    for (const v of views) {
      const r = await differential(zeta, { ddl: TABLES_DDL, fixtures: snapshot, sql: v.body });
      assert.equal(r.mismatch, undefined, `${v.schema}.${v.name}: ${r.mismatch}`);
      assert.ok(r.zetasql.length > 0, `${v.schema}.${v.name} has rows`);
      covered.push(`view ${v.schema}.${v.name}`);
    }
  });

  it('the Phase 3 guard: a player_lookup two registry rows hold, named the same way on both engines', async () => {
    const registry = (id: number, name: string, lookup: string) =>
      completeRow(tables.get('nba_reference.nba_players_registry') ?? assert.fail('registry'), {
        universal_player_id: id, player_lookup: lookup, player_name: name, name_source: 'commonplayerinfo', seasons: ['2021-22'], processed_at: '2021-10-21T00:00:00.000Z',
      });
    const fixtures = { 'nba_reference.nba_players_registry': [registry(203552, 'Seth Curry', 'sethcurry'), registry(201939, 'Seth Curry', 'sethcurry'), registry(1629027, 'Trae Young', 'traeyoung')] };
    const r = await differential(zeta, { ddl: TABLES_DDL, fixtures, sql: SHARED_LOOKUP_AUDIT.sql });
    assert.equal(r.mismatch, undefined, r.mismatch);
    assert.deepEqual(r.zetasql, [{ shared: 'player_lookup sethcurry is held by Seth Curry (201939) and Seth Curry (203552)' }]);
    covered.push(`audit ${SHARED_LOOKUP_AUDIT.name} (with a shared lookup)`);
  });

  it('{{player_lookup(…)}} on BigQuery gives playerLookup’s key for every name in the bundled files', async () => {
    const files = parseNameSources(DATA_DIR);
    const names = [...new Set(Object.values(files.rows).flatMap((rows) => rows.flatMap((r) => [r.name, ...(((r.extra as { aliases?: string[] }).aliases) ?? [])])))];
    const r = await zeta.evaluateQuery(`SELECT n, {{player_lookup(n)}} AS k FROM {{unnest_as($names, n)}}`, [], { names });
    assert.ok(names.length > 3000);
    assert.deepEqual(r.rows.filter((x) => x['k'] !== playerLookup(String(x['n']))), []);
    covered.push('piece player_lookup (every bundled name)');
  });

  it('covers every statement (listed in the diagnostics)', (t) => {
    t.diagnostic(`${covered.length} ingest statements covered: ${covered.join(' | ')}`);
    assert.equal(new Set(covered).size, covered.length);
  });
});
