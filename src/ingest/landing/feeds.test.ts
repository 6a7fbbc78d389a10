// The three feeds' parsers on small hand-written documents in the APIs' shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { gameLineRows, parseEventOdds, parseOddsEvents, propLineRows } from './odds-feed.js';
import { parsePlayByPlay } from './pbp-feed.js';
import { parseSchedule } from './schedule-feed.js';

const team = (tricode: string, score: number) => ({ teamId: 1, teamName: 'x', teamCity: 'y', teamTricode: tricode, score });
const game = (id: string, status: number, text: string, date = '2021-11-01') => ({
  gameId: id,
  gameStatus: status,
  gameStatusText: text,
  gameDateEst: `${date}T00:00:00Z`,
  gameDateTimeUTC: `${date}T23:30:00Z`,
  homeTeam: team('BOS', status === 3 ? 104 : 0),
  awayTeam: team('CHI', status === 3 ? 128 : 0),
});
const schedule = (games: unknown[]) => JSON.stringify({ meta: { version: 1 }, leagueSchedule: { seasonYear: '2021-22', gameDates: [{ gameDate: '11/01/2021 00:00:00', games }] } });

describe('league schedule feed', () => {
  it('reads states from gameStatus and the status text, and keeps only regular-season games', () => {
    const games = parseSchedule('s.json', {
      text: schedule([game('0022100098', 3, 'Final'), game('0022100099', 2, 'Q3 5:12'), game('0022100100', 1, '7:30 pm ET'), game('0022100101', 1, 'PPD'), game('0012100001', 3, 'Final')]),
    });
    assert.deepEqual(
      games.map((g) => [g.gameId, g.state, g.homeScore]),
      [['0022100098', 'final', 104], ['0022100099', 'in_progress', 0], ['0022100100', 'scheduled', 0], ['0022100101', 'postponed', 0]],
    );
    assert.equal(games[0]?.date, '2021-11-01');
  });

  it('names the file and the game for an unknown team, only on the dates asked for', () => {
    const bad = { ...game('0022100098', 3, 'Final'), awayTeam: team('XYZ', 99) };
    assert.throws(() => parseSchedule('s.json', { text: schedule([bad]) }), /s\.json: leagueSchedule\.gameDates\[0\]\.games\[0\] \(game 0022100098\): awayTeam\.teamTricode has unknown team code 'XYZ'/);
    assert.deepEqual(parseSchedule('s.json', { text: schedule([bad]), dates: new Set(['2021-11-02']) }), []);
  });

  it('calls a truncated document truncated', () => {
    assert.throws(() => parseSchedule('s.json', { text: schedule([game('0022100098', 3, 'Final')]).slice(0, 80) }), (e: unknown) => e instanceof InputError && /s\.json: is truncated JSON/.test(e.message));
  });
});

