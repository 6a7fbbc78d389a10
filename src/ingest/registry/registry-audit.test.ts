// Audit round (registry): the alias → reprocess lifecycle on the real ingested data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { UsageError } from '../../core/errors.js';
import { buildGameTables, buildPhase3, rebuildUpcomingPlayerContext } from '../phase3/build-phase3.js';
import { ContextAuditError } from '../phase3/context-audits.js';
import { addNewPlayers } from './build-registry.js';
import { engineDownstream } from '../../engine/rebuild-downstream.js';
import { PROCESSORS } from '../../processors/index.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import {
  PROP_LINES_PROCESSOR,
  SHARED_NAME_PROCESSOR,
  addManualAlias,
  buildRegistry,
  recordUnresolvedPropNames,
  registrySummary,
  reprocessResolved,
} from './index.js';

const SETH = 203552;
const STEPH = 201939;
const DATE = '2021-11-08'; // both have a context row and a points line that day
const REBUILDERS = { [PROP_LINES_PROCESSOR]: rebuildUpcomingPlayerContext, [SHARED_NAME_PROCESSOR]: async () => undefined };
/** The engine's downstream (these copies have no Phase 4 stored: nothing to rebuild there). */
const reprocess = (wh: Warehouse, runId: string) => reprocessResolved(wh, { runId, rebuilders: REBUILDERS, downstream: engineDownstream(wh, PROCESSORS) });

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
    await reprocess(t.wh, 'audit-2');
    assert.equal(await lineOf(STEPH), 15.5);
    assert.equal(await lineOf(SETH), null);
    // The mistake is corrected by re-pointing the alias, then reprocessing as the README says.
    await t.wh.transaction((tx) => addManualAlias(tx, 'Sethh Curry', String(SETH)));
    const { outcomes } = await reprocess(t.wh, 'audit-3');
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

  // Each player's own pre-game contexts and box scores, by person id (the lookup may change, nothing else).
  const contexts = async () =>
    t.wh.query<{ pid: number; game_id: string; games7: number; team: string; minutes7: number | null }>(
      `SELECT universal_player_id AS pid, game_id, games_in_last_7_days AS games7, team_abbr AS team, minutes_in_last_7_days AS minutes7
       FROM nba_analytics.upcoming_player_game_context WHERE universal_player_id IN ($a, $b) ORDER BY pid, game_id`,
      { a: SETH, b: STEPH },
    );
  const boxScores = async () =>
    t.wh.query(
      `SELECT universal_player_id AS pid, count(*) AS games, sum(points) AS points, min(player_lookup) AS lookup, max(player_lookup) AS last_lookup
       FROM nba_analytics.player_game_summary WHERE universal_player_id IN ($a, $b) GROUP BY 1 ORDER BY 1`,
      { a: SETH, b: STEPH },
    );

  it('refuses to build Phase 3 on a lookup two registry rows hold (a hand edit), naming both, and writes nothing', async () => {
    const before = { contexts: await contexts(), box: await boxScores() };
    assert.ok(before.contexts.some((r) => r.pid === STEPH) && before.contexts.some((r) => r.pid === SETH));
    // Stephen Curry's registry row edited to 'Seth Curry' / 'sethcurry': two people, one lookup (as two 'Chris Johnson's once were).
    await t.wh.exec(`UPDATE nba_reference.nba_players_registry SET player_name = 'Seth Curry', player_lookup = 'sethcurry' WHERE universal_player_id = $b`, { b: STEPH });
    const named = (e: unknown): boolean =>
      e instanceof ContextAuditError &&
      e.message.includes('player_lookup sethcurry is held by Seth Curry (201939) and Seth Curry (203552)') &&
      /two registry players \(universal_player_id\) share a player_lookup.*nothing was written.*courtside ingest/s.test(e.message);
    await assert.rejects(t.wh.transaction((tx) => buildPhase3(tx, { seasonYears: [2021], runId: 'audit-same-name' })), named);
    await assert.rejects(t.wh.transaction((tx) => rebuildUpcomingPlayerContext(tx, { dates: [DATE], runId: 'audit-same-name-2' })), named);
    await assert.rejects(t.wh.transaction((tx) => buildGameTables(tx, { from: DATE, to: DATE, runId: 'audit-same-name-3' })), named);
    // Each player keeps his own contexts and box scores: nothing was half-written.
    assert.deepEqual(await contexts(), before.contexts);
    assert.deepEqual(await boxScores(), before.box);
    // The registry rebuilt from the name sources gives each his own lookup back, and Phase 3 builds again, unchanged.
    await t.wh.transaction(async (tx) => {
      await buildRegistry(tx, 'audit-fix');
      await buildPhase3(tx, { seasonYears: [2021], runId: 'audit-fix' });
    });
    assert.deepEqual(await contexts(), before.contexts);
    assert.deepEqual(await boxScores(), before.box);
  });

  it('gives a second person whose name is taken his own lookup, records the collision, and leaves the name unresolved until an alias says whom it means', async () => {
    const before = { contexts: await contexts(), box: await boxScores() };
    const lineOf = async (pid: number): Promise<number | null> => {
      const [r] = await t.wh.query<{ line: number | null }>(
        `SELECT current_points_line AS line FROM nba_analytics.upcoming_player_game_context WHERE universal_player_id = $pid AND game_date = CAST($d AS DATE)`,
        { pid, d: DATE },
      );
      return r?.line ?? null;
    };
    assert.equal(await lineOf(SETH), 15.5);
    const stephLine = await lineOf(STEPH); // his own, by 'Stephen Curry'
    assert.equal(stephLine, 29.5);
    // The NBA's player file names a second person 'Seth Curry' (Stephen Curry's id here): the registry and
    // Phase 3 rebuilt as `ingest` does (registry, then Phase 3, then the prop-line names).
    await t.wh.exec(`UPDATE nba_raw.player_name_sources SET name = 'Seth Curry' WHERE source = 'commonplayerinfo' AND source_player_id = $b`, { b: STEPH });
    const rebuild = async (runId: string) =>
      t.wh.transaction(async (tx) => {
        await buildRegistry(tx, runId);
        await buildPhase3(tx, { seasonYears: [2021], runId });
        await recordUnresolvedPropNames(tx, runId, { playerMarkets: true });
      });
    await rebuild('same-name-1');
    // Stephen Curry played first (2021-10-19; Seth Curry 10-20): he keeps 'sethcurry', the later one gets his id appended.
    const registry = await t.wh.query(
      `SELECT universal_player_id AS pid, player_lookup, player_name FROM nba_reference.nba_players_registry WHERE universal_player_id IN ($a, $b) ORDER BY 1`,
      { a: SETH, b: STEPH },
    );
    assert.deepEqual(registry, [
      { pid: STEPH, player_lookup: 'sethcurry', player_name: 'Seth Curry' },
      { pid: SETH, player_lookup: 'sethcurry203552', player_name: 'Seth Curry' },
    ]);
    const summary = await registrySummary(t.wh);
    assert.equal(summary.ambiguousLookups, 0);
    assert.equal(summary.sharedNames, 1);
    // Each keeps his own history: the same contexts and box scores, by person id, under his own lookup.
    assert.deepEqual(await contexts(), before.contexts);
    const box = await boxScores();
    assert.deepEqual(box.map((r) => ({ ...r, lookup: null, last_lookup: null })), before.box.map((r) => ({ ...r, lookup: null, last_lookup: null })));
    assert.deepEqual(box.map((r) => [r['pid'], r['lookup'], r['last_lookup']]), [[STEPH, 'sethcurry', 'sethcurry'], [SETH, 'sethcurry203552', 'sethcurry203552']]);
    // The sportsbook's 'Seth Curry' cannot say which of the two it means: no line for either; Stephen's own
    // spelling still resolves (through his shot-chart name).
    assert.equal(await lineOf(SETH), null);
    assert.equal(await lineOf(STEPH), stephLine, "'Seth Curry' is not attached to the person who holds the lookup either");
    // Visible: the collision on the second person's first game, and the unresolved lines, both under 'sethcurry'.
    const failures = async () =>
      t.wh.query(
        `SELECT processor_name, CAST(game_date AS VARCHAR) AS game_date, raw_name, team_abbr, game_id, occurrence_count,
                CASE WHEN resolved_at IS NULL THEN 'PENDING' WHEN reprocessed_at IS NULL THEN 'RESOLVED' ELSE 'REPROCESSED' END AS status
         FROM nba_processing.registry_failures WHERE player_lookup = 'sethcurry' ORDER BY processor_name, game_date`,
      );
    assert.deepEqual(await failures(), [
      { processor_name: SHARED_NAME_PROCESSOR, game_date: '2021-10-20', raw_name: 'Seth Curry', team_abbr: 'PHI', game_id: '0022100009', occurrence_count: 1, status: 'PENDING' },
      { processor_name: PROP_LINES_PROCESSOR, game_date: DATE, raw_name: 'Seth Curry', team_abbr: 'PHI', game_id: '0022100147', occurrence_count: 1, status: 'PENDING' },
    ]);
    // Naming the player by that name is ambiguous; the operator says whom the sportsbook means by id.
    await assert.rejects(
      t.wh.transaction((tx) => addManualAlias(tx, 'Seth Curry', 'Seth Curry')),
      (e: unknown) => e instanceof UsageError && e.message.includes('ambiguous: Seth Curry (201939), Seth Curry (203552)'),
    );
    const alias = await t.wh.transaction((tx) => addManualAlias(tx, 'Seth Curry', String(SETH)));
    assert.deepEqual([alias.aliasLookup, alias.player.player_lookup, alias.failuresResolved], ['sethcurry', 'sethcurry203552', 2]);
    const { outcomes } = await reprocess(t.wh, 'same-name-reprocess');
    assert.deepEqual(outcomes.map((o) => [o.processorName, o.dates, o.rebuilt]), [[SHARED_NAME_PROCESSOR, ['2021-10-20'], true], [PROP_LINES_PROCESSOR, [DATE], true]]);
    assert.equal(await lineOf(SETH), 15.5, "Seth Curry's line comes back, on him");
    assert.equal(await lineOf(STEPH), stephLine);
    // A later rebuild keeps the alias's answer: nothing is reopened.
    await rebuild('same-name-2');
    assert.deepEqual((await failures()).map((f) => f['status']), ['REPROCESSED', 'REPROCESSED']);
    assert.equal(await lineOf(SETH), 15.5);
    assert.deepEqual(await contexts(), before.contexts);
  });
});

