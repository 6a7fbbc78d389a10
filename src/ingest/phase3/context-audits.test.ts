// The as-of audit of the pre-game contexts on the real 2021-22 season: a `<=` planted in the 7/14-day
// windows (or in the team pace window) leaks the game of D into D's context, and the audit catches it,
// which the old check (the player's last game before D) could not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { contextParams, rebuildContexts } from './build-phase3.js';
import { auditContexts, ContextAuditError } from './context-audits.js';

const DATES = ['2021-11-20', '2021-11-21', '2021-11-22'];
const RANGE = { from: '2021-11-20', to: '2021-11-22' };

let fx: RealSeasonCopy;
before(async () => {
  fx = await realSeasonCopy();
});
after(async () => fx?.cleanup());

/** The context SQL file with one comparison replaced, run for DATES in place of the real build. */
async function runPlanted(file: string, strict: string, planted: string): Promise<void> {
  const sql = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
  assert.equal(sql.split(strict).length, 2, `${file} has exactly one '${strict}'`);
  const table = file === 'upcoming-player-game-context.sql' ? 'upcoming_player_game_context' : 'upcoming_team_game_context';
  await fx.wh.exec(`DELETE FROM nba_analytics.${table} WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, RANGE);
  await fx.wh.exec(sql.replace(strict, planted).replace(/;\s*$/, ''), contextParams(DATES, 'planted'));
}

const restore = () => fx.wh.transaction((tx) => rebuildContexts(tx, { dates: DATES, runId: 'restore', tables: 'both' }));

describe('pre-game context as-of audit', () => {
  test('the real contexts of both seasons pass it', async () => {
    await auditContexts(fx.wh, { from: '2021-10-01', to: '2023-06-30' });
  });

  test("a '<=' planted in the player context's 7/14-day windows is caught", async () => {
    const [before7] = await fx.wh.query<{ g7: number }>(
      `SELECT sum(games_in_last_7_days) AS g7 FROM nba_analytics.upcoming_player_game_context WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, RANGE);
    await runPlanted('upcoming-player-game-context.sql',
      'AND h.game_date < p.game_date AND h.game_date >= p.game_date - 14', 'AND h.game_date <= p.game_date AND h.game_date >= p.game_date - 14');
    const [leaked] = await fx.wh.query<{ g7: number; last_before: number }>(
      `SELECT sum(u.games_in_last_7_days) AS g7,
              count(*) FILTER (WHERE l.last_game < u.game_date) AS last_before
       FROM nba_analytics.upcoming_player_game_context u
       JOIN (SELECT player_lookup, season_year, g.game_date AS d, max(h.game_date) AS last_game
             FROM (SELECT DISTINCT game_date FROM nba_analytics.upcoming_player_game_context
                   WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)) g
             JOIN nba_analytics.player_game_summary h ON h.game_date < g.game_date GROUP BY ALL) l
         ON l.player_lookup = u.player_lookup AND l.season_year = u.season_year AND l.d = u.game_date
       WHERE u.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, RANGE);
    // the leak is real: D's own games are counted, while every player's last game before D is before D
    assert.ok(Number(leaked?.g7) > Number(before7?.g7), `${leaked?.g7} vs ${before7?.g7}`);
    assert.ok(Number(leaked?.last_before) > 100);
    await assert.rejects(auditContexts(fx.wh, RANGE), (e: unknown) =>
      e instanceof ContextAuditError && /upcoming_player_game_context_as_of/.test(e.message) && /"game_date":"2021-11-20","source_last_game_date":"2021-11-20"/.test(e.message));
    await restore();
    await auditContexts(fx.wh, RANGE);
  });

  test("a '<=' planted in the team context's pace window is caught", async () => {
    await runPlanted('upcoming-team-game-context.sql', 'o.game_date < t.game_date', 'o.game_date <= t.game_date');
    await assert.rejects(auditContexts(fx.wh, RANGE), /upcoming_team_game_context_as_of.*"source_last_game_date":"2021-11-20"/);
    await restore();
    await auditContexts(fx.wh, RANGE);
  });

  test('the build runs the audit: a leaking row among the rebuilt dates fails it and nothing is written', async () => {
    // 11-21 is inside the rebuilt range 11-20..11-22 but not rebuilt itself
    await fx.wh.exec(`UPDATE nba_analytics.upcoming_player_game_context SET source_last_game_date = game_date
                      WHERE game_date = DATE '2021-11-21' AND player_lookup = 'aarongordon'`);
    await assert.rejects(
      fx.wh.transaction((tx) => rebuildContexts(tx, { dates: ['2021-11-20', '2021-11-22'], runId: 'audited', tables: 'both' })),
      /upcoming_player_game_context_as_of.*"player_lookup":"aarongordon".*"game_date":"2021-11-21"/,
    );
    const [r] = await fx.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_analytics.upcoming_player_game_context WHERE run_id = 'audited'`);
    assert.equal(Number(r?.n), 0);
    await restore();
  });
});
