// The registry commands' SQL on BigQuery: `registry pending` (pendingFailures), `registry alias NAME
// --to PLAYER` (findRegistryPlayer, addManualAlias, with the re-point MERGE) and the ingest summary's
// registry counts (registrySummary). The functions run on a DuckDB warehouse that proves every
// statement before running it: ZetaSQL (BigQuery's analyzer) accepts it, and on the tables as the
// statements before it left them (the name-resolution view as a table holding what DuckDB's view
// returns; the view's own SQL is proven on these fixtures too, before and after the aliases) ZetaSQL's
// evaluator gives DuckDB's rows —
//   SELECT                    differential (in order where the statement orders its rows)
//   INSERT / UPDATE / DELETE  differentialWrite (moments of writing compared as set / not set)
//   MERGE                     this ZetaSQL cannot evaluate one: analyzed; its USING source and which
//                             source rows its ON matches, by differential; DuckDB's result asserted.
// The fixtures reach the branches: a pending failure with suggestions, an alias by id, by lookup and
// by name, --to a name two people carry (refused), that name as the alias (allowed: the operator says
// which of them), a registry lookup as the alias (refused), an unknown player, an
// alias re-pointing a spelling that resolved to another player (matched and unmatched dates, a line
// without a team or without a game), the summary's sharedNames and ambiguousLookups.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../core/errors.js';
import { parseDdl, tablesOf, type TableDef } from '../../warehouse/bigquery/parse-ddl.js';
import { completeRow, differential, differentialWrite, mergeSource } from '../../warehouse/bigquery/zetasql/differential.js';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { firstKeyword } from '../../warehouse/statement-kind.js';
import type { DryRunResult, LoadResult, Row, SqlParams, SqlValue, Warehouse } from '../../warehouse/warehouse.js';
import { INGEST_DDL } from '../schema.js';
import { registrySummary } from './build-registry.js';
import { addManualAlias, pendingFailures } from './lifecycle.js';

const USED = ['nba_reference.schedule', 'nba_reference.nba_players_registry', 'nba_reference.player_aliases', 'nba_processing.registry_failures', 'nba_raw.player_prop_lines'];
const parsed = parseDdl(INGEST_DDL);
const TABLES_DDL = parsed
  .flatMap((s) => (s.kind === 'schema' ? [s.sql] : s.kind === 'table' && USED.includes(`${s.table.schema}.${s.table.name}`) ? [s.sql] : []))
  .map((sql) => `${sql};`)
  .join('\n');
const VIEW = parsed.find((s) => s.kind === 'view' && s.name === 'player_name_resolution');
if (!VIEW) throw new Error('no player_name_resolution view in INGEST_DDL');
const VOLATILE = ['created_at', 'resolved_at', 'reprocessed_at', 'processed_at', 'loaded_at'];

/** Moments of writing: which are set matters, not when (current_timestamp differs between engines). */
const setOrNot = (rows: Row[]): Row[] => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, VOLATILE.includes(k) ? (v === null || v === undefined ? null : 'set') : v])));

/** The statement orders its rows (an ORDER BY outside every parenthesis, at its end). */
const isOrdered = (sql: string): boolean => /ORDER\s+BY\s[^()]*$/i.test(sql.trim());

/**
 * A DuckDB warehouse that proves each statement on ZetaSQL before running it (see the header).
 * `label` names the statements of the call being made, for the coverage list.
 */
class ProvingWarehouse implements Warehouse {
  readonly dialect = 'duckdb' as const;
  readonly covered: string[] = [];
  label = '';
  private viewDdl = '';
  private constructor(
    private readonly zeta: ZetaSql,
    readonly duck: DuckDBWarehouse,
  ) {}

