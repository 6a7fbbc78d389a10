import { tempWarehouse } from '../../testing/memory-warehouse.js';
import { generateSeason } from './season-fixture.js';
const t = await tempWarehouse();
await generateSeason(t.wh, { playersPerTeam: 30 });
const p = { from: '2021-10-01', to: '2022-06-30' };
const targets = `WITH targets AS (
  SELECT u.player_lookup, u.universal_player_id, u.team_abbr, u.game_id, u.game_date AS analysis_date, u.season_year
  FROM nba_analytics.upcoming_player_game_context u
  JOIN nba_reference.game_dates d ON d.game_date = u.game_date AND NOT d.is_bootstrap
  WHERE u.game_date BETWEEN $from::DATE AND $to::DATE)`;
const variants: Record<string, string> = {
  window: `${targets}, recent AS (
  SELECT t.player_lookup, t.analysis_date, g.game_date, g.paint_attempts,
         row_number() OVER (PARTITION BY t.player_lookup, t.analysis_date ORDER BY g.game_date DESC, g.game_id DESC) AS n
  FROM targets t JOIN nba_analytics.player_game_summary g
    ON g.player_lookup = t.player_lookup AND g.season_year = t.season_year AND g.game_date < t.analysis_date AND g.minutes_played > 0
  QUALIFY n <= 20) SELECT count(*), sum(n), sum(paint_attempts) FROM recent`,
  asof: `${targets}, seqs AS (
  SELECT player_lookup, season_year, game_date, paint_attempts, row_number() OVER (PARTITION BY player_lookup, season_year ORDER BY game_date, game_id) AS seq
  FROM nba_analytics.player_game_summary WHERE minutes_played > 0),
  k AS (SELECT t.player_lookup, t.season_year, t.analysis_date, s.seq AS k FROM targets t ASOF LEFT JOIN seqs s
        ON s.player_lookup = t.player_lookup AND s.season_year = t.season_year AND t.analysis_date > s.game_date),
  recent AS (SELECT k.player_lookup, k.analysis_date, s.paint_attempts, k.k - s.seq + 1 AS n FROM k, range(0, 20) o(o)
     JOIN seqs s ON s.player_lookup = k.player_lookup AND s.season_year = k.season_year AND s.seq = k.k - o.o)
  SELECT count(*), sum(n), sum(paint_attempts) FROM recent`,
  range: `${targets}, seqs AS (
  SELECT player_lookup, season_year, game_date, paint_attempts, row_number() OVER (PARTITION BY player_lookup, season_year ORDER BY game_date, game_id) AS seq
  FROM nba_analytics.player_game_summary WHERE minutes_played > 0),
  k AS (SELECT t.player_lookup, t.season_year, t.analysis_date, count(s.seq) AS k FROM targets t LEFT JOIN seqs s
        ON s.player_lookup = t.player_lookup AND s.season_year = t.season_year AND s.game_date < t.analysis_date GROUP BY ALL),
  recent AS (SELECT k.player_lookup, k.analysis_date, s.paint_attempts, k.k - s.seq + 1 AS n FROM k, range(0, 20) o(o)
     JOIN seqs s ON s.player_lookup = k.player_lookup AND s.season_year = k.season_year AND s.seq = k.k - o.o)
  SELECT count(*), sum(n), sum(paint_attempts) FROM recent`,
};
for (const [name, sql] of Object.entries(variants)) {
  for (let i = 0; i < 2; i++) {
    const s = Date.now();
    const r = await t.wh.query(sql, p);
    console.log(name, Date.now() - s, JSON.stringify(r));
  }
}
await t.cleanup();
