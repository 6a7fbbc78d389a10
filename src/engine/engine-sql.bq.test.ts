// Every statement the engine sends, as the engine sends it (texts and parameters captured from the
// engine's own functions): BigQuery's analyzer (ZetaSQL) accepts it, and on the same fixture tables
// ZetaSQL's reference evaluator gives the rows DuckDB gives. MERGE cannot be evaluated by this build:
// it is analyzed, and its USING source is evaluated on both engines. Content hashes differ between
// the engines by design (hash vs FARM_FINGERPRINT): they are compared as equality classes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Row } from '../warehouse/warehouse.js';
import { DatasetNames } from '../warehouse/bigquery/dataset-names.js';
import { tablesOf } from '../warehouse/bigquery/parse-ddl.js';
import { renderBigQueryDdl } from '../warehouse/bigquery/render-ddl.js';
import { SHARED_TABLE_LAYOUTS } from '../warehouse/bigquery/table-layouts.js';
import { differential, differentialWrite, mergeSource } from '../warehouse/bigquery/zetasql/differential.js';
import { ZetaSql } from '../warehouse/bigquery/zetasql/zetasql-server.js';
import { batchParams, batchStatements, recordFailure } from './batch.js';
import { reads, readsOutput } from '../processors/dependency.js';
import type { ProcessorDefinition, ProcessorKey } from '../processors/processor.js';
import { checksParams, checksSql, collectChecks, collectWindows } from './dependencies.js';
import { finishRun, recordStep, startRun } from './history.js';
import { NotificationPolicy } from './notify/policy.js';
import { GAME_DATES_SQL, PARTITION_STATES_SQL } from './partitions.js';
import { coverageReport, failuresReport, runsReport, runStepsReport } from './reports.js';
import { resetParams, resetStatements } from './reset.js';
import { DEFAULT_RETRY } from './retry.js';
import { ENGINE_DDL } from './schema.js';
import { CaptureWarehouse } from './testing/capture-warehouse.js';
import { BOX, ENGINE_SQL_DDL as DDL, FAILURES, FORM_ROWS, FORM_TABLE, formProcessor, GAME_DATES, NOTIFICATIONS, RUNS, STATUSES, STEPS } from './testing/engine-sql-fixtures.js';

const ALL = {
  'nba_reference.game_dates': GAME_DATES,
  'nba_analytics.box': BOX,
  'nba_processing.partition_status': STATUSES,
  'nba_processing.precompute_failures': FAILURES,
  'nba_processing.run_history': RUNS,
  'nba_processing.run_steps': STEPS,
  'nba_processing.notification_log': NOTIFICATIONS,
  [FORM_TABLE]: FORM_ROWS,
};
const TABLES = [...tablesOf(DDL).values()];
const CONTEXT = { runId: 'backfill_9', timeoutMs: 60_000, retry: DEFAULT_RETRY, thresholds: formProcessor.thresholds };
const SPEC = {
  from: '2021-10-20',
  to: '2021-10-25',
  dates: ['2021-10-20', '2021-10-21', '2021-10-22', '2021-10-25'].map((date) => ({ date, isBootstrap: false })),
  fingerprints: ['fa', 'fb', 'fc', 'fd'],
};
const NOW = new Date('2021-10-26T11:00:00.000Z');


/** Replaces a hash column's values by equality classes (order of first appearance in `rows`). */
function hashClasses(column: string, keep: (v: string) => string = (v) => v): (rows: Row[]) => Row[] {
  return (rows) => {
    const classes = new Map<string, string>();
    return [...rows]
      .sort((a, b) => JSON.stringify(Object.values(a)).localeCompare(JSON.stringify(Object.values(b))))
      .map((r) => {
        const v = r[column] === null || r[column] === undefined ? null : String(r[column]);
        if (v === null) return r;
        const k = keep(v);
        if (!classes.has(k)) classes.set(k, `class_${classes.size}`);
        return { ...r, [column]: `${v.split(':').length > 1 ? `${v.split(':')[0]}:` : ''}${classes.get(k)}` };
      });
  };
}

