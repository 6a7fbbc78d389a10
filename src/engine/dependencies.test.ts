// The run's dependency checks read each upstream table once, however many checks look at it (the
// values per check are proven equal on both engines by engine-sql.bq.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROCESSORS } from '../processors/index.js';
import { checksParams, checksSql, collectChecks } from './dependencies.js';

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
