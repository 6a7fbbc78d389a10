// Tiny hand-made play-by-play for the registry tests: real NBA person ids (so the real name files
// name them) plus two invented ids that share a pbp form, to make an ambiguous lookup.
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildRegistry } from './build-registry.js';
import { loadNameSources } from './name-sources.js';
import { seedTeams } from './teams.js';

export const DATA_DIR = new URL('../../../data', import.meta.url).pathname;

interface Ev {
  readonly game: string;
  readonly date: string;
  readonly season: number;
  readonly type: string;
  readonly desc: string;
  readonly last: string | null;
  readonly pid: number;
  readonly on: readonly number[];
}

const ON_2021 = [1629027, 203999, 1628384, 1630214, 203920, 1627767, 201954, 9000001, 9000002];
const ON_2022 = [1629027, 1631095];

export const EVENTS: readonly Ev[] = [
  { game: '0022100001', date: '2021-10-19', season: 2021, type: '3pt', desc: "MISS T. Young 25' pullup 3PT", last: 'Young', pid: 1629027, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'rebound', desc: 'N. Jokic REBOUND (Off:0 Def:1)', last: 'Jokic', pid: 203999, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: '2pt', desc: "O. Anunoby 2' driving Layup (2 PTS)", last: 'Anunoby', pid: 1628384, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'block', desc: 'X. Tillman BLOCK (1 BLK)', last: 'Tillman', pid: 1630214, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'rebound', desc: 'K. Birch REBOUND (Off:1 Def:0)', last: 'Birch', pid: 203920, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'steal', desc: 'C.Diallo STEAL (1 STL)', last: 'Diallo', pid: 1627767, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'turnover', desc: 'D. Collison Bad Pass Turnover (P1.T1)', last: 'Collison', pid: 201954, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'freethrow', desc: 'Z. Zed Free Throw 1 of 2 (1 PTS)', last: 'Zed', pid: 9000001, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'freethrow', desc: 'MISS Z. Zed Free Throw 1 of 2', last: 'Zed', pid: 9000002, on: ON_2021 },
  // A coach's technical (never on court, only fouls) and a team rebound (person 0): not players.
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'foul', desc: 'TEAM foul technical', last: null, pid: 2614, on: ON_2021 },
  { game: '0022100001', date: '2021-10-19', season: 2021, type: 'rebound', desc: 'TEAM defensive REBOUND', last: null, pid: 0, on: ON_2021 },
  { game: '0022200001', date: '2022-10-18', season: 2022, type: '3pt', desc: "T. Young 27' 3PT step back (3 PTS)", last: 'Young', pid: 1629027, on: ON_2022 },
  { game: '0022200001', date: '2022-10-18', season: 2022, type: '2pt', desc: "J. Smith Jr. 3' Layup (2 PTS)", last: 'Smith Jr.', pid: 1631095, on: ON_2022 },
];

export async function insertPbp(tx: Warehouse, events: readonly Ev[] = EVENTS): Promise<void> {
  for (const [i, e] of events.entries()) {
    await tx.exec(
      `INSERT INTO nba_raw.play_by_play (game_id, game_date, season_year, period, clock_seconds, action_number, action_type,
                                         description, player_name, person_id, players_on, source_file, loaded_at)
       VALUES ($game, CAST($date AS DATE), $season, 1, 600, $n, $type, $desc, $last, $pid, $on::BIGINT[], 'fixture', now()::TIMESTAMP)`,
      { game: e.game, date: e.date, season: e.season, n: i + 1, type: e.type, desc: e.desc, last: e.last, pid: e.pid, on: e.on },
    );
  }
}

export async function insertPropLines(tx: Warehouse, lines: readonly { name: string; date: string; team?: string | null; prop?: string }[]): Promise<void> {
  for (const [i, l] of lines.entries()) {
    await tx.exec(
      `INSERT INTO nba_raw.player_prop_lines (snapshot_utc, source_commit, prop, game_date, player_name, team_abbr, line, source_file, source_row, loaded_at)
       VALUES (now()::TIMESTAMP, 'fixture', $prop, CAST($date AS DATE), $name, $team, 20.5, 'fixture', $row, now()::TIMESTAMP)`,
      { prop: l.prop ?? 'player points ou', date: l.date, name: l.name, team: l.team ?? null, row: i + 1 },
    );
  }
}

/** The hand-made play-by-play, the real name files, the teams and the registry built from them. */
export async function buildFixtureRegistry(tx: Warehouse, runId = 'run-1'): Promise<void> {
  await insertPbp(tx);
  await loadNameSources(tx, DATA_DIR, runId);
  await seedTeams(tx);
  await buildRegistry(tx, runId);
}