describe('engine SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  const covered: string[] = [];
  /** Analyzes every statement on ZetaSQL; returns the resolved node kinds. */
  const analyze = async (name: string, sql: string, params: Record<string, unknown> = {}) => {
    const nodes = await zeta.analyze(sql, TABLES, params as never);
    covered.push(name);
    return nodes.map((n) => n.node);
  };
  const same = async (name: string, sql: string, params: Record<string, unknown> = {}, ordered = false) => {
    await analyze(name, sql, params);
    const r = await differential(zeta, { ddl: DDL, fixtures: ALL, sql, params: params as never, ordered });
    assert.equal(r.mismatch, undefined, `${name}: ${r.mismatch}`);
    return r;
  };
  /** `fixtures` overrides tables, e.g. with the state an earlier statement of the unit left. */
  const sameWrite = async (name: string, sql: string, params: Record<string, unknown>, normalize?: (rows: Row[]) => Row[], fixtures: Readonly<Record<string, readonly Row[]>> = {}) => {
    await analyze(name, sql, params);
    const r = await differentialWrite(zeta, { ddl: DDL, fixtures: { ...ALL, ...fixtures }, sql, params: params as never, ...(normalize ? { normalize } : {}) });
    assert.equal(r.mismatch, undefined, `${name}: ${r.mismatch}`);
    return r;
  };

  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(() => zeta?.stop());

  it("the engine's DDL renders for BigQuery and every statement analyzes", async () => {
    const rendered = renderBigQueryDdl(ENGINE_DDL, new DatasetNames(''), SHARED_TABLE_LAYOUTS).statements;
    for (const s of rendered) await analyze(`DDL ${/^ALTER/.test(s) ? `add column ${/COLUMN IF NOT EXISTS (\w+)/.exec(s)?.[1]}` : /TABLE IF NOT EXISTS ([\w.]+)/.exec(s)?.[1]}`, s);
    assert.ok(rendered.length >= 7, 'five tables and their added columns');
  });

  it('run-level reads: game dates and stored partition states', async () => {
    const dates = await same('game dates', GAME_DATES_SQL, { from: '2021-10-19', to: '2021-10-25' }, true);
    assert.deepEqual(dates.zetasql.map((r) => r['game_date']), ['2021-10-20', '2021-10-21', '2021-10-22', '2021-10-25']);
    const states = await same('partition states', PARTITION_STATES_SQL, { from: '2021-10-18', to: '2021-10-22' });
    assert.equal(states.zetasql.length, 4);
  });

  it('dependency checks (lookback and same day, one query): counts, non-NULL counts, freshness; checksums equal exactly where the content is', async () => {
    const checks = collectChecks([formProcessor]);
    assert.deepEqual(checks.map((c) => [c.check, c.columns]), [['lookback', ['points', 'team_abbr']], ['date_match', ['minutes']]]);
    const sql = checksSql(checks);
    const params = checksParams(checks, '2021-10-18', '2021-10-25');
    await analyze('dependency checks (all checks of a run, UNION ALL)', sql, params);
    const plain = await differential(zeta, { ddl: DDL, fixtures: ALL, sql: `SELECT k.check_index, k.partition_date, k.n, k.nn_0, k.nn_1, k.max_processed_at, k.checksum = '0' AS no_rows FROM (${sql}) k`, params });
    assert.equal(plain.mismatch, undefined, plain.mismatch);
    const pairs = await differential(zeta, { ddl: DDL, fixtures: ALL, sql: `SELECT a.check_index, a.partition_date AS d1, b.partition_date AS d2, a.checksum = b.checksum AS same_content FROM (${sql}) a JOIN (${sql}) b ON a.check_index = b.check_index AND a.partition_date < b.partition_date`, params });
    assert.equal(pairs.mismatch, undefined, pairs.mismatch);
    // 10-21 and 10-22 read the same games (10-20's) in their 2-day windows, 10-18 and 10-25 none: equal checksums on both engines.
    assert.deepEqual(pairs.zetasql.filter((r) => r['check_index'] === 0 && r['same_content'] === true).map((r) => [r['d1'], r['d2']]).sort(), [['2021-10-18', '2021-10-25'], ['2021-10-21', '2021-10-22']]);
    assert.deepEqual(plain.zetasql.find((r) => r['check_index'] === 0 && r['partition_date'] === '2021-10-22'), { check_index: 0, partition_date: '2021-10-22', n: 2, nn_0: 2, nn_1: 1, max_processed_at: '2021-10-26T01:00:00.000Z', no_rows: false });
    // The same-day check has one critical column: nn_1 is NULL there; 10-21 has no games at all.
    assert.deepEqual(plain.zetasql.find((r) => r['check_index'] === 1 && r['partition_date'] === '2021-10-21'), { check_index: 1, partition_date: '2021-10-21', n: 0, nn_0: 0, nn_1: null, max_processed_at: null, no_rows: true });
    // The row hash leaves processed_at and run_id out: eve's row loaded twice hashes once, on both engines.
    const r = await differential(zeta, { ddl: DDL, fixtures: ALL, sql: `SELECT count(*) AS n, count(DISTINCT {{row_hash(b, processed_at, run_id)}}) AS distinct_rows, count(DISTINCT {{row_hash(b)}}) AS whole_rows FROM nba_analytics.box b` });
    assert.equal(r.mismatch, undefined, r.mismatch);
    assert.deepEqual(r.zetasql, [{ n: 9, distinct_rows: 8, whole_rows: 9 }]);
  });

  it('read windows (fingerprint only) in the same query: seasons, days, and days before the refit Monday over another processor\'s partitions', async () => {
    // two seasons of games (season_year from the table), partition dates in both; 2021-10-18, 2021-10-25 and 2022-10-17 are Mondays
    const ddl = `${DDL}
CREATE TABLE IF NOT EXISTS nba_analytics.games (player_lookup VARCHAR NOT NULL, game_date DATE NOT NULL, season_year INTEGER NOT NULL, points INTEGER, processed_at TIMESTAMP NOT NULL, run_id VARCHAR NOT NULL);`;
    const game = (player_lookup: string, game_date: string, season_year: number, points: number | null, h = 1) => ({ player_lookup, game_date, season_year, points, processed_at: `2022-10-26T0${h}:00:00.000Z`, run_id: `ingest_${h}` });
    const fixtures = {
      ...ALL,
      'nba_reference.game_dates': [
        ...['2021-10-18', '2021-10-20', '2021-10-25', '2021-10-27'].map((game_date) => ({ game_date, season_year: 2021, is_bootstrap: false })),
        ...['2022-10-17', '2022-10-19', '2022-10-24'].map((game_date) => ({ game_date, season_year: 2022, is_bootstrap: false })),
      ],
      // g1..g5; g5 loaded twice at other times (same content: the same checksum as once, but counted twice)
      'nba_analytics.games': [game('ann', '2021-10-18', 2021, 10), game('ann', '2021-10-20', 2021, null), game('bob', '2021-10-25', 2021, 7), game('ann', '2022-10-17', 2022, 9), game('ann', '2022-10-19', 2022, 11, 2)],
    };
    const reader: ProcessorDefinition = {
      ...formProcessor,
      key: 'pcf',
      processorName: 'ReaderProcessor',
      thresholds: { ...formProcessor.thresholds, window_days: 7 },
      reads: [
        reads('nba_analytics.games', { seasons: 1 }, 'this season before D'),
        reads('nba_analytics.games', { seasons: 2 }, 'and the season before'),
        reads('nba_analytics.games', { days: 3, anchor: 'date' }, 'the 3 days before D'),
        readsOutput('psza', { days: { threshold: 'window_days' }, anchor: 'monday' }, "the form processor's partitions of the 7 days before the Monday on or before D"),
      ],
    };
    const names = new Map<ProcessorKey, string>([['psza', formProcessor.processorName], ['pcf', reader.processorName]]);
    const checks = collectChecks([reader]);
    const windows = collectWindows([reader]);
    const sql = checksSql(checks, windows, names);
    const params = checksParams(checks, '2021-10-18', '2022-10-24', windows, names);
    assert.equal(params['opn_0'], 'FormProcessor');
    await zeta.analyze(sql, [...tablesOf(ddl).values()], params as never);
    covered.push('dependency checks with read windows (seasons, days, Monday-anchored over partition statuses)');
    const k0 = checks.length;
    const plain = await differential(zeta, { ddl, fixtures, sql: `SELECT k.check_index - ${k0} AS w, k.partition_date, k.n, k.checksum = '0' AS no_rows FROM (${sql}) k WHERE k.check_index >= ${k0}`, params });
    assert.equal(plain.mismatch, undefined, plain.mismatch);
    const n = (w: number) => plain.zetasql.filter((r) => r['w'] === w).sort((a, b) => String(a['partition_date']).localeCompare(String(b['partition_date']))).map((r) => r['n']);
    //                 21-10-18 21-10-20 21-10-25 21-10-27 22-10-17 22-10-19 22-10-24
    assert.deepEqual(n(0), [0, 1, 2, 3, 0, 1, 2], 'seasons 1: this season before D (never the day itself)');
    assert.deepEqual(n(1), [0, 1, 2, 3, 3, 4, 5], 'seasons 2: and the whole season before');
    assert.deepEqual(n(2), [0, 1, 0, 1, 0, 1, 0], 'days 3: [D - 3, D - 1]');
    // Mondays 10-18 and 10-25: [10-11, 10-17] holds no status, [10-18, 10-24] three (bootstrap_empty, complete, failed)
    assert.deepEqual(n(3), [0, 0, 3, 3, 0, 0, 0], 'days 7 before the Monday on or before D');
    // equal content, equal checksum, on both engines (the hashes differ by engine, the classes must not)
    const pairs = await differential(zeta, {
      ddl, fixtures, params,
      sql: `SELECT a.check_index - ${k0} AS wa, a.partition_date AS da, b.check_index - ${k0} AS wb, b.partition_date AS db, a.checksum = b.checksum AS same_content
            FROM (${sql}) a JOIN (${sql}) b ON a.check_index >= ${k0} AND b.check_index >= ${k0} AND a.n > 0 AND b.n > 0
             AND (a.check_index < b.check_index OR (a.check_index = b.check_index AND a.partition_date < b.partition_date))`,
    });
    assert.equal(pairs.mismatch, undefined, pairs.mismatch);
    const same = pairs.zetasql.filter((r) => r['same_content'] === true).map((r) => `${r['wa']} ${r['da']} = ${r['wb']} ${r['db']}`).sort();
    assert.ok(same.includes('3 2021-10-25 = 3 2021-10-27'), 'the same Monday, the same statuses');
    assert.ok(same.includes('0 2021-10-27 = 1 2022-10-17'), 'the 2021 games read by both');
    assert.ok(same.includes('0 2021-10-20 = 2 2021-10-20'), 'g1 alone');
    assert.ok(!same.includes('1 2022-10-17 = 1 2022-10-19'), 'one more game, another checksum');
  });

  it('dependency checks without freshness (a backfill): the same counts and checksums on both engines, max_processed_at NULL', async () => {
    const checks = collectChecks([formProcessor]);
    const reader: ProcessorDefinition = { ...formProcessor, key: 'pcf', processorName: 'ReaderProcessor', reads: [reads('nba_analytics.box', { days: 2, anchor: 'date' }, 'the 2 days before D'), readsOutput('psza', { days: 7, anchor: 'monday' }, 'the week before the Monday')] };
    const windows = collectWindows([reader]);
    const names = new Map<ProcessorKey, string>([['psza', formProcessor.processorName], ['pcf', reader.processorName]]);
    const fresh = checksSql(checks, windows, names);
    const backfill = checksSql(checks, windows, names, { freshness: false });
    assert.ok(!/processed_at\) AS max_processed_at/.test(backfill), 'no scan reads processed_at');
    const params = checksParams(checks, '2021-10-18', '2021-10-25', windows, names);
    await analyze('dependency checks without freshness (backfill)', backfill, params);
    const cols = 'k.check_index, k.partition_date, k.n, k.nn_0, k.nn_1, k.max_processed_at';
    const without = await differential(zeta, { ddl: DDL, fixtures: ALL, sql: `SELECT ${cols}, k.checksum = '0' AS no_rows FROM (${backfill}) k`, params });
    assert.equal(without.mismatch, undefined, without.mismatch);
    const withIt = await differential(zeta, { ddl: DDL, fixtures: ALL, sql: `SELECT ${cols}, k.checksum = '0' AS no_rows FROM (${fresh}) k`, params });
    assert.equal(withIt.mismatch, undefined, withIt.mismatch);
    const key = (r: Row) => `${String(r['check_index'])} ${String(r['partition_date'])}`;
    const byKey = (rows: Row[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
    assert.ok(withIt.zetasql.some((r) => r['max_processed_at'] !== null), 'the fixtures have processed_at values to leave out');
    assert.deepEqual(byKey(without.zetasql), byKey(withIt.zetasql.map((r) => ({ ...r, max_processed_at: null }))));
    // the checksums themselves (engine-specific values): equal with and without freshness, row by row, on both engines
    const same = await differential(zeta, {
      ddl: DDL, fixtures: ALL, params,
      sql: `SELECT a.check_index, a.partition_date, a.n = b.n AND a.checksum = b.checksum AS same FROM (${fresh}) a JOIN (${backfill}) b ON a.check_index = b.check_index AND a.partition_date = b.partition_date`,
    });
    assert.equal(same.mismatch, undefined, same.mismatch);
    assert.equal(same.zetasql.length, without.zetasql.length);
    assert.ok(same.zetasql.every((r) => r['same'] === true));
  });

  it('a batch: the BigQuery script analyzes statement by statement, temp table and ASSERTs included', async () => {
    const statements = batchStatements('bigquery', formProcessor);
    const params = batchParams(formProcessor, SPEC, CONTEXT, new Date('2021-10-26T10:00:00Z'), NOW);
    const nodes = await zeta.analyze(['BEGIN TRANSACTION', ...statements, 'COMMIT TRANSACTION'].join(';\n'), TABLES, params as never);
    assert.deepEqual(nodes.map((n) => n.node), [
      'resolvedBeginStmtNode', 'resolvedCreateTableAsSelectStmtNode', 'resolvedDeleteStmtNode', 'resolvedInsertStmtNode', 'resolvedAssertStmtNode', 'resolvedAssertStmtNode',
      'resolvedMergeStmtNode', 'resolvedDeleteStmtNode', 'resolvedInsertStmtNode', 'resolvedQueryStmtNode', 'resolvedCommitStmtNode',
    ]);
    covered.push('batch: staged candidates (CREATE TEMP TABLE)', 'batch: staged compute (INSERT … FROM the temp table)', 'batch: audit as_of (assertEmpty: ASSERT)', 'batch: audit grain (assertEmpty: ASSERT)', 'batch: failures MERGE (staged)');
  });

  it('a batch: each statement gives the same rows on both engines (candidates read from their sources)', async () => {
    const unstaged = { ...formProcessor, staged: undefined };
    // Every statement but the audits is one text for both engines; BigQuery's list has one ASSERT per audit.
    const [del, insert, , , merge, delStatuses, insertStatuses, result] = batchStatements('bigquery', unstaged);
    const params = batchParams(formProcessor, SPEC, CONTEXT, new Date('2021-10-26T10:00:00Z'), NOW);
    const deleted = await sameWrite('batch: delete the range', del ?? '', params);
    assert.equal(deleted.zetasql.length, 3);
    const inserted = await sameWrite('batch: insert the output (columns named)', insert ?? '', params);
    // ann on 10-22 (after 10-18, 10-20) and on 10-25, whose latest game has no box score (NULL points).
    assert.deepEqual(inserted.zetasql.map((r) => [r['player_lookup'], r['analysis_date'], r['points_last'], r['games']]).sort(), [['ann', '2021-10-22', 20, 2], ['ann', '2021-10-25', null, 3]]);
    for (const audit of formProcessor.audits) {
      const r = await same(`batch: audit ${audit.name} (the fixture processor's query)`, audit.sql, { from: '2021-10-17', to: '2021-10-25' });
      assert.equal(r.zetasql.length, 0);
    }
    const violation = await differential(zeta, { ddl: DDL, fixtures: { ...ALL, [FORM_TABLE]: [...FORM_ROWS, { ...FORM_ROWS[0], source_last_game_date: '2021-10-20' }] }, sql: formProcessor.audits[0]?.sql ?? '', params: { from: '2021-10-17', to: '2021-10-25' } });
    assert.equal(violation.mismatch, undefined, violation.mismatch);
    assert.equal(violation.zetasql.length, 1, 'the as-of audit finds the row that read its own date');
    await analyze('batch: failures MERGE', merge ?? '', params);
    const source = await same('batch: failures MERGE source (deduplicated, NULL reason last)', mergeSource(merge ?? ''), params);
    assert.deepEqual(source.zetasql.map((r) => [r['entity_id'], r['analysis_date'], r['failure_reason'], r['can_retry'], r['is_expected']]).sort(), [['ann', '2021-10-20', '1 games < 2', true, true], ['bob', '2021-10-25', '1 games < 2', true, true]]);
    await sameWrite('batch: delete the range of statuses', delStatuses ?? '', params);
    // Statuses read the output and failure rows as the unit left them: here the fixture's.
    const afterDelete = { 'nba_processing.partition_status': STATUSES.filter((x) => x.processor_name !== 'FormProcessor' || x.partition_date < SPEC.from) };
    const statuses = await sameWrite('batch: insert statuses with row counts and content checksums', insertStatuses ?? '', params, hashClasses('output_checksum'), afterDelete);
    const byDate = new Map(statuses.zetasql.map((r) => [r['partition_date'], r]));
    assert.deepEqual([...byDate.values()].map((r) => [r['partition_date'], r['status'], r['rows_written'], r['entity_failures'], r['upstream_fingerprint']]).sort(), [
      ['2021-10-20', 'complete', 1, 1, 'fa'], ['2021-10-21', 'complete', 0, 0, 'fb'], ['2021-10-22', 'complete', 2, 0, 'fc'], ['2021-10-25', 'complete', 0, 1, 'fd'],
    ]);
    // Empty dates share the empty checksum; dates with rows have their own.
    const checksum = (d: string) => String(byDate.get(d)?.['output_checksum']);
    assert.equal(checksum('2021-10-21'), checksum('2021-10-25'));
    assert.equal(new Set(['2021-10-20', '2021-10-21', '2021-10-22'].map(checksum)).size, 3);
    await same('batch: its partitions as stored (the result)', result ?? '', { ...params, from: '2021-10-18', to: '2021-10-25' }, true);
  });

  it('partitions that did not run: statuses replaced, a date-level failure merged', async () => {
    const cw = new CaptureWarehouse('bigquery');
    await recordFailure(cw, formProcessor, ['2021-10-20', '2021-10-22'], 'failed', 'QUERY_TIMEOUT', 'psza 2021-10-20..2021-10-22: query timed out after 60 s', CONTEXT, new Date('2021-10-26T10:00:00Z'));
    await recordFailure(cw, formProcessor, ['2021-10-25'], 'skipped_upstream', null, 'upstream tdza is failed', CONTEXT, new Date('2021-10-26T10:00:00Z'));
    const [del, ins, merge, other, , skipped, otherSkipped] = cw.statements;
    assert.ok(del && ins && merge && other && skipped && otherSkipped);
    assert.deepEqual(cw.statements.map((s) => s.unit), [{ index: 0, of: 4 }, { index: 1, of: 4 }, { index: 2, of: 4 }, { index: 3, of: 4 }, { index: 0, of: 3 }, { index: 1, of: 3 }, { index: 2, of: 3 }]);
    await sameWrite('not run: delete statuses of the dates', del.sql, del.params);
    const afterDelete = { 'nba_processing.partition_status': STATUSES.filter((x) => x.processor_name !== 'FormProcessor') };
    const failed = await sameWrite('not run: insert statuses (failed / skipped_upstream)', ins.sql, ins.params, undefined, afterDelete);
    assert.deepEqual(failed.zetasql.map((r) => [r['partition_date'], r['status'], r['failure_category']]), [['2021-10-20', 'failed', 'QUERY_TIMEOUT'], ['2021-10-22', 'failed', 'QUERY_TIMEOUT']]);
    const skip = await differentialWrite(zeta, { ddl: DDL, fixtures: { ...ALL, ...afterDelete }, sql: skipped.sql, params: skipped.params });
    assert.equal(skip.mismatch, undefined, skip.mismatch);
    assert.deepEqual(skip.zetasql.map((r) => [r['status'], r['failure_category']]), [['skipped_upstream', null]]);
    await analyze('not run: date-level failures MERGE', merge.sql, merge.params);
    await same('not run: date-level failures MERGE source', mergeSource(merge.sql), merge.params);
    await sameWrite('not run: delete DATE_LEVEL rows of another category', other.sql, other.params);
    await sameWrite('not run: delete every DATE_LEVEL row of a skipped partition', otherSkipped.sql, otherSkipped.params);
  });

  it('run history: start, finish, one step (with and without an error)', async () => {
    const cw = new CaptureWarehouse('bigquery');
    await startRun(cw, 'backfill_9', 'backfill', { from: '2021-10-18', force: true }, 'backfill', new Date('2021-10-26T10:00:00Z'));
    await finishRun(cw, 'backfill_1', 'success', { failed: 0 });
    await recordStep(cw, 'backfill_9', { processorName: 'FormProcessor', from: '2021-10-18', to: '2021-10-25', status: 'success', partitions: 4, rowsWritten: 2, durationMs: 812.4, error: null });
    await recordStep(cw, 'backfill_9', { processorName: 'FormProcessor', from: '2021-10-18', to: '2021-10-25', status: 'failed', partitions: 4, rowsWritten: 0, durationMs: 60_000, error: 'timed out' });
    const writes = cw.statements.filter((x) => x.kind === 'exec');
    assert.equal(writes.length, 4);
    for (const x of cw.statements) {
      const name = `run history: ${x.sql.replace(/\s+/g, ' ').slice(0, 40)}…${x.params['error'] ? ' (with an error)' : ''}`;
      if (x.kind === 'query') await same(name, x.sql, x.params);
      else assert.equal((await sameWrite(name, x.sql, x.params)).zetasql.length, 1, name);
    }
  });

  it('reports: coverage, failures by category and top reasons, runs, run steps — every query each report sends', async () => {
    const other = { ...formProcessor, key: 'tdza' as const, processorName: 'OtherProcessor' };
    const idle = { ...formProcessor, key: 'pdc' as const, processorName: 'IdleProcessor' }; // no statuses at all
    const reports: [string, (cw: CaptureWarehouse) => Promise<unknown>][] = [
      ['coverage', (cw) => coverageReport(cw, [formProcessor, other, idle], '2021-10-18', '2021-10-25')],
      ['failures', (cw) => failuresReport(cw, '2021-10-18', '2021-10-25')],
      ['failures of one processor', (cw) => failuresReport(cw, '2021-10-18', '2021-10-25', 'FormProcessor', 2)],
      ['runs', (cw) => runsReport(cw, 2)],
      ['run steps', (cw) => runStepsReport(cw, 'backfill_1')],
    ];
    for (const [report, call] of reports) {
      const cw = new CaptureWarehouse('bigquery');
      await call(cw);
      assert.ok(cw.statements.length > 0, report);
      for (const [i, q] of cw.statements.entries()) {
        const r = await same(`${report}${cw.statements.length > 1 ? ` (query ${i + 1})` : ''}`, q.sql, q.params, /ORDER BY/.test(q.sql));
        if (/AS missing/.test(q.sql)) {
          // A processor without statuses counts zeros, not NULLs (DuckDB's countif would give NULL here).
          assert.deepEqual(r.zetasql.find((x) => x['processor_name'] === 'IdleProcessor'), { processor_name: 'IdleProcessor', game_dates: 5, complete: 0, dates_with_rows: 0, bootstrap: 0, failed: 0, skipped: 0, missing: 5, rows_written: 0 });
          assert.deepEqual(r.zetasql.find((x) => x['processor_name'] === 'FormProcessor'), { processor_name: 'FormProcessor', game_dates: 5, complete: 1, dates_with_rows: 1, bootstrap: 1, failed: 1, skipped: 0, missing: 2, rows_written: 2 });
        }
        if (/FROM nba_processing\.run_history h/.test(q.sql)) {
          // Latest two: a run still running (no end: no seconds, no summary: NULL) and a reset.
          assert.deepEqual(r.zetasql.map((x) => [x['run_id'], x['seconds'], x['failed_partitions']]), [['daily_2', null, null], ['reset_3', 0, null]]);
          const all = await differential(zeta, { ddl: DDL, fixtures: ALL, sql: q.sql, params: { ...q.params, limit: 5 }, ordered: true });
          assert.equal(all.mismatch, undefined, all.mismatch);
          // 7.25 s rounds to 7.3 on NUMERIC in both engines; the summary's JSON text is read on both.
          assert.deepEqual([all.zetasql.find((x) => x['run_id'] === 'backfill_1')].map((x) => [x?.['seconds'], x?.['batches'], x?.['failed_partitions'], x?.['arguments']]), [[7.3, 2, 3, '{"from":"2021-10-18"}']]);
          assert.equal(all.zetasql.find((x) => x['run_id'] === 'backfill_0')?.['seconds'], null);
        }
      }
    }
  });

  it('reset: counts, deletes and the counts back, as one unit', async () => {
    const other = { ...formProcessor, key: 'tdza' as const, processorName: 'OtherProcessor' };
    const statements = resetStatements([formProcessor, other]);
    const params = resetParams([formProcessor, other], '2021-10-20', '2021-10-25');
    const nodes = await zeta.analyze(['BEGIN TRANSACTION', ...statements, 'COMMIT TRANSACTION'].join(';\n'), TABLES, params);
    assert.deepEqual(nodes.map((n) => n.node), ['resolvedBeginStmtNode', 'resolvedCreateTableAsSelectStmtNode', ...Array(6).fill('resolvedDeleteStmtNode'), 'resolvedQueryStmtNode', 'resolvedCommitStmtNode']);
    covered.push('reset: counts into a temp table', 'reset: counts back (SELECT from the temp table)');
    const counts = (statements[0] ?? '').replace(/^CREATE OR REPLACE TEMP TABLE \w+ AS\n/, '');
    const r = await same('reset: the counts (the temp table’s SELECT)', counts, params);
    assert.deepEqual(r.zetasql.map((x) => [x['processor'], x['output_rows'], x['statuses'], x['failures']]).sort(), [['psza', 3, 2, 3], ['tdza', 3, 1, 1]]);
    for (const [i, del] of statements.slice(1, 7).entries()) await sameWrite(`reset: delete ${['outputs', 'statuses', 'failures'][i % 3]} (${i < 3 ? 'psza' : 'tdza'})`, del, params);
  });

  it('notification rate limit: count in the window, log the attempt', async () => {
    const cw = new CaptureWarehouse('bigquery', () => [{ n: 1 }]);
    const policy = new NotificationPolicy(cw, [], { mode: 'daily', runId: 'daily_3', now: () => new Date('2021-10-27T10:00:00.000Z'), log: () => undefined });
    policy.event({ type: 'missing_dependency', severity: 'error', signature: 'missing_dependency:psza', title: 'psza', message: 'missing' });
    await policy.finish({ type: 'run_summary', severity: 'info', signature: 'run_summary', title: 'done', message: '' });
    const [count, log] = cw.statements;
    assert.ok(count && log);
    const r = await same('notification log: sends in the window', count.sql, count.params);
    assert.deepEqual(r.zetasql, [{ n: 1 }]);
    await sameWrite('notification log: the attempt', log.sql, log.params);
  });

  it('covers every statement the engine sends (listed in the diagnostics)', (t) => {
    const distinct = [...new Set(covered)];
    t.diagnostic(`${distinct.length} engine statements covered: ${distinct.join(' | ')}`);
    assert.equal(distinct.length, covered.length, 'each statement is counted once');
  });
});
