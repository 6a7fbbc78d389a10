// Fixtures for the differential tests of the ingest's SQL (ingest-sql.bq.test.ts): staged source
// rows (text, as a BigQuery load job leaves them) for two seasons of two teams, and the state a
// warehouse had before the ingest. They walk the NULL paths the engines treat differently:
//   - a box score that is missing pieces: a player with no shots (LEFT JOIN shooting → NULL), a team
//     with no blocked shots (LEFT JOIN blocked → NULL), a team turnover (no player);
//   - a player with no team (an assister never on court and with no event of his own: dropped), and
//     one with fouls only and an assist (a team, a box row, no registry entry → an unresolved name);
//   - ties: two events of one player for each team (player_team), two betfinder spellings of one lookup
//     (alias_name), two pbp name forms seen equally often, home votes equal nowhere (one vote each side);
//   - a season boundary: 2021-22 and 2022-23 in one ingest (a season's first game has no history: no
//     player context, NULL pace and rest), overtime (period 5), a back-to-back;
//   - odds: a game without a line (NULL total and spread), a spread of 0, a team name no alias knows
//     (NULL tricode, a registry failure), and the bundled quirk 'Charlotte Bobcats' style alias;
//   - prop lines: the latest snapshot wins, a tip-off after midnight UTC (the game date a day
//     earlier), an alias ('A. Alpha'), an unknown name (a failure), a team market (no failure),
//     a yes/no market's name cut ('… to get a triple double');
//   - a name two people carry (204 and 305): the later one's lookup ends in his id, a shared-name failure;
//   - stored state: a RESOLVED failure seen again (MERGE matched: back to PENDING), a manual alias
//     (re-pointed), a Phase 4 row and status on a date that is no game date (an orphan), a landed
//     date inside a re-ingested season (forgotten).
import type { Row } from '../../warehouse/warehouse.js';
import type { StagedFile } from '../raw/stage.js';
import { teamNameRows } from '../registry/teams.js';

const BOS = [201, 202, 203, 204, 205];
const NYK = [301, 302, 303, 304, 305];
const on = (...ids: number[]) => ids.join('|');
const LINEUP = on(...BOS, ...NYK);
const LINEUP_SUB = on(201, 202, 203, 204, 206, ...NYK); // 206 in for 205

type Ev = readonly [game: string, date: string, team: string, opp: string, period: number, clock: string, n: number, type: string,
  desc: string, qualifier: string, last: string | null, pid: number | null, home: number, away: number, result: string, fg: boolean,
  assister: number | null, block: number | null, playersOn: string];

