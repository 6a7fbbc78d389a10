// One small league for the processors' differential tests (*.bq.test.ts): the same tables go to DuckDB
// and to ZetaSQL (BigQuery's analyzer and reference evaluator), and each processor's statements must give
// the same rows on both. It walks the NULL paths on which the engines differ (DuckDB's greatest, least
// and concat skip NULLs; GoogleSQL's return NULL) and the roundings (.5 ties on NUMERIC):
//
//   - a missing box score: BOS's game of 10-20 has no player rows (a Phase 3 gap: real failures);
//   - a team with no offense rows: LAL (no team pace, no offensive rating; PDC's team dates NULL);
//   - zone ties: NYK allows .675 in the paint and .505 from mid-range, both +9.5 against the constants;
//   - .5 rounding ties: shooter's three rate 1 / 800 = 0.125%, eight's season average 161 / 8 = 20.125,
//     odd's minutes 320.35 / 10 = 32.035, BOS's defensive rating 1576.875 / 15 = 105.125;
//   - zero-attempt zones: shooter takes no mid-range shot, LAL's opponents no three;
//   - a season boundary: ten met MIA in 2018-19 (outside MLFS's 3-season window), 2019-20 and 2020-21,
//     whose games also must not enter his 2021-22 windows;
//   - a player with no shot-zone row: eight (8 games: a PDC row, no PSZA row), and ten's PSZA row of 11-04
//     removed (PDC's 'inputs were sufficient');
//   - a player with no PDC row: rookie (no game at all, days_rest NULL) and four (4 games);
//   - no usage (nousage), no opponent TDZA row (MIA's of 11-04 removed; DET's never made: 5 games),
//     an early-season team (CHI, DET: 5 games), a traded player, a DNP, no PCF row (tired on 11-03).
//
// Batch: $from 2021-10-19 .. $to 2021-11-04 (opener 10-19: the first non-bootstrap date is 11-02);
// targets on 11-03 and 11-04, so that a game of 11-03 is read on 11-04 and not on 11-03.
import { runPipeline } from './run-batch.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { Row } from '../../warehouse/warehouse.js';
import { PROCESSORS } from '../index.js';
import type { ProcessorDefinition, ProcessorKey } from '../processor.js';
import { tablesOf } from '../../warehouse/bigquery/parse-ddl.js';
import { days, Phase3Fixture } from './phase3-fixture.js';
import { PROCESSOR_SQL_DDL, READ_TABLES, VIEW_TABLES } from './processor-sql-ddl.js';

export const FROM = '2021-10-19';
export const TO = '2021-11-04';
export const D1 = '2021-11-03';
export const D2 = '2021-11-04';
const BEFORE = days('2021-10-19', 15); // 10-19 .. 11-02

const SHOTS = { paint_attempts: 4, paint_makes: 2, mid_range_attempts: 2, mid_range_makes: 1, three_pt_attempts: 4, three_pt_makes: 1, assisted_fg_makes: 3, unassisted_fg_makes: 1 };

