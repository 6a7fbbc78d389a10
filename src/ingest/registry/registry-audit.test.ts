// Audit round (registry): the alias → reprocess lifecycle on the real ingested data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { rebuildUpcomingPlayerContext } from '../phase3/build-phase3.js';
import { PROP_LINES_PROCESSOR, addManualAlias, recordUnresolvedPropNames, reprocessResolved } from './index.js';

const SETH = 203552;
const STEPH = 201939;
const DATE = '2021-11-08'; // both have a context row and a points line that day
const REBUILDERS = { [PROP_LINES_PROCESSOR]: rebuildUpcomingPlayerContext };

describe('registry alias re-pointed to another player', () => {
  let t: RealSeasonCopy;
  before(async () => {
    t = await realSeasonCopy(['2021-22']);
  });
  after(async () => t.cleanup());

  const lineOf = async (pid: number): Promise<number | null> => {
    const [r] = await t.wh.query<{ line: number | null }>(
      `SELECT current_points_line AS line FROM nba_analytics.upcoming_player_game_context WHERE universal_player_id = $pid AND game_date = CAST($d AS DATE)`,
      { pid, d: DATE },
    );
    return r?.line ?? null;
  };

  it('moves the prop lines already attributed through the old alias once reprocessed', async () => {
    // Seth Curry's points line on DATE is written 'Sethh Curry' by the sportsbook (unresolved), Stephen's is removed.
    await t.wh.exec(
      `UPDATE nba_raw.player_prop_lines SET player_name = 'Sethh Curry' WHERE player_name = 'Seth Curry' AND game_date = CAST($d AS DATE)`,
      { d: DATE },
    );
    await t.wh.exec(`DELETE FROM nba_raw.player_prop_lines WHERE player_name = 'Stephen Curry' AND game_date = CAST($d AS DATE)`, { d: DATE });
    await t.wh.transaction((tx) => recordUnresolvedPropNames(tx, 'audit-1', { playerMarkets: true }));
    // The operator aliases it to the wrong Curry, reprocesses: Stephen now carries Seth's line.
    await t.wh.transaction((tx) => addManualAlias(tx, 'Sethh Curry', String(STEPH)));
    await reprocessResolved(t.wh, { runId: 'audit-2', rebuilders: REBUILDERS });
    assert.equal(await lineOf(STEPH), 15.5);
    assert.equal(await lineOf(SETH), null);
    // The mistake is corrected by re-pointing the alias, then reprocessing as the README says.
    await t.wh.transaction((tx) => addManualAlias(tx, 'Sethh Curry', String(SETH)));
    const outcomes = await reprocessResolved(t.wh, { runId: 'audit-3', rebuilders: REBUILDERS });
    assert.deepEqual(outcomes.map((o) => [o.processorName, o.dates, o.rebuilt]), [[PROP_LINES_PROCESSOR, [DATE], true]]);
    assert.equal(await lineOf(SETH), 15.5, "Seth Curry's line comes back");
    assert.equal(await lineOf(STEPH), null, 'Stephen Curry no longer carries a line that is not his');
  });
});

describe('two registry players who share a name (one player_lookup)', () => {
  let t: RealSeasonCopy;
  before(async () => {
    t = await realSeasonCopy(['2021-22']);
  });
  after(async () => t.cleanup());

  // LEFT (audit round): fails today — player_game_summary and upcoming_player_game_context have
  // PRIMARY KEY (player_lookup, game_id), so the Phase 3 build dies with a constraint error the night
  // both play (GSW-PHI, 0022100278), and the context's windows partition by player_lookup.
  it("keeps each player's own pre-game contexts", { todo: 'Phase 3 keys players by player_lookup, not by person id' }, async () => {
    const contexts = async () =>
      t.wh.query<{ pid: number; game_id: string; games7: number; team: string }>(
        `SELECT universal_player_id AS pid, game_id, games_in_last_7_days AS games7, team_abbr AS team FROM nba_analytics.upcoming_player_game_context
         WHERE universal_player_id IN ($a, $b) ORDER BY pid, game_id`,
        { a: SETH, b: STEPH },
      );
    const before = await contexts();
    assert.ok(before.some((r) => r.pid === STEPH) && before.some((r) => r.pid === SETH));
    // Stephen Curry's registry name becomes 'Seth Curry' too: two people, one lookup (as two 'Chris Johnson's once were).
    await t.wh.exec(`UPDATE nba_reference.nba_players_registry SET player_name = 'Seth Curry', player_lookup = 'sethcurry' WHERE universal_player_id = $b`, { b: STEPH });
    const { buildPhase3 } = await import('../phase3/build-phase3.js');
    await t.wh.transaction((tx) => buildPhase3(tx, { seasonYears: [2021], runId: 'audit-same-name' }));
    assert.deepEqual(await contexts(), before);
  });
});
