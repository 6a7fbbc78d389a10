// Phase 4 on the bundled real 2021-22 season, through the real engine: per-date and whole-range
// runs give identical tables; hand computations from player_game_summary match named rows; and no
// row reads a game on or after its date.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runBackfill } from '../engine/run.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { tableHash } from '../testing/table-hash.js';
import { PROCESSORS } from './index.js';

let whole: RealSeasonCopy;
let perDate: RealSeasonCopy;
const FROM = '2021-10-19';
const TO = '2021-12-05';

before(async () => {
  [whole, perDate] = await Promise.all([realSeasonCopy(), realSeasonCopy()]);
  const a = await runBackfill(whole.wh, PROCESSORS, { from: FROM, to: TO });
  const b = await runBackfill(perDate.wh, PROCESSORS, { from: FROM, to: TO, batchDays: 1 });
  assert.equal(a.exitCode, 0);
  assert.equal(b.exitCode, 0);
});
after(async () => {
  await whole?.cleanup();
  await perDate?.cleanup();
});

const one = async (sql: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> => {
  const [row] = await whole.wh.query(sql, params);
  assert.ok(row, `no row: ${sql}`);
  return row;
};

describe('real 2021-22 Phase 4', () => {
  test('per-date mode and one whole-range batch give identical tables (content hash)', async () => {
    for (const p of PROCESSORS) {
      const where = `${p.dateColumn} BETWEEN DATE '${FROM}' AND DATE '${TO}'`;
      const [a, b] = [await tableHash(whole.wh, p.outputTable, where), await tableHash(perDate.wh, p.outputTable, where)];
      assert.ok(a.rows > 400, `${p.key} wrote ${a.rows} rows`);
      assert.deepEqual(b, a, `${p.key} differs between per-date and whole-range`);
    }
    const failures = ['analysis_date', 'entity_id', 'processor_name', 'failure_category', 'failure_reason', 'is_expected']
      .join(', ');
    const [fa, fb] = await Promise.all(
      [whole, perDate].map((x) => x.wh.query(`SELECT ${failures} FROM nba_processing.precompute_failures ORDER BY ALL`)),
    );
    assert.deepEqual(fb, fa);
  });

  test('no Phase 4 row reads a game on or after its date, nor one before its declared history window', async () => {
    for (const p of PROCESSORS) {
      const seasons = p.historyWindow?.seasons ?? 1;
      const [r] = await whole.wh.query<{ n: number; leaks: number; early: number; unrecorded: number }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE source_last_game_date >= ${p.dateColumn}) AS leaks,
                count(*) FILTER (WHERE source_first_game_date < (SELECT min(game_date) FROM nba_reference.schedule s
                                                                 WHERE s.season_year > o.season_year - ${seasons})) AS early,
                count(*) FILTER (WHERE source_first_game_date IS NULL AND source_last_game_date IS NOT NULL) AS unrecorded
         FROM ${p.outputTable} o`,
      );
      assert.deepEqual([r?.leaks, r?.early, r?.unrecorded], [0, 0, 0], p.key);
    }
  });

  test('PDC Trae Young on 2021-11-20 equals a hand computation from player_game_summary', async () => {
    const pdc = await one(
      `SELECT points_avg_last_5, points_avg_last_10, points_avg_season, points_std_last_10, minutes_avg_last_10, games_played_season,
              source_last_game_date
       FROM nba_precompute.player_daily_cache WHERE player_lookup = 'traeyoung' AND cache_date = '2021-11-20'`,
    );
    const hand = await one(
      `WITH g AS (SELECT points, minutes_played, game_date, row_number() OVER (ORDER BY game_date DESC) AS k
                  FROM nba_analytics.player_game_summary
                  WHERE player_lookup = 'traeyoung' AND season_year = 2021 AND game_date < DATE '2021-11-20' AND minutes_played > 0)
       SELECT round(avg(points) FILTER (WHERE k <= 5), 2) AS points_avg_last_5,
              round(avg(points) FILTER (WHERE k <= 10), 2) AS points_avg_last_10,
              round(avg(points), 2) AS points_avg_season,
              round(stddev_samp(points) FILTER (WHERE k <= 10), 2) AS points_std_last_10,
              round(avg(minutes_played) FILTER (WHERE k <= 10), 2) AS minutes_avg_last_10,
              count(*) AS games_played_season, max(game_date) AS source_last_game_date
       FROM g`,
    );
    assert.deepEqual(pdc, hand);
    assert.deepEqual([pdc['points_avg_last_5'], pdc['games_played_season']], [28, 16]);
  });

  test('PSZA Nikola Jokic on 2021-12-01 equals a hand computation', async () => {
    const psza = await one(
      `SELECT paint_rate_last_10, mid_range_rate_last_10, three_pt_rate_last_10, paint_pct_last_10, three_pt_pct_last_10, games_in_sample_10
       FROM nba_precompute.player_shot_zone_analysis WHERE player_lookup = 'nikolajokic' AND analysis_date = '2021-12-01'`,
    );
    const hand = await one(
      `WITH g AS (SELECT * FROM nba_analytics.player_game_summary
                  WHERE player_lookup = 'nikolajokic' AND season_year = 2021 AND game_date < DATE '2021-12-01' AND minutes_played > 0
                  ORDER BY game_date DESC LIMIT 10)
       SELECT round(100.0 * sum(paint_attempts) / sum(fg_attempts), 2) AS paint_rate_last_10,
              round(100.0 * sum(mid_range_attempts) / sum(fg_attempts), 2) AS mid_range_rate_last_10,
              round(100.0 * sum(three_pt_attempts) / sum(fg_attempts), 2) AS three_pt_rate_last_10,
              round(sum(paint_makes) / sum(paint_attempts), 3) AS paint_pct_last_10,
              round(sum(three_pt_makes) / sum(three_pt_attempts), 3) AS three_pt_pct_last_10,
              count(*) AS games_in_sample_10
       FROM g`,
    );
    assert.deepEqual(psza, hand);
  });

  test('TDZA Boston on 2021-12-01: paint FG% allowed over its last 15 games', async () => {
    const tdza = await one(
      `SELECT paint_pct_allowed_last_15, three_pt_pct_allowed_last_15, games_in_sample
       FROM nba_precompute.team_defense_zone_analysis WHERE team_abbr = 'BOS' AND analysis_date = '2021-12-01'`,
    );
    const hand = await one(
      `WITH g AS (SELECT * FROM nba_analytics.team_defense_game_summary
                  WHERE defending_team_abbr = 'BOS' AND season_year = 2021 AND game_date < DATE '2021-12-01'
                  ORDER BY game_date DESC LIMIT 15)
       SELECT round(sum(opp_paint_makes) / sum(opp_paint_attempts), 3) AS paint_pct_allowed_last_15,
              round(sum(opp_three_pt_makes) / sum(opp_three_pt_attempts), 3) AS three_pt_pct_allowed_last_15,
              count(*) AS games_in_sample
       FROM g`,
    );
    assert.deepEqual(tdza, hand);
  });

  test('PCF fatigue equals a hand computation from the context on every row: exact minutes per game, age by birthday', async () => {
    const r = await one(
      `WITH hand AS (
         SELECT p.player_lookup, p.game_date, p.fatigue_score, CAST(extract(year FROM age(p.game_date, g.birthdate)) AS INTEGER) AS age,
                greatest(0, least(100, 100
                  + CASE WHEN u.back_to_back THEN -15 WHEN u.days_rest >= 3 THEN 5 ELSE 0 END
                  + CASE WHEN u.games_in_last_7_days >= 4 THEN -10 ELSE 0 END
                  + CASE WHEN u.minutes_in_last_7_days > 240 THEN -10 ELSE 0 END
                  + CASE WHEN u.minutes_in_last_7_days > 35 * u.games_in_last_7_days THEN -8 ELSE 0 END
                  + CASE WHEN u.back_to_backs_last_14_days >= 2 THEN -12 WHEN u.back_to_backs_last_14_days = 1 THEN -5 ELSE 0 END
                  + CASE WHEN age >= 35 THEN -10 WHEN age >= 30 THEN -5 ELSE 0 END)) AS hand
         FROM nba_precompute.player_composite_factors p
         JOIN nba_analytics.upcoming_player_game_context u USING (player_lookup, game_id)
         LEFT JOIN nba_reference.nba_players_registry g ON g.universal_player_id = u.universal_player_id)
       SELECT count(*) AS n, count(*) FILTER (WHERE fatigue_score <> hand) AS off,
              any_value(hand) FILTER (WHERE player_lookup = 'tonysnell' AND game_date = DATE '2021-11-09') AS snell_hand,
              any_value(fatigue_score) FILTER (WHERE player_lookup = 'tonysnell' AND game_date = DATE '2021-11-09') AS snell,
              any_value(age) FILTER (WHERE player_lookup = 'tonysnell' AND game_date = DATE '2021-11-09') AS snell_age
       FROM hand`,
    );
    assert.ok(Number(r['n']) > 7000, `${r['n']} rows`);
    assert.equal(Number(r['off']), 0);
    assert.deepEqual([r['snell_age'], r['snell']], [29, r['snell_hand']]); // the day before his 30th birthday: no age penalty
  });

  test('PCF uses real pace and usage: both factors are non-zero for most players', async () => {
    const r = await one(
      `SELECT count(*) AS n, count(*) FILTER (WHERE pace_score <> 0) AS pace, count(*) FILTER (WHERE usage_spike_score <> 0) AS usage
       FROM nba_precompute.player_composite_factors WHERE game_date BETWEEN '2021-11-15' AND '2021-11-30'`,
    );
    assert.ok(Number(r['pace']) > 0.8 * Number(r['n']), `pace non-zero for ${r['pace']} of ${r['n']}`);
    assert.ok(Number(r['usage']) > 0.8 * Number(r['n']), `usage non-zero for ${r['usage']} of ${r['n']}`);
  });

  test("MLFS data_source is 'phase4' exactly for the rows with every Phase 4 input (PDC, PCF, PSZA, opponent's TDZA)", async () => {
    const r = await one(
      `SELECT count(*) AS n,
              count(*) FILTER (WHERE all_inputs) AS all_inputs,
              count(*) FILTER (WHERE all_inputs AND m.data_source = 'phase4') AS phase4_with_all,
              count(*) FILTER (WHERE m.data_source = 'phase4') AS phase4
       FROM (SELECT m.*, pdc.player_lookup IS NOT NULL AND pcf.player_lookup IS NOT NULL AND z.player_lookup IS NOT NULL
                         AND t.team_abbr IS NOT NULL AS all_inputs
             FROM nba_predictions.ml_feature_store_v2 m
             LEFT JOIN nba_precompute.player_daily_cache pdc ON pdc.player_lookup = m.player_lookup AND pdc.cache_date = m.game_date
             LEFT JOIN nba_precompute.player_composite_factors pcf ON pcf.player_lookup = m.player_lookup AND pcf.game_date = m.game_date
             LEFT JOIN nba_precompute.player_shot_zone_analysis z ON z.player_lookup = m.player_lookup AND z.analysis_date = m.game_date
             LEFT JOIN nba_precompute.team_defense_zone_analysis t ON t.team_abbr = m.opponent_team_abbr AND t.analysis_date = m.game_date) m`,
    );
    assert.ok(Number(r['all_inputs']) > 2500, JSON.stringify(r)); // 2,832 of 7,354 rows in this range
    assert.equal(Number(r['phase4_with_all']), Number(r['all_inputs']));
    assert.equal(Number(r['phase4']), Number(r['all_inputs']));
  });

  test("entity failures on the bundled season (Phase 3 complete) are all expected: the calendar or the player's participation", async () => {
    const r = await one(
      `SELECT count(*) FILTER (WHERE NOT is_expected) AS real,
              count(*) FILTER (WHERE failure_reason LIKE 'early season: %') AS calendar,
              count(*) FILTER (WHERE failure_reason LIKE 'player has % games needed (% has played %, Phase 3 complete)') AS participation
       FROM nba_processing.precompute_failures WHERE entity_id <> 'DATE_LEVEL'`,
    );
    assert.equal(Number(r['real']), 0);
    assert.ok(Number(r['calendar']) > 0 && Number(r['participation']) > 0, JSON.stringify(r));
  });

  test('as-of: changing every game on D leaves rows dated D unchanged and moves rows after D', async () => {
    const D = '2021-11-20';
    const NEXT = '2021-11-27';
    const hashes = async () => {
      const out: Record<string, { on: unknown; after: unknown }> = {};
      for (const p of PROCESSORS) {
        out[p.key] = {
          on: await tableHash(whole.wh, p.outputTable, `${p.dateColumn} = DATE '${D}'`),
          after: await tableHash(whole.wh, p.outputTable, `${p.dateColumn} > DATE '${D}' AND ${p.dateColumn} <= DATE '${NEXT}'`),
        };
      }
      return out;
    };
    const before = await hashes();
    // Every game played on D changes: scoring, minutes, shots, usage, pace and defence.
    await whole.wh.exec(
      `UPDATE nba_analytics.player_game_summary SET points = points + 7, minutes_played = minutes_played + 3,
         paint_attempts = paint_attempts + 2, paint_makes = paint_makes + 1, fg_attempts = fg_attempts + 2, fg_makes = fg_makes + 1,
         usage_rate = usage_rate + 5 WHERE game_date = DATE '${D}';
       UPDATE nba_analytics.team_offense_game_summary SET pace = pace + 9, offensive_rating = offensive_rating + 9 WHERE game_date = DATE '${D}';
       UPDATE nba_analytics.team_defense_game_summary SET opp_paint_makes = opp_paint_makes + 5, opp_three_pt_makes = opp_three_pt_makes + 3,
         defensive_rating = defensive_rating + 9 WHERE game_date = DATE '${D}'`,
    );
    const rerun = await runBackfill(whole.wh, PROCESSORS, { from: D, to: NEXT, force: true });
    assert.equal(rerun.exitCode, 0);
    const afterChange = await hashes();
    for (const p of PROCESSORS) {
      assert.deepEqual(afterChange[p.key]?.on, before[p.key]?.on, `${p.key} rows dated ${D} moved`);
      assert.notDeepEqual(afterChange[p.key]?.after, before[p.key]?.after, `${p.key} rows after ${D} did not move`);
    }
  });
});