function league(): Phase3Fixture {
  const f = new Phase3Fixture();
  f.series(BEFORE, 'BOS', 'NYK');
  f.series(BEFORE, 'MIA', 'LAL');
  f.series(['2021-10-20', '2021-10-23', '2021-10-26', '2021-10-29', '2021-11-01'], 'CHI', 'DET');
  f.game(D1, 'MIA', 'BOS');
  f.game(D1, 'LAL', 'NYK');
  f.game(D1, 'CHI', 'DET');
  f.game(D2, 'BOS', 'NYK');
  f.game(D2, 'MIA', 'LAL');
  // earlier seasons: ten met MIA once in each of 2018-19, 2019-20 and 2020-21
  for (const [date, points] of [['2019-01-10', 30], ['2020-01-10', 40], ['2021-01-10', 50]] as const) {
    f.game(date, 'MIA', 'BOS');
    f.playerGame('ten', date, 'BOS', { ...SHOTS, points });
  }

  // team summaries: BOS's defensive ratings average 105.125 over its 15 games (a 2 dp tie); NYK ties paint
  // and mid-range (.675 and .505); MIA allows 27 of 40 in the paint; LAL allows no three and has no offense rows
  BEFORE.forEach((d, i) => {
    f.teamGame('BOS', d, { pace: 98 }, { defensive_rating: i === 14 ? 106.875 : 105 });
    f.teamGame('NYK', d, { pace: 98 + (i % 3) }, { opp_paint_makes: 27, opp_mid_range_attempts: 40, opp_mid_range_makes: i < 3 ? 21 : 20 });
    f.teamGame('MIA', d, { pace: 104 }, { opp_paint_makes: 27 });
  });
  for (const g of f.games) {
    for (const team of [g.home, g.away]) {
      if (f.offense.some((r) => r['game_id'] === g.gameId && r['team_abbr'] === team)) continue;
      f.teamGame(team, g.date, {}, team === 'LAL' ? { opp_three_pt_attempts: 0, opp_three_pt_makes: 0 } : {});
    }
  }
  for (let i = f.offense.length - 1; i >= 0; i--) if (f.offense[i]?.['team_abbr'] === 'LAL') f.offense.splice(i, 1);

  // players: ten scores 10, 12, ... 28 (usage 20 then 30, one game without ts_pct), and plays on 11-03 too
  BEFORE.slice(5).forEach((d, i) =>
    f.playerGame('ten', d, 'BOS', { ...SHOTS, points: 10 + 2 * i, ft_makes: 4, usage_rate: i < 5 ? 20 : 30, ts_pct: i === 3 ? null : 0.55 }),
  );
  f.playerGame('ten', D1, 'BOS', { ...SHOTS, points: 40 });
  f.playerGames('tired', BEFORE.slice(5), 'BOS', { ...SHOTS, points: 15, usage_rate: 20 });
  BEFORE.slice(5).forEach((d, i) => f.playerGame('odd', d, 'BOS', { ...SHOTS, points: 19, minutes_played: i === 9 ? 32.35 : 32 }));
  BEFORE.slice(5).forEach((d, i) =>
    f.playerGame('cameo', d, 'BOS', { ...SHOTS, points: 20, minutes_played: i === 9 ? 2 : 36, usage_rate: i === 9 ? 337 : 25 }),
  );
  BEFORE.slice(7).forEach((d, i) => f.playerGame('eight', d, 'BOS', { ...SHOTS, points: i === 0 ? 21 : 20 }));
  f.playerGames('four', BEFORE.slice(11), 'BOS', SHOTS);
  f.playerGames('nousage', BEFORE.slice(5), 'BOS', { ...SHOTS, usage_rate: null, ts_pct: null });
  // shooter: 800 shots in 10 games, one of them a three (0.125% and 99.875%: two 2 dp ties), no mid-range
  BEFORE.slice(5).forEach((d, i) =>
    f.playerGame('shooter', d, 'BOS', { paint_attempts: i === 0 ? 79 : 80, paint_makes: 40, three_pt_attempts: i === 0 ? 1 : 0, three_pt_makes: 0 }),
  );
  f.playerGame('shooter', '2021-10-23', 'BOS', { minutes_played: 0, paint_attempts: 30 }); // a DNP does not count
  f.playerGames('traded', BEFORE.slice(0, 8), 'NYK', { three_pt_attempts: 5, three_pt_makes: 2 });
  f.playerGames('traded', BEFORE.slice(8), 'BOS', { paint_attempts: 5, paint_makes: 3 });
  f.playerGames('knick', BEFORE.slice(2), 'NYK', { ...SHOTS, points: 17 });
  f.playerGames('laker', BEFORE.slice(3), 'LAL', { ...SHOTS, points: 22 });
  f.playerGames('heat', BEFORE.slice(4), 'MIA', { ...SHOTS, points: 12, usage_rate: 18 });
  f.playerGames('bull', ['2021-10-20', '2021-10-23', '2021-10-26', '2021-10-29', '2021-11-01'], 'CHI', SHOTS);
  // every other team-game gets a bench box score, except BOS's of 10-20: a missing box score
  const missing = f.gameOf('2021-10-20', 'BOS').gameId;
  for (const g of f.games) {
    for (const team of [g.home, g.away]) {
      if (g.gameId === missing && team === 'BOS') continue;
      if (g.date >= D2) continue; // the last targets' games are not played yet
      if (!f.players.some((r) => r['game_id'] === g.gameId && r['team_abbr'] === team)) {
        f.playerGame(`${team.toLowerCase()}-bench`, g.date, team, { minutes_played: 12, points: 2 });
      }
    }
  }

  // pre-game contexts
  for (const p of ['ten', 'odd', 'cameo', 'eight', 'four', 'nousage', 'shooter', 'traded']) f.upcoming(p, D1, 'BOS');
  f.upcoming('tired', D1, 'BOS', {
    back_to_back: true, days_rest: 1, games_in_last_7_days: 4, minutes_in_last_7_days: 250,
    avg_minutes_per_game_last_7: 62.5, back_to_backs_last_14_days: 2, player_age: 36.4, player_age_years: 36,
  });
  f.upcoming('rookie', D1, 'BOS', { days_rest: null, opponent_days_rest: null });
  f.upcoming('laker', D1, 'LAL', { current_points_line: 21.5 });
  f.upcoming('bull', D1, 'CHI');
  f.upcoming('ten', D2, 'BOS', { days_rest: 1, current_points_line: 24.5 });
  f.upcoming('odd', D2, 'BOS');
  f.upcoming('knick', D2, 'NYK', { player_status: 'Questionable' });
  f.upcoming('heat', D2, 'MIA');
  f.upcoming('laker', D2, 'LAL');
  f.upcoming('ten', '2021-10-30', 'BOS'); // a bootstrap date: no row, no failure
  for (const d of [D1, D2]) for (const g of f.games.filter((x) => x.date === d)) for (const team of [g.home, g.away]) f.upcomingTeam(team, d);
  return f;
}

