// Re-running ingest leaves identical tables; the registry lifecycle on the real season rebuilds
// only the dates of the resolved name, and that date gains the sportsbook's line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as cli } from '../testing/cli.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { tableHashes } from '../testing/table-hash.js';
import { ingest } from './ingest.js';
import { recordUnresolvedPropNames } from './registry/failures.js';
import { BUNDLED_DATA_DIR, BUNDLED_SEASONS } from './sources.js';

const TABLES = [
  'nba_raw.play_by_play', 'nba_raw.game_odds', 'nba_raw.player_prop_lines', 'nba_raw.player_name_sources',
  'nba_reference.schedule', 'nba_reference.teams', 'nba_reference.team_aliases', 'nba_reference.nba_players_registry',
  'nba_reference.player_aliases', 'nba_analytics.player_game_summary', 'nba_analytics.team_offense_game_summary',
  'nba_analytics.team_defense_game_summary', 'nba_analytics.upcoming_player_game_context',
  'nba_analytics.upcoming_team_game_context', 'nba_processing.registry_failures',
];

let fx: RealSeasonCopy;
before(async () => {
  fx = await realSeasonCopy();
});
after(async () => fx?.cleanup());

describe('ingest twice', () => {
  test('leaves identical tables, with no duplicate keys', async () => {
    const first = await tableHashes(fx.wh, TABLES);
    await ingest(fx.wh, { dataDir: BUNDLED_DATA_DIR, seasons: BUNDLED_SEASONS, runId: 'second' });
    const second = await tableHashes(fx.wh, TABLES);
    assert.deepEqual(second, first);
    const [dups] = await fx.wh.query<{ n: number }>(
      `SELECT (SELECT count(*) - count(DISTINCT (player_lookup, game_id)) FROM nba_analytics.player_game_summary)
            + (SELECT count(*) - count(DISTINCT (game_id, action_number)) FROM nba_raw.play_by_play) AS n`,
    );
    assert.equal(dups?.n, 0);
  });
});

describe('registry lifecycle on the real season', () => {
  test('an unresolved sportsbook name is counted, aliased, and only its date is rebuilt', async () => {
    const wh = fx.wh;
    // A sportsbook spelling the registry cannot know: Jimmy Butler listed with a suffix he does not use.
    await wh.exec(
      `INSERT INTO nba_raw.player_prop_lines BY NAME
       SELECT snapshot_utc, source_commit, prop, game_date, tipoff_utc, 'Jimmy Butler III' AS player_name, team_abbr,
              opponent_team_abbr, home_team_abbr, away_team_abbr, side, line + 0 AS line, draftkings, fanduel, pointsbet,
              source_file, source_row, loaded_at
       FROM nba_raw.player_prop_lines WHERE player_name = 'Jimmy Butler' AND prop = 'player points ou'`,
    );
    const [{ dates } = { dates: 0 }] = await wh.query<{ dates: number }>(
      `SELECT count(DISTINCT game_date) AS dates FROM nba_raw.player_prop_lines WHERE player_name = 'Jimmy Butler III'`,
    );
    assert.ok(dates >= 1, 'Jimmy Butler has points lines in the snapshots');
    await wh.transaction((tx) => recordUnresolvedPropNames(tx, 'r1'));
    await wh.transaction((tx) => recordUnresolvedPropNames(tx, 'r2'));
    const failures = await wh.query<{ game_date: string; occurrence_count: number }>(
      `SELECT game_date, occurrence_count FROM nba_processing.registry_failures WHERE player_lookup = 'jimmybutleriii' ORDER BY 1`,
    );
    assert.equal(failures.length, dates);
    assert.ok(failures.every((f) => f.occurrence_count === 2), 're-runs raise occurrence_count instead of adding rows');

    const beforeRuns = await wh.query<{ game_date: string; run_id: string }>(
      `SELECT DISTINCT game_date, run_id FROM nba_analytics.upcoming_player_game_context WHERE season_year = 2021 ORDER BY 1`,
    );
    const path = fx.path;
    await fx.release(); // the CLI opens the file itself
    const aliased = await cli(['--db', path, 'registry', 'alias', 'Jimmy Butler III', '--to', 'Jimmy Butler']);
    assert.equal(aliased.code, 0, aliased.err);
    const re = await cli(['--db', path, '--format', 'json', 'registry', 'reprocess']);
    assert.equal(re.code, 0);
    const outcome = JSON.parse(re.out) as { status: string; dates: string }[];
    assert.deepEqual(outcome.map((o) => o.status), ['REPROCESSED']);

    const reopened = await DuckDBWarehouse.open(path);
    try {
      const status = await reopened.query<{ s: string }>(
        `SELECT DISTINCT CASE WHEN reprocessed_at IS NOT NULL THEN 'REPROCESSED' WHEN resolved_at IS NOT NULL THEN 'RESOLVED' ELSE 'PENDING' END AS s
         FROM nba_processing.registry_failures WHERE player_lookup = 'jimmybutleriii'`,
      );
      assert.deepEqual(status, [{ s: 'REPROCESSED' }]);
      const afterRuns = await reopened.query<{ game_date: string; run_id: string }>(
        `SELECT DISTINCT game_date, run_id FROM nba_analytics.upcoming_player_game_context WHERE season_year = 2021 ORDER BY 1`,
      );
      const changed = afterRuns.filter((r) => !beforeRuns.some((b) => b.game_date === r.game_date && b.run_id === r.run_id)).map((r) => r.game_date);
      assert.deepEqual(changed, failures.map((f) => f.game_date), 'only the failed dates were rebuilt');
      assert.deepEqual(outcome[0]?.dates.split(/[\s,]+/).sort(), failures.map((f) => f.game_date));
    } finally {
      await reopened.close();
    }
  });
});
