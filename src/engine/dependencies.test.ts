// The run's dependency checks read each upstream table once, however many checks look at it (the
// values per check are proven equal on both engines by engine-sql.bq.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROCESSORS } from '../processors/index.js';
import { checksParams, checksSql, collectChecks, collectWindows } from './dependencies.js';
import { daysWindowRange, mondayOnOrBefore } from './read-windows.js';

test('the six checks of the five processors scan five tables once each, each from its longest lookback', () => {
  const checks = collectChecks(PROCESSORS);
  assert.equal(checks.length, 6);
  const sql = checksSql(checks);
  const scanned = Array.from(sql.matchAll(/FROM (nba_\w+\.\w+) t\b/g), (m) => m[1]);
  assert.deepEqual([...scanned].sort(), [
    'nba_analytics.player_game_summary',
    'nba_analytics.team_defense_game_summary',
    'nba_analytics.team_offense_game_summary',
    'nba_analytics.upcoming_player_game_context',
    'nba_analytics.upcoming_team_game_context',
  ]);
  assert.equal(Array.from(sql.matchAll(/SELECT \d+ AS check_index/g)).length, 6, 'one result branch per check');
  // player_game_summary is read by a 20-day and a 30-day lookback: its one scan starts 30 days back.
  const params = checksParams(checks, '2022-01-15', '2022-01-31');
  const lo = scanned.indexOf('nba_analytics.player_game_summary');
  assert.equal(params[`lo_${lo}`], '2021-12-16');
  assert.equal(Object.keys(params).filter((k) => k.startsWith('lo_')).length, 5);
});

test("the processors' read windows join the same query: still one scan per table, MLFS's partition statuses once", () => {
  const checks = collectChecks(PROCESSORS);
  const windows = collectWindows(PROCESSORS);
  // distinct (source, window): player games over 1 and 3 seasons, team offense over 1 and 2, team defense over 1,
  // and pred's training window (365 days before the refit Monday) over the odds and over MLFS's partitions
  assert.deepEqual(windows.map((w) => w.id).sort(), [
    'mlfs|days:365:monday',
    'nba_analytics.player_game_summary|game_date|seasons:1',
    'nba_analytics.player_game_summary|game_date|seasons:3',
    'nba_analytics.team_defense_game_summary|game_date|seasons:1',
    'nba_analytics.team_offense_game_summary|game_date|seasons:1',
    'nba_analytics.team_offense_game_summary|game_date|seasons:2',
    'nba_analytics.upcoming_team_game_context|game_date|days:365:monday',
  ]);
  const names = new Map(PROCESSORS.map((p) => [p.key, p.processorName]));
  const sql = checksSql(checks, windows, names);
  assert.equal(Array.from(sql.matchAll(/FROM (nba_\w+\.\w+) t\b/g)).length, 5, 'five tables, each scanned once');
  assert.equal(Array.from(sql.matchAll(/FROM nba_processing\.partition_status/g)).length, 1);
  assert.equal(Array.from(sql.matchAll(/SELECT \d+ AS check_index/g)).length, checks.length + windows.length);
  const params = checksParams(checks, '2022-10-18', '2023-04-09', windows, names);
  // the odds' scan starts 371 days back (365 before a Monday up to 6 days earlier); MLFS's statuses too
  const scans = Array.from(sql.matchAll(/FROM (nba_\w+\.\w+) t\b/g), (m) => m[1]);
  assert.equal(params[`lo_${scans.indexOf('nba_analytics.upcoming_team_game_context')}`], '2021-10-12');
  assert.deepEqual([params['olo_0'], params['opn_0']], ['2021-10-12', 'MLFeatureStoreProcessor']);
  // player games read over three seasons: the scan starts a season earlier than the calendar says (2019-10-01)
  assert.equal(params[`lo_${scans.indexOf('nba_analytics.player_game_summary')}`], '2019-10-01');
  // a threshold override lengthens the window that names it
  assert.ok(collectWindows(PROCESSORS, { pred: { training_window_days: 400 } }).some((w) => w.id === 'mlfs|days:400:monday'));
});

test('a Monday-anchored window: [R - days, R - 1] for R the Monday on or before D', () => {
  assert.equal(mondayOnOrBefore('2022-11-21'), '2022-11-21'); // a Monday
  assert.equal(mondayOnOrBefore('2022-11-27'), '2022-11-21'); // the Sunday after
  assert.deepEqual(daysWindowRange({ days: 365, anchor: 'monday' }, '2022-11-23'), { from: '2021-11-21', to: '2022-11-20' });
  assert.deepEqual(daysWindowRange({ days: 3, anchor: 'date' }, '2022-11-23'), { from: '2022-11-20', to: '2022-11-22' });
});