/** Rows of every table the processors read and write, as the DuckDB warehouse returns them. */
export type FixtureTables = Readonly<Record<string, readonly Row[]>>;

export interface ProcessorSqlFixture {
  /** Phase 3, the reference views (as tables) and the four upstream outputs, with the removals above. */
  readonly inputs: FixtureTables;
  /** Each processor's output rows as DuckDB wrote them from `inputs` (what its audits read). */
  readonly outputs: Readonly<Record<ProcessorKey, readonly Row[]>>;
}

const OUTPUT_COLUMNS = (p: ProcessorDefinition) => [...(tablesOf(PROCESSOR_SQL_DDL).get(p.outputTable)?.columns ?? [])].map((c) => c.name);

/**
 * The league in a temporary DuckDB warehouse, with the Phase 4 processors run in dependency order and
 * the removals made (the caller cleans it up): pred's fixture adds its inputs and runs it on this.
 */
export async function leagueWarehouse(): Promise<TempWarehouse> {
  const t = await tempWarehouse();
  try {
    await league().insert(t.wh);
    const byKey = (k: ProcessorKey) => PROCESSORS.find((p) => p.key === k) as ProcessorDefinition;
    const run = (k: ProcessorKey) => runPipeline(t.wh, [byKey(k)], { from: FROM, to: TO });
    await run('psza');
    await run('tdza');
    await t.wh.exec(`DELETE FROM nba_precompute.player_shot_zone_analysis WHERE player_lookup = 'ten' AND analysis_date = DATE '${D2}'`);
    await t.wh.exec(`DELETE FROM nba_precompute.team_defense_zone_analysis WHERE team_abbr = 'MIA' AND analysis_date = DATE '${D2}'`);
    await run('pdc');
    await run('pcf');
    await t.wh.exec(`DELETE FROM nba_precompute.player_composite_factors WHERE player_lookup = 'tired' AND game_date = DATE '${D1}'`);
    await run('mlfs');
    return t;
  } catch (err) {
    await t.cleanup();
    throw err;
  }
}

/**
 * Every table of PROCESSOR_SQL_DDL as a warehouse holds it: the read tables and the reference views
 * (read as the product defines them) as inputs, each processor's output as an output and, except
 * MLFS's (no Phase 4 processor reads it), as an input too; `extra` tables are inputs as well.
 */
export async function fixtureTables(t: TempWarehouse, extra: readonly string[] = []): Promise<ProcessorSqlFixture> {
  const inputs: Record<string, readonly Row[]> = {};
  for (const table of [...READ_TABLES, ...extra]) inputs[table] = await t.wh.query(`SELECT * FROM ${table}`);
  for (const view of VIEW_TABLES) {
    const columns = (tablesOf(PROCESSOR_SQL_DDL).get(view)?.columns ?? []).map((c) => c.name);
    inputs[view] = await t.wh.query(`SELECT ${columns.join(', ')} FROM ${view}`);
  }
  const outputs: Partial<Record<ProcessorKey, readonly Row[]>> = {};
  for (const p of PROCESSORS) {
    const rows = await t.wh.query(`SELECT ${OUTPUT_COLUMNS(p).join(', ')} FROM ${p.outputTable}`);
    outputs[p.key] = rows;
    if (p.key !== 'mlfs') inputs[p.outputTable] = rows;
  }
  return { inputs, outputs: outputs as Record<ProcessorKey, readonly Row[]> };
}

/**
 * Builds the league in a temporary DuckDB warehouse, runs the processors in dependency order with the
 * removals, and returns every table's rows. The reference views are read as the product defines them.
 */
export async function processorSqlFixture(): Promise<ProcessorSqlFixture> {
  const t = await leagueWarehouse();
  try {
    return await fixtureTables(t);
  } finally {
    await t.cleanup();
  }
}