  static async open(zeta: ZetaSql, fixtures: Readonly<Record<string, readonly Row[]>>): Promise<ProvingWarehouse> {
    const duck = await DuckDBWarehouse.open(':memory:');
    await duck.applyDdl(TABLES_DDL);
    const tables = tablesOf(TABLES_DDL);
    for (const [name, rows] of Object.entries(fixtures)) await insertRows(duck, tables.get(name) ?? assert.fail(`no table ${name}`), rows);
    await duck.applyDdl(`${VIEW?.sql};`);
    const w = new ProvingWarehouse(zeta, duck);
    const cols = await duck.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM nba_reference.player_name_resolution)`);
    w.viewDdl = `CREATE TABLE IF NOT EXISTS nba_reference.player_name_resolution (${cols.map((c) => `${c.column_name} ${/INT/.test(c.column_type) ? 'BIGINT' : c.column_type}`).join(', ')});`;
    return w;
  }

  /** Our DDL with the view as a table, and every table's rows as DuckDB holds them now. */
  private async snapshot(): Promise<{ ddl: string; tables: TableDef[]; fixtures: Record<string, Row[]> }> {
    const ddl = `${TABLES_DDL}\n${this.viewDdl}`;
    const defs = tablesOf(ddl);
    const fixtures: Record<string, Row[]> = {};
    for (const name of defs.keys()) fixtures[name] = await this.duck.query(`SELECT * FROM ${name}`);
    return { ddl, tables: [...defs.values()], fixtures };
  }

  private name(sql: string): string {
    const text = sql.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim();
    const table = /^(?:SELECT .*? FROM|INSERT INTO|DELETE FROM|UPDATE|MERGE INTO)\s+([a-z_]+\.[a-z_]+)/i.exec(text)?.[1] ?? '';
    return `${this.label}: ${firstKeyword(sql).toLowerCase()} ${table}`.trim();
  }

  async query<T extends Row = Row>(sql: string, params: SqlParams = {}): Promise<T[]> {
    const s = await this.snapshot();
    await this.zeta.analyze(sql, s.tables, params);
    const r = await differential(this.zeta, { ddl: s.ddl, fixtures: s.fixtures, sql, params, ordered: isOrdered(sql) });
    assert.equal(r.mismatch, undefined, `${this.name(sql)}: ${r.mismatch}`);
    this.covered.push(this.name(sql));
    return this.duck.query<T>(sql, params);
  }

  async exec(sql: string, params: SqlParams = {}): Promise<void> {
    const s = await this.snapshot();
    await this.zeta.analyze(sql, s.tables, params);
    if (firstKeyword(sql) === 'MERGE') {
      const source = mergeSource(sql);
      const r = await differential(this.zeta, { ddl: s.ddl, fixtures: s.fixtures, sql: source, params });
      assert.equal(r.mismatch, undefined, `${this.name(sql)} (its source): ${r.mismatch}`);
      // Which source rows the ON condition matches (WHEN MATCHED vs WHEN NOT MATCHED), on both engines.
      const on = /\)\s+AS\s+s\s+ON\s+([\s\S]*?)\s+WHEN\s+MATCHED/i.exec(sql)?.[1] ?? assert.fail('MERGE … AS s ON … WHEN MATCHED');
      const target = /^\s*MERGE\s+INTO\s+([a-z_.]+)\s+AS\s+t\b/i.exec(sql)?.[1] ?? assert.fail('MERGE INTO <table> AS t');
      const matched = await differential(this.zeta, { ddl: s.ddl, fixtures: s.fixtures, sql: `SELECT s.*, t.run_id IS NOT NULL AS matched FROM (${source}) AS s LEFT JOIN ${target} AS t ON ${on}`, params });
      assert.equal(matched.mismatch, undefined, `${this.name(sql)} (ON): ${matched.mismatch}`);
      this.mergeBranches.push(matched.zetasql);
    } else {
      const r = await differentialWrite(this.zeta, { ddl: s.ddl, fixtures: s.fixtures, sql, params, normalize: setOrNot });
      assert.equal(r.mismatch, undefined, `${this.name(sql)}: ${r.mismatch}`);
    }
    this.covered.push(this.name(sql));
    await this.duck.exec(sql, params);
  }

  /** The resolution view's own SQL over the tables as they are now: ZetaSQL's rows are DuckDB's view's. */
  async proveView(): Promise<Row[]> {
    const { 'nba_reference.player_name_resolution': viewRows, ...tables } = (await this.snapshot()).fixtures;
    const r = await differential(this.zeta, { ddl: TABLES_DDL, fixtures: tables, sql: (VIEW as { body: string }).body });
    assert.equal(r.mismatch, undefined, `view player_name_resolution: ${r.mismatch}`);
    assert.equal(r.duckdb.length, viewRows?.length);
    this.covered.push(`${this.label}: view nba_reference.player_name_resolution`);
    return r.zetasql;
  }

  /** Per MERGE run: its source rows, each with whether ON matched a target row (ZetaSQL's answer). */
  readonly mergeBranches: Row[][] = [];

  async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    return work(this);
  }
  async readOnlyQuery(): Promise<Row[]> {
    throw new Error('not used by the registry commands');
  }
  async script(): Promise<Row[]> {
    throw new Error('not used by the registry commands');
  }
  async load(): Promise<LoadResult> {
    throw new Error('not used by the registry commands');
  }
  async applyDdl(): Promise<void> {
    throw new Error('not used by the registry commands');
  }
  async columns(table: string): Promise<readonly string[] | undefined> {
    return this.duck.columns(table);
  }
  async dryRun(): Promise<DryRunResult> {
    throw new Error('not used by the registry commands');
  }
  async close(): Promise<void> {
    await this.duck.close();
  }
}

async function insertRows(duck: DuckDBWarehouse, def: TableDef, rows: readonly Row[]): Promise<void> {
  const names = def.columns.map((c) => c.name);
  const values = def.columns.map((c, i) => (c.type.array ? `CAST(CAST($c${i} AS JSON) AS ${c.sourceType})` : `$c${i}`));
  for (const partial of rows) {
    const row = completeRow(def, partial);
    const params: Record<string, SqlValue> = {};
    def.columns.forEach((c, i) => {
      const v = row[c.name] ?? null;
      params[`c${i}`] = (c.type.array && v !== null ? JSON.stringify(v) : v) as SqlValue;
    });
    await duck.exec(`INSERT INTO ${def.schema}.${def.name} (${names.join(', ')}) VALUES (${values.join(', ')})`, params);
  }
}

const T0 = '2021-11-04T12:00:00.000Z';
const player = (universal_player_id: number, player_name: string, player_lookup: string, name_source = 'commonplayerinfo') => ({
  universal_player_id, player_name, player_lookup, name_source, seasons: ['2021-22'], processed_at: T0,
});
const failure = (player_lookup: string, raw_name: string | null, game_date: string, processor_name: string, extra: Row = {}) => ({
  player_lookup, raw_name, game_date, processor_name, created_at: T0, occurrence_count: 1, run_id: 'ingest_1', ...extra,
});
const UPGC = 'UpcomingPlayerGameContextProcessor';
const PGS = 'PlayerGameSummaryProcessor';
let row = 0;
const line = (player_name: string, game_date: string, team_abbr: string | null, prop = 'player points ou') => ({
  snapshot_utc: T0, source_commit: 'c', prop, game_date, player_name, team_abbr, side: 'over', line: 20.5, source_file: 'props.csv', source_row: ++row, loaded_at: T0,
});
const game = (game_id: string, game_date: string, home_team_abbr: string, away_team_abbr: string) => ({ game_id, game_date, season_year: 2021, home_team_abbr, away_team_abbr, processed_at: T0, run_id: 'ingest_1' });

const FIXTURES: Record<string, Row[]> = {
  'nba_reference.nba_players_registry': [
    player(1629027, 'Trae Young', 'traeyoung'),
    // One name, two people: the later one got '<lookup><person id>' (sharedNames); 'Seth Curry' resolves to neither.
    player(203552, 'Seth Curry', 'sethcurry'),
    player(201939, 'Seth Curry', 'sethcurry201939'),
    player(203187, 'Chris Johnson', 'chrisjohnson'),
    player(1629659, 'Chris Johnson', 'chrisjohnson1629659', 'shotchart'),
    // One lookup, two rows (a hand edit: ambiguousLookups)
    player(9000001, 'Zed Zeta', 'zzeta', 'pbp_description_initial_only'),
    player(9000002, 'Zack Zeta', 'zzeta', 'pbp_description_initial_only'),
  ],
  'nba_reference.player_aliases': [
    { alias_lookup: 'scurry', alias_name: 'S. Curry', canonical_lookup: 'sethcurry', universal_player_id: 203552, alias_source: 'betfinder', is_active: true, created_at: T0 },
    { alias_lookup: 'tyoung', alias_name: 'T Young', canonical_lookup: 'traeyoung', universal_player_id: 1629027, alias_source: 'betfinder', is_active: false, created_at: T0 },
  ],
  'nba_processing.registry_failures': [
    failure('treyyoung', 'Trey Young', '2021-11-05', UPGC, { occurrence_count: 2 }),
    failure('treyyoung', 'Trey Young', '2021-11-06', UPGC),
    failure('treyyoung', 'Trey Young', '2021-11-06', PGS),
    failure('curry', 'Curry', '2021-11-06', UPGC),
    failure('xqzv', null, '2021-11-07', PGS),
    failure('jrandom', 'J. Random', '2021-11-05', UPGC, { resolved_at: T0 }), // RESOLVED: not pending
    // The spelling re-pointed below: a date already REPROCESSED for the player context (matched), one
    // pending for the box score (another processor: not matched, the UPDATE resolves it).
    failure('scurry', 'S. Curry', '2021-11-05', UPGC, { resolved_at: T0, reprocessed_at: T0, occurrence_count: 3, team_abbr: 'PHI', season: '2021-22', game_id: '0022100101' }),
    failure('scurry', 'S. Curry', '2022-01-10', PGS),
  ],
  'nba_reference.schedule': [
    game('0022100101', '2021-11-05', 'PHI', 'NYK'),
    game('0022100102', '2021-11-05', 'BOS', 'MIA'),
    game('0022100501', '2022-01-10', 'ATL', 'PHI'),
  ],
  'nba_raw.player_prop_lines': [
    line('S. Curry', '2021-11-05', 'PHI'),
    line('S Curry', '2021-11-05', 'PHI'), // the same lookup: raw_name is the first in byte order
    line('S. Curry', '2022-01-10', null), // no team: no game
    line('S. Curry', '2022-10-20', 'PHI'), // no game that day (and another season)
    line('S. Curry', '2021-11-09', 'PHI', 'team total'), // a team market: not a player's line
    line('Trae Young', '2021-11-05', 'ATL'),
  ],
};

describe('registry commands SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let wh: ProvingWarehouse;
  before(async () => {
    zeta = await ZetaSql.start();
    wh = await ProvingWarehouse.open(zeta, FIXTURES);
  });
  after(async () => {
    zeta?.stop();
    await wh?.close();
  });

  it('the ingest summary: players and aliases by source, shared names and lookups two rows hold', { timeout: 300_000 }, async () => {
    wh.label = 'fixtures';
    // Neither Seth Curry's name nor the lookup two rows hold resolves; the inactive alias neither.
    assert.deepEqual((await wh.proveView()).map((r) => [r['name_lookup'], r['universal_player_id'], r['resolved_via']]).sort(), [
      ['chrisjohnson1629659', 1629659, 'registry'],
      ['scurry', 203552, 'alias'],
      ['sethcurry201939', 201939, 'registry'],
      ['traeyoung', 1629027, 'registry'],
    ]);
    wh.label = 'registrySummary';
    assert.deepEqual(await registrySummary(wh), {
      players: 7,
      byNameSource: { commonplayerinfo: 4, pbp_description_initial_only: 2, shotchart: 1 },
      aliasesBySource: { betfinder: 2 },
      ambiguousLookups: 1,
      sharedNames: 2,
    });
  });

  it('registry pending: one row per pending lookup, in order, with suggestions', { timeout: 300_000 }, async () => {
    wh.label = 'pendingFailures';
    const rows = await pendingFailures(wh);
    assert.deepEqual(
      rows.map((r) => [r['lookup'], r['raw_name'], r['processors'], r['dates'], r['occurrences'], r['first_date'], r['last_date']]),
      [
        ['treyyoung', 'Trey Young', `${PGS},${UPGC}`, 2, 4, '2021-11-05', '2021-11-06'],
        ['curry', 'Curry', UPGC, 1, 1, '2021-11-06', '2021-11-06'],
        ['scurry', 'S. Curry', PGS, 1, 1, '2022-01-10', '2022-01-10'],
        ['xqzv', null, PGS, 1, 1, '2021-11-07', '2021-11-07'],
      ],
    );
    const suggestions = Object.fromEntries(rows.map((r) => [r['lookup'], r['suggestions']]));
    assert.equal(suggestions['treyyoung'], 'Trae Young (1629027)');
    assert.match(String(suggestions['curry']), /Seth Curry \(201939\).*Seth Curry \(203552\)|Seth Curry \(203552\).*Seth Curry \(201939\)/);
    assert.equal(suggestions['xqzv'], '');
  });

  it('registry alias: by id and by name; a shared name as the alias; refused: PLAYER a name two people carry, a registry lookup, nobody', { timeout: 300_000 }, async () => {
    wh.label = 'alias by id';
    const byId = await addManualAlias(wh, 'Trey Young', '1629027');
    assert.deepEqual([byId.aliasLookup, byId.player.player_lookup, byId.failuresResolved], ['treyyoung', 'traeyoung', 3]);

    wh.label = 'alias to a shared name';
    await assert.rejects(addManualAlias(wh, 'Curry', 'Seth Curry'), (e: unknown) => e instanceof UsageError && /'Seth Curry' is ambiguous: Seth Curry \(201939\), Seth Curry \(203552\)/.test(e.message));
    wh.label = 'alias of a registry lookup';
    await assert.rejects(addManualAlias(wh, 'Trae Young', '203552'), (e: unknown) => e instanceof UsageError && /'traeyoung' is already a registry lookup \(Trae Young \(1629027\)\)/.test(e.message));
    wh.label = 'alias to nobody';
    await assert.rejects(addManualAlias(wh, 'Nobody', 'No Such Player'), (e: unknown) => e instanceof UsageError && /no registry player matches 'No Such Player'/.test(e.message));

    wh.label = 'alias by name';
    const byName = await addManualAlias(wh, 'T Young', 'Trae Young'); // replaces the inactive generated alias
    assert.deepEqual([byName.aliasLookup, byName.player.universal_player_id, byName.failuresResolved], ['tyoung', 1629027, 0]);
    // A name two people carry is nobody's registry lookup: the operator's alias says which of them it means.
    wh.label = 'alias of a shared name';
    const shared = await addManualAlias(wh, 'Seth Curry', '203552');
    assert.deepEqual([shared.aliasLookup, shared.player.player_lookup, shared.failuresResolved], ['sethcurry', 'sethcurry', 0]);
    assert.equal(wh.mergeBranches.length, 0, 'no re-point so far (an inactive alias and a shared name resolve nobody)');
  });

  it('registry alias re-pointing a spelling from another player: the MERGE queues every date its lines carry', { timeout: 300_000 }, async () => {
    wh.label = 'alias re-point';
    const r = await addManualAlias(wh, 'S. Curry', 'sethcurry201939');
    assert.deepEqual([r.aliasLookup, r.player.universal_player_id, r.failuresResolved], ['scurry', 201939, 1]);
    // The MERGE's source on ZetaSQL (= DuckDB's): one row per date, the team market left out; ON matched 11-05 only.
    assert.deepEqual(
      wh.mergeBranches[0]?.map((b) => [b['game_date'], b['raw_name'], b['team_abbr'], b['season'], b['game_id'], b['matched']]).sort(),
      [
        ['2021-11-05', 'S Curry', 'PHI', '2021-22', '0022100101', true],
        ['2022-01-10', 'S. Curry', null, '2021-22', null, false],
        ['2022-10-20', 'S. Curry', 'PHI', '2022-23', null, false],
      ],
    );
    assert.deepEqual(
      await wh.duck.query(`SELECT CAST(game_date AS VARCHAR) AS d, processor_name AS p, raw_name, team_abbr, season, game_id, occurrence_count AS n, run_id,
                                  resolved_at IS NOT NULL AS resolved, reprocessed_at IS NOT NULL AS reprocessed
                           FROM nba_processing.registry_failures WHERE player_lookup = 'scurry' ORDER BY d, p`),
      [
        { d: '2021-11-05', p: UPGC, raw_name: 'S. Curry', team_abbr: 'PHI', season: '2021-22', game_id: '0022100101', n: 3, run_id: 'ingest_1', resolved: true, reprocessed: false },
        { d: '2022-01-10', p: PGS, raw_name: 'S. Curry', team_abbr: null, season: null, game_id: null, n: 1, run_id: 'ingest_1', resolved: true, reprocessed: false },
        { d: '2022-01-10', p: UPGC, raw_name: 'S. Curry', team_abbr: null, season: '2021-22', game_id: null, n: 0, run_id: 'registry-alias', resolved: true, reprocessed: false },
        { d: '2022-10-20', p: UPGC, raw_name: 'S. Curry', team_abbr: 'PHI', season: '2022-23', game_id: null, n: 0, run_id: 'registry-alias', resolved: true, reprocessed: false },
      ],
    );
  });

  it('after the aliases: the summary and pending again', { timeout: 300_000 }, async (t) => {
    wh.label = 'after aliases';
    assert.deepEqual((await wh.proveView()).filter((r) => r['resolved_via'] === 'alias').map((r) => [r['name_lookup'], r['universal_player_id']]).sort(), [
      ['scurry', 201939],
      ['sethcurry', 203552],
      ['treyyoung', 1629027],
      ['tyoung', 1629027],
    ]);
    wh.label = 'registrySummary after aliases';
    const s = await registrySummary(wh);
    assert.deepEqual(s.aliasesBySource, { manual: 4 });
    wh.label = 'pendingFailures after aliases';
    assert.deepEqual((await pendingFailures(wh)).map((r) => r['lookup']), ['curry', 'xqzv']);
    t.diagnostic(`${wh.covered.length} statements proven: ${wh.covered.join(' | ')}`);
    assert.ok(wh.covered.some((n) => /alias re-point: merge nba_processing.registry_failures/.test(n)));
  });
});
