// Fixtures for the differential tests of the engine's SQL (engine-sql.bq.test.ts): a tiny schedule,
// a Phase 3-like box-score table and a portable processor over it ("form": each player's latest
// points before D), with the NULL paths the engines treat differently: a missing box score (NULL
// points), a player without team, a date without games, a first game (no history), rows equal but
// for processed_at/run_id, a processor with no statuses, a run without end or summary.
import { lookback, sameDay } from '../../processors/dependency.js';
import type { ProcessorDefinition } from '../../processors/processor.js';
import { splitSqlSections, stagedQueries } from '../../processors/sql-file.js';
import { ENGINE_DDL } from '../schema.js';

export const FORM_TABLE = 'nba_precompute.form';

const FORM_DDL = `CREATE TABLE IF NOT EXISTS ${FORM_TABLE} (
  player_lookup VARCHAR NOT NULL,
  analysis_date DATE NOT NULL,
  points_last INTEGER,
  games BIGINT NOT NULL,
  team_abbr VARCHAR,
  source_last_game_date DATE NOT NULL,
  processed_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL
)`;

/** The engine's tables, the Phase 3 stand-ins the engine reads, and the form processor's output. */
export const ENGINE_SQL_DDL = `${ENGINE_DDL}
CREATE SCHEMA IF NOT EXISTS nba_reference;
-- A view in the product (ingest/schema.ts); a table here, with the columns the engine reads.
CREATE TABLE IF NOT EXISTS nba_reference.game_dates (game_date DATE NOT NULL, season_year INTEGER NOT NULL, is_bootstrap BOOLEAN NOT NULL);
CREATE SCHEMA IF NOT EXISTS nba_analytics;
CREATE TABLE IF NOT EXISTS nba_analytics.box (player_lookup VARCHAR NOT NULL, team_abbr VARCHAR, game_date DATE NOT NULL, points INTEGER, minutes DECIMAL(18, 3), processed_at TIMESTAMP NOT NULL, run_id VARCHAR NOT NULL);
CREATE SCHEMA IF NOT EXISTS nba_precompute;
${FORM_DDL};`;

const FORM_SQL = `-- Grain: one row per player with a game before analysis_date this season.
-- name: candidates
WITH targets AS (
  SELECT DISTINCT b.player_lookup, d.game_date AS analysis_date, d.season_year
  FROM nba_reference.game_dates d JOIN nba_analytics.box b ON b.game_date = d.game_date
  WHERE d.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND NOT d.is_bootstrap
),
history AS (
  SELECT t.player_lookup, t.analysis_date, h.game_date, h.points, h.team_abbr,
         row_number() OVER (PARTITION BY t.player_lookup, t.analysis_date ORDER BY h.game_date DESC) AS recency,
         count(*) OVER (PARTITION BY t.player_lookup, t.analysis_date) AS games
  FROM targets t JOIN nba_analytics.box h ON h.player_lookup = t.player_lookup AND h.game_date < t.analysis_date
),
candidates AS (
  SELECT player_lookup, analysis_date, points AS points_last, games, team_abbr, game_date AS source_last_game_date
  FROM history WHERE recency = 1
)
-- name: compute
SELECT player_lookup, analysis_date, points_last, games, team_abbr, source_last_game_date,
       CAST($now AS TIMESTAMP) AS processed_at, $run_id AS run_id
FROM candidates WHERE games >= $min_games
-- name: failures
SELECT analysis_date, player_lookup AS entity_id, 'INSUFFICIENT_DATA' AS failure_category,
       concat(CAST(games AS STRING), ' games < ', CAST($min_games AS STRING)) AS failure_reason, true AS can_retry, games < 2 AS is_expected
FROM candidates WHERE games < $min_games
UNION ALL
-- The same entity reported twice (once without a reason): the upsert must take it once.
SELECT analysis_date, player_lookup, 'INSUFFICIENT_DATA', NULL, NULL, NULL FROM candidates WHERE games < $min_games AND team_abbr IS NULL`;

const sections = splitSqlSections(FORM_SQL);

