// Phase 3 on the bundled real seasons: the derivation reproduces official NBA totals and is
// internally consistent (minutes, final scores, zones), and pre-game context never looks ahead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { rebuildUpcomingPlayerContext } from './build-phase3.js';

let fx: RealSeasonCopy;
before(async () => {
  fx = await realSeasonCopy();
});
after(async () => fx?.cleanup());

const one = async <T extends Record<string, unknown>>(sql: string, params?: Record<string, string | number>): Promise<T> => {
  const [row] = await fx.wh.query<T>(sql, params);
  assert.ok(row, `no row from ${sql}`);
  return row;
};

describe('player_game_summary vs official 2021-22 totals', () => {
  const official: [string, number, number][] = [
    ['Joel Embiid', 68, 2079],
    ['Trae Young', 76, 2155],
    ['DeMar DeRozan', 76, 2118],
    ['Nikola Jokic', 74, 2004],
    ['LeBron James', 56, 1695],
  ];
  for (const [name, games, points] of official) {
    test(`${name}: ${games} games, ${points} points`, async () => {
      const r = await one<{ g: number; pts: number }>(
        `SELECT count(*) AS g, sum(points) AS pts FROM nba_analytics.player_game_summary
         WHERE player_lookup = {{player_lookup($name)}} AND season_year = 2021 AND minutes_played > 0`,
        { name },
      );
      assert.deepEqual([r.g, r.pts], [games, points]);
    });
  }
});