/** One game's events (team = the event's team; scores are the game's running scores). */
function game(g: string, date: string, home: string, away: string, ot = false): Ev[] {
  const [h, a] = home === 'BOS' ? [BOS, NYK] : [NYK, BOS];
  const hp = (i: number) => h[i] as number;
  const ap = (i: number) => a[i] as number;
  const lineup = home === 'BOS' ? LINEUP : on(...NYK, ...BOS);
  const events: Ev[] = [
    [g, date, home, away, 1, 'PT12M00.00S', 1, 'jumpball', 'Jump Ball', '[]', null, hp(4), 0, 0, '', false, null, null, lineup],
    [g, date, home, away, 1, 'PT11M40.00S', 2, '2pt', `${home === 'BOS' ? 'A. Alpha' : 'D. Delta'} 2' Layup (2 PTS)`, "['pointsinthepaint', 'fastbreak']", home === 'BOS' ? 'Alpha' : 'Delta', hp(0), 2, 0, 'Made', true, hp(1), null, lineup],
    [g, date, away, home, 1, 'PT11M20.00S', 3, '3pt', `MISS ${away === 'NYK' ? 'D. Delta' : 'A. Alpha'} 25' 3PT`, '[]', away === 'NYK' ? 'Delta' : 'Alpha', ap(0), 2, 0, 'Missed', true, null, hp(2), lineup],
    [g, date, home, away, 1, 'PT11M18.00S', 4, 'rebound', `${home === 'BOS' ? 'C.Gamma' : 'G. Eta'} REBOUND (Off:0 Def:1)`, '[]', home === 'BOS' ? 'Gamma' : 'Eta', hp(2), 2, 0, '', false, null, null, lineup],
    [g, date, home, away, 1, 'PT11M00.00S', 5, '2pt', `${home === 'BOS' ? 'B. Beta' : 'H. Theta'} 15' Jump Shot (2 PTS)`, '[]', home === 'BOS' ? 'Beta' : 'Theta', hp(1), 4, 0, 'Made', true, null, null, lineup],
    [g, date, away, home, 1, 'PT10M50.00S', 6, 'foul', 'I. Iota P.FOUL (1 PF)', '[]', 'Iota', ap(1), 4, 0, '', false, null, null, lineup],
    [g, date, away, home, 1, 'PT10M50.00S', 7, 'foul', 'I. Iota T.FOUL', '[]', 'Iota', ap(1), 4, 0, '', false, null, null, lineup],
    [g, date, away, home, 1, 'PT10M50.00S', 8, 'freethrow', 'J. Kappa Free Throw 1 of 1 (1 PTS)', '[]', 'Kappa', ap(2), 4, 1, 'Made', false, null, null, lineup],
    [g, date, away, home, 1, 'PT10M30.00S', 9, 'turnover', 'Knicks Turnover: Shot Clock (T#1)', '[]', null, 0, 4, 1, '', false, null, null, lineup],
    [g, date, home, away, 1, 'PT10M10.00S', 10, 'steal', `${home === 'BOS' ? 'A. Alpha' : 'D. Delta'} STEAL (1 STL)`, '[]', home === 'BOS' ? 'Alpha' : 'Delta', hp(0), 4, 1, '', false, null, null, lineup],
    [g, date, away, home, 1, 'PT10M10.00S', 11, 'turnover', 'L. Lambda Bad Pass Turnover (P1.T1)', '[]', 'Lambda', ap(3), 4, 1, '', false, null, null, lineup],
    // 308: only a foul and an assist (never on court): a team, a box row, no registry entry.
    [g, date, away, home, 1, 'PT09M00.00S', 12, 'foul', 'M. Mu P.FOUL (1 PF)', '[]', 'Mu', 308, 4, 1, '', false, null, null, lineup],
    [g, date, away, home, 1, 'PT08M40.00S', 13, '2pt', 'J. Kappa 3\' Layup (2 PTS) (M. Mu 1 AST)', "['pointsinthepaint']", 'Kappa', ap(2), 4, 3, 'Made', true, 308, null, lineup],
    // 307: an assister and nothing else: no team, so no box row.
    [g, date, home, away, 1, 'PT08M20.00S', 14, '2pt', 'B. Beta 12\' Jump Shot (2 PTS) (N. Nu 1 AST)', '[]', 'Beta', hp(1), 6, 3, 'Made', true, 307, null, lineup],
    [g, date, home, away, 1, 'PT06M00.00S', 15, 'substitution', 'SUB in: F. Zeta', '[]', 'Zeta', 206, 6, 3, '', false, null, null, home === 'BOS' ? LINEUP_SUB : lineup],
    [g, date, home, away, 1, 'PT00M00.00S', 16, 'period', 'End of 1st Period', '[]', null, null, 6, 3, '', false, null, null, home === 'BOS' ? LINEUP_SUB : lineup],
  ];
  if (ot) {
    events.push([g, date, away, home, 5, 'PT04M30.00S', 17, '3pt', 'J. Kappa 26\' 3PT (5 PTS)', '[]', 'Kappa', ap(2), 6, 6, 'Made', true, null, null, lineup]);
    events.push([g, date, home, away, 5, 'PT01M00.00S', 18, '2pt', 'A. Alpha 1\' Dunk (4 PTS)', "['pointsinthepaint']", 'Alpha', hp(0), 8, 6, 'Made', true, null, null, lineup]);
  }
  return events;
}