describe('playbyplayv3 feed', () => {
  const action = (n: number, extra: Record<string, unknown> = {}) => ({
    game_id: '22100098', date: '20211101', season_year: '2022', team: 'BOS', opp_team: 'CHI', teamId: 1610612738, period: 1,
    clock: 'PT11M40.00S', actionNumber: n, actionType: '2pt', description: 'J. Tatum 2pt', qualifier: ['pointsinthepaint', '2ndchance'],
    playerName: 'Tatum', person_id: 1628369, scoreHome: '2', scoreAway: '0', shotResult: 'Made', isFieldGoal: true, assisted: false,
    assister_id: null, foulDrawnPersonId: null, stealPersonId: null, blockPersonId: null, players_on: [1628369, 1627759],
    ...extra,
  });
  const doc = (actions: unknown[], id = '0022100098') => JSON.stringify({ meta: { version: 1 }, game: { gameId: id, actions } });

  it('turns each action into the bundled columns as text (numbers, booleans, lists included)', () => {
    const p = parsePlayByPlay('g.json', { gameId: '0022100098', date: '2021-11-01' }, doc([action(4)]));
    assert.deepEqual(p.rows[0], {
      game_id: '22100098', date: '20211101', season_year: '2022', team: 'BOS', opp_team: 'CHI', teamId: '1610612738', period: '1',
      clock: 'PT11M40.00S', actionNumber: '4', actionType: '2pt', description: 'J. Tatum 2pt', qualifier: "['pointsinthepaint', '2ndchance']",
      playerName: 'Tatum', person_id: '1628369', scoreHome: '2', scoreAway: '0', shotResult: 'Made', isFieldGoal: 'true', assisted: 'false',
      assister_id: null, foulDrawnPersonId: null, stealPersonId: null, blockPersonId: null, players_on: '1628369|1627759',
    });
  });

  it('names the file and the action for a missing field, another game or another date', () => {
    const expected = { gameId: '0022100098', date: '2021-11-01' };
    const { clock: _c, ...noClock } = action(7);
    assert.throws(() => parsePlayByPlay('g.json', expected, doc([action(4), noClock])), /g\.json, row 2: action 2 \(actionNumber 7\) has no 'clock' field/);
    assert.throws(() => parsePlayByPlay('g.json', expected, doc([action(4, { date: '20211102' })])), /action 1 \(actionNumber 4\): date '20211102' is not the game's date 20211101/);
    assert.throws(() => parsePlayByPlay('g.json', expected, doc([action(4)], '0022100099')), /game\.gameId is 0022100099, but the file was landed for game 0022100098/);
    assert.throws(() => parsePlayByPlay('g.json', expected, '{"game": {"gameId": "0022100098", "actio'), /g\.json: is truncated JSON/);
  });
});

describe('The Odds API v4 feed', () => {
  const book = (key: string, markets: unknown[]) => ({ key, title: key, last_update: '2021-11-02T17:02:35Z', markets });
  const event = (bookmakers: unknown[]) => ({ id: 'e1', sport_key: 'basketball_nba', commence_time: '2021-11-03T00:00:00Z', home_team: 'Detroit Pistons', away_team: 'Milwaukee Bucks', bookmakers });

  it('game lines: the preferred book per market, an unsigned spread, American moneylines', () => {
    const events = parseOddsEvents(
      'o.json',
      JSON.stringify([
        event([
          book('bovada', [{ key: 'totals', outcomes: [{ name: 'Over', price: -110, point: 215.5 }, { name: 'Under', price: -110, point: 215.5 }] }]),
          book('fanduel', [
            { key: 'h2h', outcomes: [{ name: 'Detroit Pistons', price: 160 }, { name: 'Milwaukee Bucks', price: -180 }] },
            { key: 'spreads', outcomes: [{ name: 'Detroit Pistons', price: -110, point: 4.5 }, { name: 'Milwaukee Bucks', price: -110, point: -4.5 }] },
            { key: 'totals', outcomes: [{ name: 'Over', price: -110, point: 216 }, { name: 'Under', price: -110, point: 216 }] },
          ]),
        ]),
      ]),
    );
    assert.deepEqual(gameLineRows('o.json', events, ['draftkings', 'fanduel']), [
      { home_team_name: 'Detroit Pistons', away_team_name: 'Milwaukee Bucks', game_total: 216, spread: 4.5, ml_home: 160, ml_away: -180, source_row: 1 },
    ]);
  });

  it('player props: one row per book and side, preferred books first, player as the book spells him', () => {
    const e = parseEventOdds(
      'p.json',
      JSON.stringify(
        event([
          book('pointsbetus', [{ key: 'player_points', outcomes: [{ name: 'Over', description: 'Giannis Antetokounmpo', price: -115, point: 31.5 }] }]),
          book('draftkings', [{ key: 'player_points', last_update: '2021-11-02T17:00:00Z', outcomes: [{ name: 'Over', description: 'Giannis Antetokounmpo', price: -110, point: 31.5 }, { name: 'Under', description: 'Giannis Antetokounmpo', price: -110, point: 31.5 }] }]),
        ]),
      ),
    );
    const rows = propLineRows('p.json', e, ['draftkings', 'fanduel', 'pointsbetus'], '2021-11-02T18:00:00Z');
    assert.deepEqual(
      rows.map((r) => [r.source_row, r.side, r.line, r.draftkings, r.pointsbet, r.snapshot_utc, r.prop]),
      [
        [1, 'over', 31.5, -110, null, '2021-11-02T17:00:00.000Z', 'player points ou'],
        [2, 'under', 31.5, -110, null, '2021-11-02T17:00:00.000Z', 'player points ou'],
        [3, 'over', 31.5, null, -115, '2021-11-02T17:02:35.000Z', 'player points ou'],
      ],
    );
    assert.throws(() => parseEventOdds('p.json', JSON.stringify({ ...event([]), commence_time: 'tonight' })), /p\.json: not a The Odds API event odds response: commence_time: commence_time must be an ISO timestamp/);
  });
});
