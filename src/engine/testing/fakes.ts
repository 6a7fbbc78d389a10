// Test fixtures for the engine: a tiny schedule and upstream table, and fake processors shaped like
// the real ones (psza ∥ tdza, then pdc reading psza), so engine tests do not depend on real SQL.
import type { ProcessorDefinition } from '../../processors/processor.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

/** Opener 2021-10-01 (bootstrap through 10-14); then one game day each day 2021-10-20..10-29. */
export const OPENER = '2021-10-01';
export const GAME_DAYS = ['2021-10-01', '2021-10-03', ...Array.from({ length: 10 }, (_v, i) => `2021-10-${String(20 + i).padStart(2, '0')}`)];
export const PLAYERS = ['ann', 'bob', 'cat'];

export async function seedWorld(wh: Warehouse, days: readonly string[] = GAME_DAYS): Promise<void> {
  await wh.exec(`CREATE SCHEMA IF NOT EXISTS fake;
CREATE TABLE IF NOT EXISTS fake.player_games (player_lookup VARCHAR, team_abbr VARCHAR, game_date DATE, points INTEGER, processed_at TIMESTAMP, run_id VARCHAR)`);
  await wh.exec(
    `INSERT INTO nba_reference.schedule (game_id, game_date, season_year, home_team_abbr, away_team_abbr, processed_at, run_id)
SELECT 'g' || strftime(CAST(d AS DATE), '%Y%m%d'), CAST(d AS DATE), 2021, 'AAA', 'BBB', TIMESTAMP '2021-11-01 00:00:00', 'seed'
FROM unnest(CAST($days AS VARCHAR[])) AS u(d)`,
    { days: [...days] },
  );
  // Points = day of month + player index; 'cat' scores 0 on even days (an entity failure there).
  await wh.exec(
    `INSERT INTO fake.player_games
SELECT p, CASE WHEN i % 2 = 0 THEN 'AAA' ELSE 'BBB' END, CAST(d AS DATE),
       CASE WHEN p = 'cat' AND day(CAST(d AS DATE)) % 2 = 0 THEN 0 ELSE day(CAST(d AS DATE)) + i END,
       TIMESTAMP '2021-11-01 00:00:00', 'seed'
FROM unnest(CAST($days AS VARCHAR[])) AS u(d), (SELECT unnest(CAST($players AS VARCHAR[])) AS p, generate_subscripts(CAST($players AS VARCHAR[]), 1) AS i)`,
    { days: [...days], players: PLAYERS },
  );
}

const upstreamDep = {
  source: { table: 'fake.player_games', dateColumn: 'game_date' },
  check: 'date_match',
  minRows: 1,
  criticalColumns: ['points'],
  minNonNullRatio: 0.5,
  critical: true,
  maxAgeHours: 24,
} as const;

export const fakePsza: ProcessorDefinition = {
  key: 'psza',
  processorName: 'FakeShotZoneProcessor',
  outputTable: 'fake.psza',
  grain: 'one row per player per analysis_date',
  dateColumn: 'analysis_date',
  entityColumn: 'player_lookup',
  version: 'v1',
  dependsOn: [],
  dependencies: [upstreamDep],
  thresholds: { min_points: 1 },
  ddl: `CREATE SCHEMA IF NOT EXISTS fake;
CREATE TABLE IF NOT EXISTS fake.psza (player_lookup VARCHAR NOT NULL, analysis_date DATE NOT NULL, points INTEGER, processed_at TIMESTAMP, run_id VARCHAR, PRIMARY KEY (player_lookup, analysis_date))`,
  computeSql: `SELECT g.player_lookup, g.game_date AS analysis_date, g.points, now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM fake.player_games g JOIN nba_reference.game_dates d ON d.game_date = g.game_date
WHERE g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND NOT d.is_bootstrap AND g.points >= $min_points`,
  failuresSql: `SELECT g.game_date AS analysis_date, g.player_lookup AS entity_id, 'INSUFFICIENT_DATA' AS failure_category,
       'scored ' || g.points || ' < ' || $min_points AS failure_reason, true AS can_retry, false AS is_expected
FROM fake.player_games g JOIN nba_reference.game_dates d ON d.game_date = g.game_date
WHERE g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND NOT d.is_bootstrap AND g.points < $min_points`,
  audits: [{ name: 'points_non_negative', sql: `SELECT * FROM fake.psza WHERE analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND points < 0` }],
};

