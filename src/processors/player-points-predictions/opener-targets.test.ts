// The opener rule on the real 2022-23 start: a team's first game predicts the players of its last 10
// games of the season before — but not one who has already played this season for another team (an
// off-season move the warehouse knows of by then): P. J. Tucker played for PHI on 2022-10-18, so he
// is no Miami player for Miami's opener on 2022-10-19.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runBackfill } from '../../engine/run.js';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { PROCESSORS } from '../index.js';

const FROM = '2022-10-18';
const TO = '2022-10-20';
let t: RealSeasonCopy;

before(async () => {
  t = await realSeasonCopy();
  const run = await runBackfill(t.wh, PROCESSORS, { from: FROM, to: TO });
  assert.equal(run.exitCode, 0, JSON.stringify(run.failedPartitions.slice(0, 3)));
});
after(async () => t?.cleanup());

test('no opener prediction for a player who already played this season for another team', async () => {
  const moved = await t.wh.query<{ player_lookup: string; game_date: string; team_abbr: string; played_for: string }>(
    `SELECT p.player_lookup, p.game_date, p.team_abbr, g.team_abbr AS played_for
     FROM nba_predictions.player_points_predictions p
     JOIN nba_analytics.player_game_summary g ON g.player_lookup = p.player_lookup AND g.season_year = p.season_year
      AND g.game_date < p.game_date AND g.minutes_played > 0 AND g.team_abbr <> p.team_abbr
     WHERE p.game_date BETWEEN DATE '${FROM}' AND DATE '${TO}'
     ORDER BY p.game_date, p.player_lookup`,
  );
  assert.deepEqual(moved, []);
  const tucker = await t.wh.query(`SELECT game_date, team_abbr, target_source FROM nba_predictions.player_points_predictions WHERE player_lookup = 'pjtucker' ORDER BY game_date`);
  // PHI plays on 10-18 (his first game, nobody's prediction: no PHI game of his yet) and 10-20
  assert.deepEqual(tucker, [{ game_date: '2022-10-20', team_abbr: 'PHI', target_source: 'context' }]);
  // the rule itself still serves the openers of 10-19: the players whose latest team is the opener's
  const [openers] = await t.wh.query<{ rows: number; teams: number }>(
    `SELECT count(*) AS rows, count(DISTINCT team_abbr) AS teams FROM nba_predictions.player_points_predictions
     WHERE game_date = DATE '2022-10-19' AND target_source = 'opener'`,
  );
  assert.ok(openers && openers.rows > 300 && openers.teams === 24, JSON.stringify(openers));
});
