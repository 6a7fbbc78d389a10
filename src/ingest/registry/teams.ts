// The 30 NBA franchises and every spelling of their names that our sources use. Odds carry full
// (sometimes historical) names, sportsbooks short forms; both resolve through team_aliases.
import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { recordRegistryFailures } from './failures.js';

export interface Team {
  readonly abbr: string;
  readonly teamId: number;
  readonly name: string;
  /** Former names of the franchise (or of the city's team), as odds feeds still print them. */
  readonly historical: readonly string[];
}

export const TEAMS: readonly Team[] = [
  { abbr: 'ATL', teamId: 1610612737, name: 'Atlanta Hawks', historical: ['St. Louis Hawks'] },
  { abbr: 'BOS', teamId: 1610612738, name: 'Boston Celtics', historical: [] },
  { abbr: 'CLE', teamId: 1610612739, name: 'Cleveland Cavaliers', historical: [] },
  { abbr: 'NOP', teamId: 1610612740, name: 'New Orleans Pelicans', historical: ['New Orleans Hornets', 'New Orleans/Oklahoma City Hornets'] },
  { abbr: 'CHI', teamId: 1610612741, name: 'Chicago Bulls', historical: [] },
  { abbr: 'DAL', teamId: 1610612742, name: 'Dallas Mavericks', historical: [] },
  { abbr: 'DEN', teamId: 1610612743, name: 'Denver Nuggets', historical: [] },
  { abbr: 'GSW', teamId: 1610612744, name: 'Golden State Warriors', historical: ['San Francisco Warriors'] },
  { abbr: 'HOU', teamId: 1610612745, name: 'Houston Rockets', historical: [] },
  { abbr: 'LAC', teamId: 1610612746, name: 'Los Angeles Clippers', historical: ['LA Clippers', 'San Diego Clippers'] },
  { abbr: 'LAL', teamId: 1610612747, name: 'Los Angeles Lakers', historical: [] },
  { abbr: 'MIA', teamId: 1610612748, name: 'Miami Heat', historical: [] },
  { abbr: 'MIL', teamId: 1610612749, name: 'Milwaukee Bucks', historical: [] },
  { abbr: 'MIN', teamId: 1610612750, name: 'Minnesota Timberwolves', historical: [] },
  { abbr: 'BKN', teamId: 1610612751, name: 'Brooklyn Nets', historical: ['New Jersey Nets'] },
  { abbr: 'NYK', teamId: 1610612752, name: 'New York Knicks', historical: [] },
  { abbr: 'ORL', teamId: 1610612753, name: 'Orlando Magic', historical: [] },
  { abbr: 'IND', teamId: 1610612754, name: 'Indiana Pacers', historical: [] },
  { abbr: 'PHI', teamId: 1610612755, name: 'Philadelphia 76ers', historical: [] },
  { abbr: 'PHX', teamId: 1610612756, name: 'Phoenix Suns', historical: [] },
  { abbr: 'POR', teamId: 1610612757, name: 'Portland Trail Blazers', historical: [] },
  { abbr: 'SAC', teamId: 1610612758, name: 'Sacramento Kings', historical: ['Kansas City Kings'] },
  { abbr: 'SAS', teamId: 1610612759, name: 'San Antonio Spurs', historical: [] },
  { abbr: 'OKC', teamId: 1610612760, name: 'Oklahoma City Thunder', historical: ['Seattle SuperSonics'] },
  { abbr: 'TOR', teamId: 1610612761, name: 'Toronto Raptors', historical: [] },
  { abbr: 'UTA', teamId: 1610612762, name: 'Utah Jazz', historical: ['New Orleans Jazz'] },
  { abbr: 'MEM', teamId: 1610612763, name: 'Memphis Grizzlies', historical: ['Vancouver Grizzlies'] },
  { abbr: 'WAS', teamId: 1610612764, name: 'Washington Wizards', historical: ['Washington Bullets'] },
  { abbr: 'DET', teamId: 1610612765, name: 'Detroit Pistons', historical: [] },
  // The Bobcats (2004-14) became the Hornets again; the kyleskom odds still say Bobcats in 2021-22.
  { abbr: 'CHA', teamId: 1610612766, name: 'Charlotte Hornets', historical: ['Charlotte Bobcats'] },
];

/** Valid tricodes: the raw loaders reject any other team code. */
export const TEAM_TRICODES: ReadonlySet<string> = new Set(TEAMS.map((t) => t.abbr));