describe('each season', () => {
  for (const season of [2021, 2022]) {
    test(`${season}: 1,230 games, 30 teams, 2,460 team-games, 5 starters per team-game`, async () => {
      const r = await one<Record<string, number>>(
        `SELECT (SELECT count(*) FROM nba_reference.schedule WHERE season_year = $s) AS games,
                (SELECT count(DISTINCT home_team_abbr) FROM nba_reference.schedule WHERE season_year = $s) AS teams,
                (SELECT count(*) FROM nba_analytics.team_offense_game_summary WHERE season_year = $s) AS team_games,
                (SELECT count(*) FROM nba_analytics.team_defense_game_summary WHERE season_year = $s) AS defense_games,
                (SELECT count(*) FROM (SELECT game_id, team_abbr FROM nba_analytics.player_game_summary WHERE season_year = $s
                   GROUP BY ALL HAVING count(*) FILTER (WHERE starter_flag) <> 5)) AS bad_starters`,
        { s: season },
      );
      assert.deepEqual(r, { games: 1230, teams: 30, team_games: 2460, defense_games: 2460, bad_starters: 0 });
    });
  }

  test('player-game rows and players match the validated derivation (26,037 / 605 and 25,891 / 539)', async () => {
    const rows = await fx.wh.query<{ season_year: number; n: number; players: number }>(
      `SELECT season_year, count(*) AS n, count(DISTINCT universal_player_id) AS players
       FROM nba_analytics.player_game_summary GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(rows, [
      { season_year: 2021, n: 26037, players: 605 },
      { season_year: 2022, n: 25891, players: 539 },
    ]);
  });

  test("every team-game's minutes sum to 240 (+25 per overtime) within 1 minute", async () => {
    const r = await one<{ team_games: number; off: number; ot_games: number }>(
      `SELECT count(*) AS team_games, count(*) FILTER (WHERE abs(got - 240 - 25 * ot_periods) > 1) AS off,
              count(*) FILTER (WHERE ot_periods > 0) / 2 AS ot_games
       FROM (SELECT t.game_id, t.team_abbr, t.ot_periods, sum(p.minutes_played) AS got
             FROM nba_analytics.team_offense_game_summary t
             JOIN nba_analytics.player_game_summary p USING (game_id, team_abbr) GROUP BY ALL)`,
    );
    assert.equal(r.team_games, 4920);
    assert.equal(r.off, 0);
    assert.equal(r.ot_games, 58 + 79); // OT games per the data README: 58 (2021-22) and 79 (2022-23)
  });

  test("each game's final score equals the sum of its players' points", async () => {
    const r = await one<{ games: number; off: number }>(
      `SELECT count(*) AS games,
              count(*) FILTER (WHERE home <> s.home_points OR away <> s.away_points) AS off
       FROM nba_reference.schedule s
       JOIN (SELECT game_id, sum(points) FILTER (WHERE home_game) AS home, sum(points) FILTER (WHERE NOT home_game) AS away
             FROM nba_analytics.player_game_summary GROUP BY game_id) p USING (game_id)`,
    );
    assert.deepEqual(r, { games: 2460, off: 0 });
  });

  test('paint + mid-range + three attempts equal FGA for every player-game', async () => {
    const r = await one<{ off: number; fga: number }>(
      `SELECT count(*) FILTER (WHERE paint_attempts + mid_range_attempts + three_pt_attempts <> fg_attempts) AS off,
              sum(fg_attempts) FILTER (WHERE season_year = 2021) AS fga
       FROM nba_analytics.player_game_summary`,
    );
    assert.deepEqual(r, { off: 0, fga: 216713 }); // 216,713 shots in 2021-22 (data README)
  });

  test('ATL 2021-22 zones match the derivation checked against the NBA shot chart', async () => {
    const r = await one<Record<string, number>>(
      `SELECT sum(paint_attempts) AS paint_fga, sum(paint_makes) AS paint_fgm, sum(mid_range_attempts) AS mid_fga, sum(mid_range_makes) AS mid_fgm
       FROM nba_analytics.player_game_summary WHERE team_abbr = 'ATL' AND season_year = 2021`,
    );
    assert.deepEqual(r, { paint_fga: 3340, paint_fgm: 1870, mid_fga: 1077, mid_fgm: 475 });
  });

  test('raw play-by-play is unique on (game, action number), with the validated event counts', async () => {
    const rows = await fx.wh.query<{ season_year: number; n: number; keys: number }>(
      `SELECT season_year, count(*) AS n, count(DISTINCT (game_id, action_number)) AS keys FROM nba_raw.play_by_play GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(rows, [
      { season_year: 2021, n: 659933, keys: 659933 },
      { season_year: 2022, n: 663990, keys: 663990 },
    ]);
  });
});

describe('team tables and pre-game context', () => {
  test('team offense: pace and ratings are real numbers; defense mirrors the opponent', async () => {
    const r = await one<Record<string, number>>(
      `SELECT round(avg(o.pace), 1) AS pace, round(avg(o.offensive_rating), 1) AS ortg,
              count(*) FILTER (WHERE d.points_allowed <> o2.points) AS mismatched,
              count(*) FILTER (WHERE d.opp_paint_attempts + d.opp_mid_range_attempts + d.opp_three_pt_attempts <> o2.fg_attempts) AS zone_off
       FROM nba_analytics.team_offense_game_summary o
       JOIN nba_analytics.team_defense_game_summary d ON d.defending_team_abbr = o.team_abbr AND d.game_id = o.game_id
       JOIN nba_analytics.team_offense_game_summary o2 ON o2.team_abbr = o.opponent_team_abbr AND o2.game_id = o.game_id
       WHERE o.season_year = 2021`,
    );
    assert.equal(r['mismatched'], 0);
    assert.equal(r['zone_off'], 0);
    // League pace 2021-22 was ~98.2 and offensive rating ~111.4 (possession estimates differ slightly).
    assert.ok(r['pace']! > 95 && r['pace']! < 102, `pace ${r['pace']}`);
    assert.ok(r['ortg']! > 105 && r['ortg']! < 118, `ortg ${r['ortg']}`);
  });

  test('every team-game has its game total and a signed spread from the odds (favourite negative), but for the four scraped non-totals', async () => {
    const r = await one<Record<string, number>>(
      `SELECT count(*) AS n, count(game_total) AS totals, count(*) FILTER (WHERE game_spread <> 0 AND sign(game_spread) = sign(opp)) AS same_sign
       FROM (SELECT u.*, o.game_spread AS opp FROM nba_analytics.upcoming_team_game_context u
             JOIN nba_analytics.upcoming_team_game_context o ON o.game_id = u.game_id AND o.team_abbr = u.opponent_team_abbr)
       WHERE season_year = 2021`,
    );
    // the source's totals of 3, 22, 6.5 and 32.5 are no game totals: unknown, and the implied totals with them
    assert.deepEqual(r, { n: 2460, totals: 2452, same_sign: 0 });
    const unknown = await fx.wh.query(
      `SELECT CAST(game_date AS VARCHAR) AS d, team_abbr, team_implied_total FROM nba_analytics.upcoming_team_game_context
       WHERE season_year = 2021 AND game_total IS NULL AND home_game ORDER BY game_date`,
    );
    assert.deepEqual(unknown, [
      { d: '2021-10-25', team_abbr: 'IND', team_implied_total: null },
      { d: '2021-11-09', team_abbr: 'UTA', team_implied_total: null },
      { d: '2022-03-30', team_abbr: 'SAS', team_implied_total: null },
      { d: '2022-04-01', team_abbr: 'MIL', team_implied_total: null },
    ]);
    const lal = await one<{ game_total: number; game_spread: number }>(
      `SELECT game_total, game_spread FROM nba_analytics.upcoming_team_game_context WHERE game_date = '2021-10-19' AND team_abbr = 'LAL'`,
    );
    assert.deepEqual(lal, { game_total: 230.5, game_spread: -4.5 }); // LAL -160 favourite, spread 4.5
  });

  test('player context uses only games before the date (source_last_game_date < game_date)', async () => {
    const r = await one<{ n: number; leaks: number; lines: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE source_last_game_date >= game_date) AS leaks,
              count(current_points_line) AS lines FROM nba_analytics.upcoming_player_game_context`,
    );
    assert.ok(r.n > 60000, `contexts ${r.n}`);
    assert.equal(r.leaks, 0);
    assert.equal(r.lines, 147); // every (player, date) with a points O/U line in the three snapshots
  });

  // fetch lands each market's last update as its snapshot: one taken after tip-off is an in-play line
  // (it knows how the game is going), which a pre-game context must not carry.
  test('the points line is the latest snapshot taken before tip-off, never an in-play one', async () => {
    const line = () =>
      one<{ current_points_line: number }>(
        `SELECT current_points_line FROM nba_analytics.upcoming_player_game_context WHERE player_lookup = 'stephencurry' AND game_date = '2021-11-08'`,
      );
    assert.deepEqual(await line(), { current_points_line: 29.5 });
    const rollback = new Error('roll back the in-play copy');
    await assert.rejects(
      fx.wh.transaction(async (tx) => {
        await tx.exec(
          `INSERT INTO nba_raw.player_prop_lines
           SELECT tipoff_utc + INTERVAL 2 HOUR, source_commit, prop, game_date, tipoff_utc, player_name, team_abbr, opponent_team_abbr,
                  home_team_abbr, away_team_abbr, side, 44.5, draftkings, fanduel, pointsbet, source_file, source_row, loaded_at
           FROM nba_raw.player_prop_lines WHERE player_name = 'Stephen Curry' AND game_date = '2021-11-08' AND prop = 'player points ou'`,
        );
        await rebuildUpcomingPlayerContext(tx, { dates: ['2021-11-08'], runId: 'in-play-test' });
        const [row] = await tx.query(`SELECT current_points_line FROM nba_analytics.upcoming_player_game_context WHERE player_lookup = 'stephencurry' AND game_date = '2021-11-08'`);
        assert.deepEqual(row, { current_points_line: 29.5 });
        throw rollback;
      }),
      (err) => err === rollback,
    );
    assert.deepEqual(await line(), { current_points_line: 29.5 });
  });

  test('age in completed years on the game date: the day before his 30th birthday he is 29 (rounded age 30.00)', async () => {
    const snell = await one<Record<string, unknown>>(
      `SELECT player_age, player_age_years FROM nba_analytics.upcoming_player_game_context
       WHERE player_lookup = 'tonysnell' AND game_date = '2021-11-09'`,
    );
    assert.deepEqual(snell, { player_age: 30, player_age_years: 29 }); // born 1991-11-10
    const r = await one<{ n: number; off: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE u.player_age_years IS DISTINCT FROM CAST(extract(year FROM age(u.game_date, r.birthdate)) AS INTEGER)) AS off
       FROM nba_analytics.upcoming_player_game_context u JOIN nba_reference.nba_players_registry r USING (universal_player_id)`,
    );
    assert.ok(r.n > 60000);
    assert.equal(r.off, 0);
  });

  test('usage trend inputs are minutes-weighted: Trae Young before 2021-11-03', async () => {
    const ctx = await one<Record<string, unknown>>(
      `SELECT avg_usage_rate_last_7_games, usage_rate_season FROM nba_analytics.upcoming_player_game_context
       WHERE player_lookup = 'traeyoung' AND game_date = '2021-11-03'`,
    );
    const hand = await one<Record<string, unknown>>(
      `WITH g AS (SELECT usage_rate, minutes_played, row_number() OVER (ORDER BY game_date DESC) AS k
                  FROM nba_analytics.player_game_summary
                  WHERE player_lookup = 'traeyoung' AND season_year = 2021 AND game_date < DATE '2021-11-03' AND minutes_played > 0)
       SELECT CAST(round(CAST(sum(usage_rate * minutes_played) FILTER (WHERE k <= 7) / sum(minutes_played) FILTER (WHERE k <= 7) AS DECIMAL(18, 9)), 2) AS DOUBLE)
                AS avg_usage_rate_last_7_games,
              CAST(round(CAST(sum(usage_rate * minutes_played) / sum(minutes_played) AS DECIMAL(18, 9)), 2) AS DOUBLE) AS usage_rate_season,
              count(*) FILTER (WHERE usage_rate IS NULL) AS missing
       FROM g`,
    );
    assert.equal(hand['missing'], 0);
    assert.deepEqual(ctx, { avg_usage_rate_last_7_games: hand['avg_usage_rate_last_7_games'], usage_rate_season: hand['usage_rate_season'] });
  });

  test('a hand-checked context row: Trae Young before ATL @ 2021-11-03', async () => {
    const ctx = await one<Record<string, unknown>>(
      `SELECT days_rest, back_to_back, games_in_last_7_days, round(minutes_in_last_7_days, 1) AS m7
       FROM nba_analytics.upcoming_player_game_context WHERE player_lookup = 'traeyoung' AND game_date = '2021-11-03'`,
    );
    const hand = await one<Record<string, unknown>>(
      `SELECT date_diff('day', max(game_date), DATE '2021-11-03') AS days_rest,
              count(*) FILTER (WHERE game_date >= DATE '2021-11-03' - 7) AS g7,
              round(sum(minutes_played) FILTER (WHERE game_date >= DATE '2021-11-03' - 7), 1) AS m7
       FROM nba_analytics.player_game_summary WHERE player_lookup = 'traeyoung' AND game_date < DATE '2021-11-03'`,
    );
    assert.equal(ctx['days_rest'], hand['days_rest']);
    assert.equal(ctx['back_to_back'], hand['days_rest'] === 1);
    assert.equal(ctx['games_in_last_7_days'], hand['g7']);
    assert.equal(ctx['m7'], hand['m7']);
  });
});