const EVENTS_2021 = [
  ...game('22100001', '20211019', 'BOS', 'NYK'),
  ...game('22100002', '20211021', 'NYK', 'BOS'),
  ...game('22100003', '20211022', 'BOS', 'NYK', true),
];
const EVENTS_2022 = [...game('22200001', '20221018', 'BOS', 'NYK'), ...game('22200002', '20221020', 'NYK', 'BOS')];

const PBP_COLUMNS = [
  'game_id', 'date', 'season_year', 'team', 'opp_team', 'teamId', 'period', 'clock', 'actionNumber', 'actionType', 'description',
  'qualifier', 'playerName', 'person_id', 'scoreHome', 'scoreAway', 'shotResult', 'isFieldGoal', 'assisted', 'assister_id',
  'foulDrawnPersonId', 'stealPersonId', 'blockPersonId', 'players_on',
] as const;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function pbpRows(events: readonly Ev[], sourceSeason: string, duplicate: number): Row[] {
  const rows = events.map((e) => ({
    game_id: e[0], date: e[1], season_year: sourceSeason, team: e[2], opp_team: e[3], teamId: e[2] === 'BOS' ? '1610612738' : '1610612752',
    period: text(e[4]), clock: e[5], actionNumber: text(e[6]), actionType: e[7], description: e[8], qualifier: e[9], playerName: e[10],
    person_id: text(e[11]), scoreHome: text(e[12]), scoreAway: text(e[13]), shotResult: e[14], isFieldGoal: e[15] ? 'True' : 'False',
    assisted: e[16] ? 'True' : 'False', assister_id: text(e[16]), foulDrawnPersonId: null, stealPersonId: null, blockPersonId: text(e[17]),
    players_on: e[18],
  }));
  // The source repeats events: the first copy in file order is kept.
  const withCopy = [...rows.slice(0, duplicate), { ...rows[duplicate - 1], description: 'a later copy' } as Row, ...rows.slice(duplicate)];
  return withCopy.map((r, i) => ({ ...r, stage_row: i }));
}

/** Staging tables as the BigQuery path makes them: text columns and stage_row. */
export const STAGING_DDL = `
CREATE SCHEMA IF NOT EXISTS nba_staging;
CREATE TABLE IF NOT EXISTS nba_staging.stg_pbp_2021 (${PBP_COLUMNS.map((c) => `${c} VARCHAR`).join(', ')}, stage_row BIGINT);
CREATE TABLE IF NOT EXISTS nba_staging.stg_pbp_2022 (${PBP_COLUMNS.map((c) => `${c} VARCHAR`).join(', ')}, stage_row BIGINT);
CREATE TABLE IF NOT EXISTS nba_staging.stg_odds_2021 (Date VARCHAR, Home VARCHAR, Away VARCHAR, OU VARCHAR, Spread VARCHAR, ML_Home VARCHAR, ML_Away VARCHAR, Points VARCHAR, Win_Margin VARCHAR, stage_row BIGINT);
CREATE TABLE IF NOT EXISTS nba_staging.stg_props_2021 (source_commit VARCHAR, snapshot_utc VARCHAR, prop VARCHAR, tidygamedatetime VARCHAR, tidyplayer VARCHAR, tidyhometeam VARCHAR, tidyawayteam VARCHAR, tidyou VARCHAR, tidyline VARCHAR, draftkings VARCHAR, fanduel VARCHAR, pointsbet VARCHAR, tidyteam VARCHAR, tidyopp VARCHAR, stage_row BIGINT);
CREATE TABLE IF NOT EXISTS nba_staging.stg_name_sources (source VARCHAR, source_player_id VARCHAR, name VARCHAR, season_label VARCHAR, extra VARCHAR, stage_row BIGINT);
CREATE TABLE IF NOT EXISTS nba_staging.stg_team_names (abbr VARCHAR, team_id VARCHAR, name VARCHAR, alias VARCHAR, stage_row BIGINT);
`;