export const formProcessor: ProcessorDefinition = {
  key: 'psza',
  processorName: 'FormProcessor',
  outputTable: FORM_TABLE,
  grain: 'one row per player with a game before analysis_date this season',
  dateColumn: 'analysis_date',
  entityColumn: 'player_lookup',
  version: 'v1',
  dependsOn: [],
  dependencies: [
    lookback('nba_analytics.box', 2, { columns: ['points', 'team_abbr'], ratio: 0.5 }),
    sameDay('nba_analytics.box', { columns: ['minutes'], ratio: 1 }),
  ],
  thresholds: { min_games: 2 },
  ddl: FORM_DDL,
  computeSql: `${sections['candidates']}\n${sections['compute']}`,
  failuresSql: `${sections['candidates']}\n${sections['failures']}`,
  staged: stagedQueries(sections),
  audits: [
    {
      name: 'as_of_source_before_date',
      sql: `SELECT * FROM ${FORM_TABLE} WHERE analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND source_last_game_date >= analysis_date`,
    },
    {
      name: 'grain_unique',
      sql: `SELECT player_lookup, analysis_date, count(*) AS copies FROM ${FORM_TABLE}
WHERE analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) GROUP BY player_lookup, analysis_date HAVING count(*) > 1`,
    },
  ],
};

export const GAME_DATES = [
  { game_date: '2021-10-18', season_year: 2021, is_bootstrap: true },
  { game_date: '2021-10-20', season_year: 2021, is_bootstrap: false },
  { game_date: '2021-10-21', season_year: 2021, is_bootstrap: false }, // no box scores: an empty date
  { game_date: '2021-10-22', season_year: 2021, is_bootstrap: false },
  { game_date: '2021-10-25', season_year: 2021, is_bootstrap: false },
];

const loaded = (h: number) => `2021-10-26T0${h}:00:00.000Z`;

export const BOX = [
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-18', points: 11, minutes: 30.5, processed_at: loaded(1), run_id: 'ingest_1' },
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-20', points: 20, minutes: 31.25, processed_at: loaded(1), run_id: 'ingest_1' },
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-22', points: null, minutes: 0, processed_at: loaded(1), run_id: 'ingest_1' }, // missing box score
  { player_lookup: 'ann', team_abbr: 'BOS', game_date: '2021-10-25', points: 18, minutes: 28, processed_at: loaded(1), run_id: 'ingest_1' },
  { player_lookup: 'bob', team_abbr: null, game_date: '2021-10-20', points: 7, minutes: null, processed_at: loaded(1), run_id: 'ingest_1' }, // no team
  { player_lookup: 'bob', team_abbr: null, game_date: '2021-10-25', points: 12, minutes: 14.25, processed_at: loaded(1), run_id: 'ingest_1' },
  { player_lookup: 'cat', team_abbr: 'NYK', game_date: '2021-10-25', points: 9, minutes: 12, processed_at: loaded(1), run_id: 'ingest_1' }, // first game
  // The same row loaded twice: equal but for processed_at and run_id, so its content hashes equal.
  { player_lookup: 'eve', team_abbr: 'NYK', game_date: '2021-10-25', points: 10, minutes: 20.5, processed_at: loaded(2), run_id: 'ingest_2' },
  { player_lookup: 'eve', team_abbr: 'NYK', game_date: '2021-10-25', points: 10, minutes: 20.5, processed_at: loaded(3), run_id: 'ingest_3' },
];

export const STARTED = '2021-10-26T10:00:00.000Z';

export const STATUSES = [
  { processor_name: 'FormProcessor', partition_date: '2021-10-18', status: 'bootstrap_empty', failure_category: null, rows_written: 0, entity_failures: 0, run_id: 'r0', processor_version: 'v1', upstream_fingerprint: 'fp18', output_checksum: '0:0', detail: null, started_at: STARTED, finished_at: STARTED, duration_ms: 5 },
  { processor_name: 'FormProcessor', partition_date: '2021-10-20', status: 'complete', failure_category: null, rows_written: 2, entity_failures: 0, run_id: 'r0', processor_version: 'v1', upstream_fingerprint: 'fp20', output_checksum: '2:123', detail: null, started_at: STARTED, finished_at: STARTED, duration_ms: 5 },
  { processor_name: 'FormProcessor', partition_date: '2021-10-22', status: 'failed', failure_category: 'MISSING_DEPENDENCIES', rows_written: 0, entity_failures: 0, run_id: 'r0', processor_version: 'v1', upstream_fingerprint: null, output_checksum: null, detail: 'nba_analytics.box: 0 rows < 1', started_at: STARTED, finished_at: STARTED, duration_ms: 5 },
  { processor_name: 'OtherProcessor', partition_date: '2021-10-20', status: 'skipped_upstream', failure_category: null, rows_written: 0, entity_failures: 0, run_id: 'r0', processor_version: 'v2', upstream_fingerprint: null, output_checksum: null, detail: 'upstream psza is failed', started_at: STARTED, finished_at: STARTED, duration_ms: 5 },
];