export const fakeTdza: ProcessorDefinition = {
  ...fakePsza,
  key: 'tdza',
  processorName: 'FakeTeamDefenseProcessor',
  outputTable: 'fake.tdza',
  grain: 'one row per team per analysis_date',
  entityColumn: 'team_abbr',
  thresholds: {},
  ddl: `CREATE SCHEMA IF NOT EXISTS fake;
CREATE TABLE IF NOT EXISTS fake.tdza (team_abbr VARCHAR NOT NULL, analysis_date DATE NOT NULL, points BIGINT, processed_at TIMESTAMP, run_id VARCHAR, PRIMARY KEY (team_abbr, analysis_date))`,
  computeSql: `SELECT g.team_abbr, g.game_date AS analysis_date, sum(g.points) AS points, now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM fake.player_games g JOIN nba_reference.game_dates d ON d.game_date = g.game_date
WHERE g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND NOT d.is_bootstrap GROUP BY ALL`,
  failuresSql: `SELECT NULL::DATE AS analysis_date, NULL AS entity_id, NULL AS failure_category, NULL AS failure_reason, NULL AS can_retry, NULL AS is_expected WHERE false`,
  audits: [],
};

export const fakePdc: ProcessorDefinition = {
  ...fakePsza,
  key: 'pdc',
  processorName: 'FakeDailyCacheProcessor',
  outputTable: 'fake.pdc',
  grain: 'one row per player per cache_date',
  dateColumn: 'cache_date',
  dependsOn: ['psza'],
  dependencies: [{ source: { processor: 'psza' }, check: 'date_match', minRows: 1, criticalColumns: [], minNonNullRatio: 0, critical: true }],
  thresholds: {},
  ddl: `CREATE SCHEMA IF NOT EXISTS fake;
CREATE TABLE IF NOT EXISTS fake.pdc (player_lookup VARCHAR NOT NULL, cache_date DATE NOT NULL, double_points INTEGER, processed_at TIMESTAMP, run_id VARCHAR, PRIMARY KEY (player_lookup, cache_date))`,
  computeSql: `SELECT player_lookup, analysis_date AS cache_date, points * 2 AS double_points, now()::TIMESTAMP AS processed_at, $run_id AS run_id
FROM fake.psza WHERE analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
  failuresSql: fakeTdza.failuresSql,
  audits: [],
};

export const FAKE_PROCESSORS: readonly ProcessorDefinition[] = [fakePsza, fakeTdza, fakePdc];

/** Rows of a table in a stable order, without the columns that legitimately differ between runs. */
export async function tableContent(wh: Warehouse, table: string, exclude: readonly string[] = ['processed_at', 'run_id']): Promise<string> {
  const list = exclude.map((c) => `'${c}'`).join(', ');
  const rows = await wh.query(`SELECT COLUMNS(c -> c NOT IN (${list})) FROM ${table} ORDER BY ALL`);
  return JSON.stringify(rows);
}

/** Everything a rerun must reproduce: outputs, failures and statuses, minus run ids and timings. */
export async function snapshot(wh: Warehouse): Promise<Record<string, string>> {
  return {
    psza: await tableContent(wh, 'fake.psza'),
    tdza: await tableContent(wh, 'fake.tdza'),
    pdc: await tableContent(wh, 'fake.pdc'),
    failures: await tableContent(wh, 'nba_processing.precompute_failures', ['run_id', 'first_seen_at', 'last_seen_at']),
    statuses: await tableContent(wh, 'nba_processing.partition_status', ['run_id', 'started_at', 'finished_at', 'duration_ms']),
  };
}

/** `n` consecutive game days from the opener: a season-sized calendar for kill and speed tests. */
export function consecutiveDays(n: number): string[] {
  return Array.from({ length: n }, (_v, i) => new Date(Date.UTC(2021, 9, 1 + i)).toISOString().slice(0, 10));
}

/** The fakes without primary keys, so that a duplicate write would show up as rows, not as an error. */
export const FAKE_PROCESSORS_NO_KEYS: readonly ProcessorDefinition[] = FAKE_PROCESSORS.map((p) => ({ ...p, ddl: p.ddl.replace(/, PRIMARY KEY \([^)]*\)/, '') }));