const cpi = (id: number, name: string, fi: string, birthdate: string | null) => ({
  source: 'commonplayerinfo', source_player_id: String(id), name, season_label: '2021-22',
  extra: JSON.stringify({ display_fi_last: fi, birthdate, team_abbr: id < 300 ? 'BOS' : 'NYK', player_slug: null, source_path: 'x' }),
});
const shot = (id: number, name: string, season: string) => ({ source: 'shotchart', source_player_id: String(id), name, season_label: season, extra: '{}' });
const bf = (name: string, aliases: string[]) => ({ source: 'betfinder', source_player_id: null, name, season_label: '2021-22', extra: JSON.stringify({ aliases }) });
const bfTeam = (alias: string, abbr: string) => ({ source: 'betfinder_team', source_player_id: null, name: alias, season_label: null, extra: JSON.stringify({ team_abbr: abbr }) });

const NAME_ROWS = [
  cpi(201, 'Aaa Alpha', 'A. Alpha', '1986-10-25'), // turns 35 on the day after the opener
  cpi(202, 'Bo Beta', 'B. Beta', '1996-03-01'),
  cpi(203, 'Cé Gamma', 'C. Gamma', null),
  cpi(301, 'Dan Delta Jr.', 'D. Delta', '1992-10-19'), // a birthday on a game day
  cpi(302, 'Ivo Iota', 'I. Iota', '1999-01-01'),
  shot(204, 'Eve Epsilon', '2020-21'),
  shot(204, 'Eve Epsilón', '2022-23'), // the latest season's spelling wins
  shot(303, 'Jon Kappa', '2022-23'),
  shot(305, 'Eve Epsilon', '2021-22'), // 204's name too, same first night: 204 (lower id) keeps 'eveepsilon', 305 gets 'eveepsilon305'
  bf('Aaa Alpha', ['A. Alpha', 'aaa alpha']),
  bf('Bo Beta', ['Bobby Beta', 'BOBBY BETA']), // one lookup, two spellings of one source: a tie
  bf('Fred Zeta', ['F. Zeta']), // 206's pbp form matches only this entry
  bf('Dan Delta', ['dan delta']), // the suffix alias's spelling; no spelling of this entry is a known id's, so the suffix alias stands
  bf('Kim Lambda', ['K. Lambda']),
  bfTeam('BOS', 'BOS'),
  bfTeam('Boston', 'BOS'),
  bfTeam('NY Knicks', 'NYK'),
].map((r, i) => ({ ...r, stage_row: i }));

const ODDS_ROWS = [
  ['2021-22-1019', 'Boston Celtics', 'New York Knicks', '215.5', '3.5', '-150', '130', '9', '3'],
  ['2021-22-1022', 'Boston Celtics', 'Knicks of New York', '220', '0', '-110', '-110', '14', '2'], // an unknown team name, a spread of 0
  ['2021-22-1101', 'NY Knicks', 'Boston', '230.5', '6.5', '-260', '210', '200', '-4'], // aliases; no game that day
].map(([Date, Home, Away, OU, Spread, ML_Home, ML_Away, Points, Win_Margin], i) => ({ Date, Home, Away, OU, Spread, ML_Home, ML_Away, Points, Win_Margin, stage_row: i }));

const prop = (snapshot: string, market: string, tip: string, player: string, ou: string | null, line: string | null, dk: string | null) => ({
  source_commit: 'c1', snapshot_utc: snapshot, prop: market, tidygamedatetime: tip, tidyplayer: player, tidyhometeam: 'NYK', tidyawayteam: 'BOS',
  tidyou: ou, tidyline: line, draftkings: dk, fanduel: null, pointsbet: '-105', tidyteam: 'BOS', tidyopp: 'NYK',
});
const PROP_ROWS = [
  prop('2021-10-21T15:00:00Z', 'player points ou', '2021-10-21T23:30:00Z', 'Aaa Alpha', 'over', '21.5', '-110'),
  prop('2021-10-21T18:00:00Z', 'player points ou', '2021-10-21T23:30:00Z', 'Aaa Alpha', 'over', '22.5', '-115'), // the latest
  prop('2021-10-21T18:00:00Z', 'player points ou', '2021-10-21T23:30:00Z', 'Aaa Alpha', 'under', '22.5', '-105'),
  prop('2021-10-22T18:00:00Z', 'player points ou', '2021-10-23T01:00:00Z', 'A. Alpha', 'over', '19.5', null), // game date 10-22
  prop('2021-10-21T18:00:00Z', 'player points ou', '2021-10-21T23:30:00Z', 'Zz Unknown', 'over', '9.5', '-110'),
  prop('2021-10-21T18:00:00Z', 'first team to score', '2021-10-21T23:30:00Z', 'New York', 'N/A', null, '+120'),
  prop('2021-10-21T18:00:00Z', 'player triple double', '2021-10-21T23:30:00Z', 'bobbybetatogetatripledouble', 'N/A', null, '+900'),
].map((r, i) => ({ ...r, stage_row: i }));