export const FAILURES = [
  { processor_name: 'FormProcessor', run_id: 'r0', analysis_date: '2021-10-20', entity_id: 'bob', failure_category: 'INSUFFICIENT_DATA', failure_reason: '1 games < 2', can_retry: true, is_expected: true, occurrence_count: 3, first_seen_at: STARTED, last_seen_at: STARTED },
  { processor_name: 'FormProcessor', run_id: 'r0', analysis_date: '2021-10-22', entity_id: 'DATE_LEVEL', failure_category: 'MISSING_DEPENDENCIES', failure_reason: 'nba_analytics.box: 0 rows < 1', can_retry: true, is_expected: false, occurrence_count: 1, first_seen_at: STARTED, last_seen_at: STARTED },
  { processor_name: 'FormProcessor', run_id: 'r0', analysis_date: '2021-10-25', entity_id: 'ann', failure_category: 'INSUFFICIENT_DATA', failure_reason: '', can_retry: false, is_expected: false, occurrence_count: 1, first_seen_at: STARTED, last_seen_at: STARTED },
  { processor_name: 'OtherProcessor', run_id: 'r0', analysis_date: '2021-10-25', entity_id: 'BOS', failure_category: 'INCOMPLETE_DATA', failure_reason: 'zone rows missing', can_retry: true, is_expected: false, occurrence_count: 2, first_seen_at: STARTED, last_seen_at: STARTED },
];

const output = (player: string, date: string, points: number | null, games: number, team: string | null, last: string, run: string) => ({
  player_lookup: player, analysis_date: date, points_last: points, games, team_abbr: team, source_last_game_date: last, processed_at: STARTED, run_id: run,
});

/** Output rows already stored: two dates in range, one outside it, one row breaking the as-of rule. */
export const FORM_ROWS = [
  output('ann', '2021-10-20', 11, 1, 'BOS', '2021-10-18', 'r0'),
  output('ann', '2021-10-22', 20, 2, 'BOS', '2021-10-20', 'r0'),
  output('bob', '2021-10-22', 7, 1, null, '2021-10-20', 'r0'),
  output('ann', '2021-10-18', null, 0, 'BOS', '2021-10-17', 'r0'),
];

export const RUNS = [
  { run_id: 'backfill_1', command: 'backfill', arguments: '{"from":"2021-10-18"}', mode: 'backfill', started_at: '2021-10-26T10:00:00.000Z', finished_at: '2021-10-26T10:00:07.250Z', status: 'partial', summary: '{"failed":3,"durationMs":7250}' },
  { run_id: 'daily_2', command: 'run', arguments: null, mode: 'daily', started_at: '2021-10-27T10:00:00.000Z', finished_at: null, status: 'running', summary: null },
  { run_id: 'reset_3', command: 'reset', arguments: '{}', mode: 'maintenance', started_at: '2021-10-27T09:00:00.000Z', finished_at: '2021-10-27T09:00:00.049Z', status: 'success', summary: '{"reset":[]}' },
  // Killed before its first batch, marked interrupted by an older courtside (finished_at = started_at): no seconds.
  { run_id: 'backfill_0', command: 'backfill', arguments: '{}', mode: 'backfill', started_at: '2021-10-25T10:00:00.000Z', finished_at: '2021-10-25T10:00:00.000Z', status: 'interrupted', summary: '{"batches":0}' },
];

export const STEPS = [
  { run_id: 'backfill_1', processor_name: 'FormProcessor', batch_from: '2021-10-18', batch_to: '2021-10-25', status: 'success', partitions: 4, rows_written: 5, duration_ms: 1200, error: null, finished_at: '2021-10-26T10:00:05.000Z' },
  { run_id: 'backfill_1', processor_name: 'OtherProcessor', batch_from: '2021-10-18', batch_to: '2021-10-25', status: 'failed', partitions: 4, rows_written: 0, duration_ms: 900, error: 'psza 2021-10-18..2021-10-25: timeout', finished_at: '2021-10-26T10:00:06.000Z' },
];

export const NOTIFICATIONS = [
  { signature: 'missing_dependency:psza', event_type: 'missing_dependency', sent_at: '2021-10-27T09:30:00.000Z', suppressed: false, run_id: null },
  { signature: 'missing_dependency:psza', event_type: 'missing_dependency', sent_at: '2021-10-27T09:40:00.000Z', suppressed: true, run_id: 'daily_2' },
  { signature: 'missing_dependency:psza', event_type: 'missing_dependency', sent_at: '2021-10-27T07:00:00.000Z', suppressed: false, run_id: 'daily_1' },
];