describe('a newcomer of a nightly ingest whose name a stored player has', () => {
  let t: RealSeasonCopy;
  before(async () => {
    t = await realSeasonCopy();
  });
  after(async () => t.cleanup());

  it('gets his own lookup; the stored player keeps his; the collision is a failure on the newcomer\'s first night', async () => {
    const BANCHERO = 1631094; // first game 2022-10-19 (ORL), a shot-chart name
    const NIGHT = '2022-10-19';
    const contextsOf = async (pid: number) =>
      t.wh.query(`SELECT game_id, games_in_last_7_days AS g7 FROM nba_analytics.upcoming_player_game_context WHERE universal_player_id = $pid ORDER BY game_id`, { pid });
    const sethBefore = await contextsOf(SETH);
    // He is new that night (as if the registry had not seen him yet), and his name file calls him 'Seth Curry'.
    await t.wh.exec(`DELETE FROM nba_reference.nba_players_registry WHERE universal_player_id = $p`, { p: BANCHERO });
    await t.wh.exec(`UPDATE nba_raw.player_name_sources SET name = 'Seth Curry' WHERE source_player_id = $p`, { p: BANCHERO });
    const added = await t.wh.transaction(async (tx) => {
      const newcomers = await addNewPlayers(tx, { from: NIGHT, to: NIGHT });
      await buildGameTables(tx, { from: NIGHT, to: NIGHT, runId: 'night-1' });
      return newcomers;
    });
    assert.deepEqual(added, { added: 1, byNameSource: { shotchart: 1 } });
    const rows = await t.wh.query(
      `SELECT universal_player_id AS pid, player_lookup FROM nba_reference.nba_players_registry WHERE universal_player_id IN ($a, $b) ORDER BY 1`,
      { a: SETH, b: BANCHERO },
    );
    assert.deepEqual(rows, [{ pid: SETH, player_lookup: 'sethcurry' }, { pid: BANCHERO, player_lookup: 'sethcurry1631094' }]);
    const [box] = await t.wh.query(`SELECT player_lookup, team_abbr FROM nba_analytics.player_game_summary WHERE universal_player_id = $p AND game_date = CAST($d AS DATE)`, { p: BANCHERO, d: NIGHT });
    assert.deepEqual(box, { player_lookup: 'sethcurry1631094', team_abbr: 'ORL' });
    const failures = await t.wh.query(
      `SELECT player_lookup, processor_name, CAST(game_date AS VARCHAR) AS game_date, raw_name, team_abbr, run_id FROM nba_processing.registry_failures WHERE processor_name = $p`,
      { p: SHARED_NAME_PROCESSOR },
    );
    assert.deepEqual(failures, [{ player_lookup: 'sethcurry', processor_name: SHARED_NAME_PROCESSOR, game_date: NIGHT, raw_name: 'Seth Curry', team_abbr: 'ORL', run_id: 'night-1' }]);
    assert.deepEqual(await contextsOf(SETH), sethBefore);
  });
});