/** Staged files as ingest's functions take them (sources: the staging tables above). */
export function stagedFixtures(): {
  names: StagedFile; teams: StagedFile; pbp2021: StagedFile; pbp2022: StagedFile; odds2021: StagedFile; props2021: StagedFile;
} {
  const staged = (name: string, file: string, rows: number, columns: readonly string[]): StagedFile => ({ file, source: `nba_staging.${name}`, params: {}, table: `nba_staging.${name}`, rows, columns });
  return {
    names: staged('stg_name_sources', 'name files', NAME_ROWS.length, ['source', 'source_player_id', 'name', 'season_label', 'extra']),
    teams: staged('stg_team_names', 'TEAMS', teamNameRows().length, ['abbr', 'team_id', 'name', 'alias']),
    pbp2021: staged('stg_pbp_2021', '/data/pbp/pbp_2021-22.csv', STAGED_ROWS['nba_staging.stg_pbp_2021']?.length ?? 0, PBP_COLUMNS),
    pbp2022: staged('stg_pbp_2022', '/data/pbp/pbp_2022-23.csv', STAGED_ROWS['nba_staging.stg_pbp_2022']?.length ?? 0, PBP_COLUMNS),
    odds2021: staged('stg_odds_2021', '/data/odds/odds_2021-22.csv', ODDS_ROWS.length, Object.keys(ODDS_ROWS[0] ?? {})),
    props2021: staged('stg_props_2021', '/data/props/props_2021-22.csv', PROP_ROWS.length, Object.keys(PROP_ROWS[0] ?? {})),
  };
}

export const STAGED_ROWS: Readonly<Record<string, readonly Row[]>> = {
  'nba_staging.stg_pbp_2021': pbpRows(EVENTS_2021, '2022', 2),
  'nba_staging.stg_pbp_2022': pbpRows(EVENTS_2022, '2023', 5),
  'nba_staging.stg_odds_2021': ODDS_ROWS,
  'nba_staging.stg_props_2021': PROP_ROWS,
  'nba_staging.stg_name_sources': NAME_ROWS,
  'nba_staging.stg_team_names': teamNameRows().map((r, i) => ({ ...r, stage_row: i })),
};

/** What the warehouse held before the ingest (columns not named are completed by the test). */
export const STORED_ROWS: Readonly<Record<string, readonly Row[]>> = {
  'nba_processing.registry_failures': [
    { player_lookup: 'zzunknown', raw_name: 'Zz Unknown', game_date: '2021-10-21', processor_name: 'UpcomingPlayerGameContextProcessor', team_abbr: null, season: '2021-22', game_id: null, created_at: '2021-10-22T00:00:00.000Z', resolved_at: '2021-10-23T00:00:00.000Z', reprocessed_at: null, occurrence_count: 2, run_id: 'earlier' },
  ],
  'nba_reference.player_aliases': [
    { alias_lookup: 'alphaaaa', alias_name: 'Alpha Aaa', canonical_lookup: 'stale', universal_player_id: 201, alias_source: 'manual', is_active: true, created_at: '2021-10-01T00:00:00.000Z' },
  ],
  'nba_raw.landing_ingests': [
    { game_date: '2021-10-21', fingerprint: 'f', lines_fingerprint: 'l', files: 3, run_id: 'night', ingested_at: '2021-10-22T10:00:00.000Z', summary: '{}' },
  ],
};
