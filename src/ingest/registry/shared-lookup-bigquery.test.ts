// The Phase 3 guard on BigQuery's path: the official client against the fake BigQuery server (which
// runs the jobs on DuckDB, ASSERT as BigQuery states it), on a copy of the real 2021-22 warehouse whose
// registry was edited by hand so that two people hold one player_lookup. ASSERT carries only its
// literal message, so the error says what is wrong and how to list the rows; nothing is written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { BigQueryWarehouse } from '../../warehouse/bigquery/bigquery-warehouse.js';
import { FakeBigQuery } from '../../warehouse/bigquery/testing/fake-bigquery-server.js';
import { buildGameTables, rebuildUpcomingPlayerContext } from '../phase3/build-phase3.js';
import { ContextAuditError } from '../phase3/context-audits.js';

const SETH = 203552;
const STEPH = 201939;
const DATE = '2021-11-08';

describe('a player_lookup two registry rows hold, on BigQuery (fake server)', () => {
  let copy: RealSeasonCopy;
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  before(async () => {
    copy = await realSeasonCopy(['2021-22']);
    await copy.release();
    fake = await FakeBigQuery.start({ duckdbPath: copy.path, datasetPrefix: 'lk_' });
    wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: 'lk_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
  });
  after(async () => {
    await fake?.stop();
    await copy?.cleanup();
  });

  it('fails the Phase 3 script with the guard message and writes nothing', async () => {
    const state = async () => ({
      contexts: await wh.query(
        `SELECT universal_player_id AS pid, game_id, games_in_last_7_days AS g7, current_points_line AS line FROM nba_analytics.upcoming_player_game_context
         WHERE universal_player_id IN ($a, $b) ORDER BY pid, game_id`,
        { a: SETH, b: STEPH },
      ),
      box: await wh.query(`SELECT count(*) AS n FROM nba_analytics.player_game_summary WHERE game_date = CAST($d AS DATE)`, { d: DATE }),
    });
    const before = await state();
    assert.ok(before.contexts.length > 0);
    await wh.exec(`UPDATE nba_reference.nba_players_registry SET player_name = 'Seth Curry', player_lookup = 'sethcurry' WHERE universal_player_id = $b`, { b: STEPH });
    const guard = (e: unknown): boolean =>
      e instanceof ContextAuditError &&
      e.message.startsWith("Phase 3 audit 'registry_one_person_per_lookup' failed: two registry players (universal_player_id) share a player_lookup") &&
      e.message.includes('nothing was written') &&
      e.message.includes('list them: SELECT player_lookup FROM nba_reference.nba_players_registry GROUP BY player_lookup HAVING count(*) > 1');
    await assert.rejects(wh.transaction((tx) => rebuildUpcomingPlayerContext(tx, { dates: [DATE], runId: 'bq-guard-1' })), guard);
    await assert.rejects(wh.transaction((tx) => buildGameTables(tx, { from: DATE, to: DATE, runId: 'bq-guard-2' })), guard);
    assert.deepEqual(await state(), before);
  });
});
