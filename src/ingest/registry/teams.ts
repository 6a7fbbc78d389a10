// The 30 NBA franchises and every spelling of their names that our sources use. Odds carry full
// (sometimes historical) names, sportsbooks short forms; both resolve through team_aliases.
import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { dropStaged, stageRows, type StagedFile } from '../raw/stage.js';
import { WriteUnit } from '../write-unit.js';
import { registryFailureStatements } from './failures.js';

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

/** TEAMS as rows: every own spelling of a franchise (tricode, name, former names) with its id and name. */
export function teamNameRows(): { abbr: string; team_id: string; name: string; alias: string }[] {
  return TEAMS.flatMap((t) => [t.abbr, t.name, ...t.historical].map((alias) => ({ abbr: t.abbr, team_id: String(t.teamId), name: t.name, alias })));
}

/** TEAMS staged as text rows (abbr, team_id, name, alias). */
export async function stageTeams(wh: Warehouse): Promise<StagedFile> {
  return stageRows(wh, 'stg_team_names', 'TEAMS', ['abbr', 'team_id', 'name', 'alias'], teamNameRows());
}

/**
 * Team aliases: one row per normalised spelling `k` (its lookup), the preferred spelling (our own
 * before the betfinder file's, then alphabetical) and its team; a spelling claimed by two teams is
 * dropped. `teams`: staged TEAMS; `names`: the relation holding the betfinder_team name rows (the raw
 * table, or the staged name files during validation).
 */
export function teamAliasRowsSql(teams: string, names: string): string {
  return `(SELECT k, alias, team_abbr FROM (
    SELECT k, alias, abbr AS team_abbr,
           row_number() OVER (PARTITION BY k ORDER BY pref, alias) AS choice,
           min(abbr) OVER (PARTITION BY k) AS first_abbr, max(abbr) OVER (PARTITION BY k) AS last_abbr
    FROM (SELECT {{player_lookup(alias)}} AS k, alias, abbr, pref FROM (
            SELECT alias, abbr, 0 AS pref FROM ${teams}
            UNION ALL
            SELECT name, {{json_string(extra, '$.team_abbr')}}, 1 FROM ${names} WHERE source = 'betfinder_team'
          ) spelled) keyed
    WHERE k <> ''
  ) ranked WHERE choice = 1 AND first_abbr = last_abbr)`;
}

/**
 * Fills nba_reference.teams and team_aliases from TEAMS plus the betfinder team spellings in
 * nba_raw.player_name_sources (source 'betfinder_team'): one alias per normalised spelling.
 */
export function teamStatements(unit: WriteUnit, staged: StagedFile): void {
  unit.add('DELETE FROM nba_reference.teams WHERE true');
  unit.add(`INSERT INTO nba_reference.teams (team_abbr, team_id, team_name) SELECT DISTINCT abbr, CAST(team_id AS INT64), name FROM ${staged.source}`, staged.params);
  unit.add('DELETE FROM nba_reference.team_aliases WHERE true');
  unit.add(`INSERT INTO nba_reference.team_aliases (alias, team_abbr) SELECT alias, team_abbr FROM ${teamAliasRowsSql(staged.source, 'nba_raw.player_name_sources')} a`, staged.params);
}

/** Seeds the team registry on its own (registry tests, a nightly-only warehouse's first night). */
export async function seedTeams(tx: Warehouse): Promise<{ teams: number; aliases: number }> {
  const staged = await stageTeams(tx);
  try {
    const unit = new WriteUnit(tx.dialect);
    teamStatements(unit, staged);
    await unit.run(tx);
  } finally {
    await dropStaged(tx, [staged]);
  }
  const [counts] = await tx.query<{ teams: number; aliases: number }>(
    'SELECT (SELECT count(*) FROM nba_reference.teams) AS teams, (SELECT count(*) FROM nba_reference.team_aliases) AS aliases',
  );
  return { teams: counts?.teams ?? 0, aliases: counts?.aliases ?? 0 };
}

/** The tricode of a team name as any source spells it, in SQL (NULL when unknown). */
export function teamAbbrOfSql(nameExpr: string): string {
  return `(SELECT ta.team_abbr FROM nba_reference.team_aliases ta WHERE {{player_lookup(ta.alias)}} = {{player_lookup(${nameExpr})}})`;
}

export const ODDS_PROCESSOR = 'GameOddsLoader';

/**
 * Fills nba_raw.game_odds.home/away_team_abbr from team_aliases; every name that stays unresolved
 * becomes a registry failure (processor GameOddsLoader, player_lookup = the normalised team name).
 * A range limits the work to the dates an incremental ingest loaded (their rows, their failures).
 */
export function oddsTeamStatements(unit: WriteUnit, runId: string, range?: { readonly from: string; readonly to: string }): void {
  const scope = range ? 'AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)' : '';
  const params: SqlParams = range ? { from: range.from, to: range.to } : {};
  unit.add(
    `UPDATE nba_raw.game_odds SET home_team_abbr = ${teamAbbrOfSql('home_team_name')},
                                  away_team_abbr = ${teamAbbrOfSql('away_team_name')}
     WHERE true ${scope}`,
    params,
  );
  registryFailureStatements(unit, { runId, processorName: ODDS_PROCESSOR, sourceSql: oddsFailureSourceSql(scope), params });
}

function oddsFailureSourceSql(scope: string): string {
  return `
    SELECT {{player_lookup(name)}} AS player_lookup, name AS raw_name, game_date, CAST(NULL AS STRING) AS team_abbr,
           season_label AS season, CAST(NULL AS STRING) AS game_id
    FROM (SELECT home_team_name AS name, game_date, season_label FROM nba_raw.game_odds WHERE home_team_abbr IS NULL ${scope}
          UNION ALL
          SELECT away_team_name, game_date, season_label FROM nba_raw.game_odds WHERE away_team_abbr IS NULL ${scope}) unresolved`;
}

export async function resolveOddsTeams(tx: Warehouse, runId: string, range?: { readonly from: string; readonly to: string }): Promise<{ unresolvedNames: number }> {
  const scope = range ? 'AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)' : '';
  const unit = new WriteUnit(tx.dialect);
  oddsTeamStatements(unit, runId, range);
  await unit.run(tx);
  // The failures this call touched: the unresolved names it just recorded (nothing else changed them).
  const [n] = await tx.query<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT DISTINCT player_lookup, CAST(game_date AS DATE) AS d FROM (${oddsFailureSourceSql(scope)}) s) f`,
    range ? { from: range.from, to: range.to } : {},
  );
  return { unresolvedNames: n?.n ?? 0 };
}