/**
 * Fills nba_reference.teams and team_aliases from TEAMS plus the betfinder team spellings already
 * loaded into nba_raw.player_name_sources (source 'betfinder_team'). Aliases are matched by their
 * player_lookup_of form, so one row per normalised spelling; a spelling claimed by two teams is dropped.
 */
export async function seedTeams(tx: Warehouse): Promise<{ teams: number; aliases: number }> {
  const teams = JSON.stringify(TEAMS.map((t) => ({ abbr: t.abbr, team_id: t.teamId, name: t.name })));
  const own = JSON.stringify(
    TEAMS.flatMap((t) => [t.abbr, t.name, ...t.historical].map((alias) => ({ alias, abbr: t.abbr }))),
  );
  await tx.exec('DELETE FROM nba_reference.teams');
  await tx.exec(
    `INSERT INTO nba_reference.teams (team_abbr, team_id, team_name)
     SELECT t.abbr, t.team_id, t.name FROM (SELECT unnest(from_json($teams, '[{"abbr":"VARCHAR","team_id":"BIGINT","name":"VARCHAR"}]'), recursive := true)) t`,
    { teams },
  );
  await tx.exec('DELETE FROM nba_reference.team_aliases');
  await tx.exec(
    `INSERT INTO nba_reference.team_aliases (alias, team_abbr)
     WITH spelled AS (
       SELECT alias, abbr, 0 AS pref FROM (SELECT unnest(from_json($own, '[{"alias":"VARCHAR","abbr":"VARCHAR"}]'), recursive := true))
       UNION ALL
       SELECT name, json_extract_string(extra, '$.team_abbr'), 1 FROM nba_raw.player_name_sources WHERE source = 'betfinder_team'
     ), keyed AS (
       SELECT player_lookup_of(alias) AS k, alias, abbr, pref FROM spelled WHERE player_lookup_of(alias) <> ''
     )
     SELECT arg_min(alias, pref), any_value(abbr) FROM keyed
     GROUP BY k HAVING count(DISTINCT abbr) = 1`,
    { own },
  );
  const [counts] = await tx.query<{ teams: number; aliases: number }>(
    'SELECT (SELECT count(*) FROM nba_reference.teams) AS teams, (SELECT count(*) FROM nba_reference.team_aliases) AS aliases',
  );
  return { teams: counts?.teams ?? 0, aliases: counts?.aliases ?? 0 };
}

/** The tricode of a team name as any source spells it, in SQL (NULL when unknown). */
export function teamAbbrOfSql(nameExpr: string): string {
  return `(SELECT ta.team_abbr FROM nba_reference.team_aliases ta WHERE player_lookup_of(ta.alias) = player_lookup_of(${nameExpr}))`;
}

export const ODDS_PROCESSOR = 'GameOddsLoader';

/**
 * Fills nba_raw.game_odds.home/away_team_abbr from team_aliases; every name that stays unresolved
 * becomes a registry failure (processor GameOddsLoader, player_lookup = the normalised team name).
 */
export async function resolveOddsTeams(tx: Warehouse, runId: string, range?: { readonly from: string; readonly to: string }): Promise<{ unresolvedNames: number }> {
  // A range limits the work to the dates an incremental ingest loaded (their rows, their failures).
  const scope = range ? 'AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)' : '';
  const params: SqlParams = range ? { from: range.from, to: range.to } : {};
  await tx.exec(
    `UPDATE nba_raw.game_odds SET home_team_abbr = ${teamAbbrOfSql('home_team_name')},
                                  away_team_abbr = ${teamAbbrOfSql('away_team_name')}
     WHERE true ${scope}`,
    params,
  );
  const sourceSql = `
    SELECT player_lookup_of(name) AS player_lookup, name AS raw_name, game_date, NULL AS team_abbr,
           season_label AS season, NULL AS game_id
    FROM (SELECT home_team_name AS name, game_date, season_label FROM nba_raw.game_odds WHERE home_team_abbr IS NULL ${scope}
          UNION ALL
          SELECT away_team_name, game_date, season_label FROM nba_raw.game_odds WHERE away_team_abbr IS NULL ${scope})`;
  const n = await recordRegistryFailures(tx, { runId, processorName: ODDS_PROCESSOR, sourceSql, params });
  return { unresolvedNames: n };
}
