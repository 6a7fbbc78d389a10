// Properties of the whole graph on a synthetic season: the as-of rule and batch-size invariance.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { PROCESSORS } from './index.js';
import { runPipeline } from './testing/run-batch.js';
import { tableHash } from '../testing/table-hash.js';
import { generateSeason } from './testing/season-fixture.js';

const FROM = '2021-10-19';
const TO = '2021-11-27'; // 40 days: 26 non-bootstrap dates from 11-02; TDZA has rows from day 30
let t: TempWarehouse;
let dates: string[];

async function hashes(): Promise<Record<string, { rows: number; hash: string }>> {
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const def of PROCESSORS) for (const d of dates) out[`${def.key} ${d}`] = await tableHash(t.wh, def.outputTable, `${def.dateColumn} = DATE '${d}'`);
  return out;
}

before(async () => {
  t = await tempWarehouse();
  await generateSeason(t.wh, { days: 40, playersPerTeam: 4 });
  dates = (await t.wh.query(`SELECT game_date::VARCHAR AS d FROM nba_reference.game_dates WHERE NOT is_bootstrap ORDER BY 1`)).map((r) => String(r['d']));
});
after(async () => t.cleanup());

test('one batch for the whole range and one batch per date produce identical tables', async () => {
  // the last 6 dates: one 6-date batch vs six 1-date batches (per-date mode is slow by nature)
  const last = dates.slice(-6);
  await runPipeline(t.wh, PROCESSORS, { from: last[0] as string, to: TO });
  const whole = await hashes();
  for (const def of PROCESSORS) assert.ok((whole[`${def.key} ${dates.at(-1)}`]?.rows ?? 0) > 0, `${def.key} wrote rows`);
  await runPipeline(t.wh, PROCESSORS, { from: FROM, to: TO, dates: last });
  const perDate = await hashes();
  for (const key of Object.keys(whole)) assert.deepEqual(perDate[key], whole[key], key);
});

test('as-of: changing every game on D leaves rows dated D unchanged and changes rows after D', async () => {
  const D = dates.at(-3) as string;
  await runPipeline(t.wh, PROCESSORS, { from: FROM, to: TO });
  const beforeChange = await hashes();
  const params = { d: D };
  await t.wh.exec(`UPDATE nba_analytics.player_game_summary SET points = points + 7, minutes_played = minutes_played + 3,
                   paint_makes = paint_makes + 1, usage_rate = usage_rate + 5, ft_makes = ft_makes + 1 WHERE game_date = $d::DATE`, params);
  await t.wh.exec(`UPDATE nba_analytics.team_offense_game_summary SET pace = pace + 4, offensive_rating = offensive_rating + 6, win_flag = NOT win_flag WHERE game_date = $d::DATE`, params);
  await t.wh.exec(`UPDATE nba_analytics.team_defense_game_summary SET opp_paint_makes = opp_paint_makes + 3, defensive_rating = defensive_rating + 5 WHERE game_date = $d::DATE`, params);
  await runPipeline(t.wh, PROCESSORS, { from: FROM, to: TO });
  const afterChange = await hashes();
  // the teams of D play every other day: their next game date is two days later
  const next = dates.at(-1) as string;
  for (const def of PROCESSORS) {
    for (const d of dates.filter((x) => x <= D)) assert.deepEqual(afterChange[`${def.key} ${d}`], beforeChange[`${def.key} ${d}`], `${def.key} ${d} changed`);
    assert.notDeepEqual(afterChange[`${def.key} ${next}`], beforeChange[`${def.key} ${next}`], `${def.key} ${next} did not change`);
  }
});

test('every Phase 4 row read only games before its date', async () => {
  for (const def of PROCESSORS) {
    const [r] = await t.wh.query(`SELECT count(*) AS n, count(*) FILTER (WHERE source_last_game_date >= ${def.dateColumn}) AS leaks FROM ${def.outputTable}`);
    assert.ok(Number(r?.['n']) > 0, def.key);
    assert.equal(Number(r?.['leaks']), 0, def.key);
  }
});
