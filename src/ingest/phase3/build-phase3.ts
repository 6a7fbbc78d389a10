// Phase 3: per-game analytics tables derived in SQL from nba_raw, one season (or a few dates) at a
// time. Each .sql file beside this one states its grain. The statements are added to the caller's
// atomic unit (WriteUnit: one transaction on DuckDB, one script job on BigQuery); the functions
// that run them on their own (rebuildContexts, buildPhase3) wrap one unit each.
import { readFileSync } from 'node:fs';
import { eachDay, seasonWindow } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { PLAUSIBLE_GAME_TOTAL } from '../raw/load-odds.js';
import { registryFailureStatements, sharedNameFailureStatements } from '../registry/failures.js';
import { seasonLabelOfYearSql } from '../registry/player-lookup.js';
import { WriteUnit } from '../write-unit.js';
import { CONTEXT_AUDITS, SHARED_LOOKUP_AUDIT, contextAuditMessage, asContextAuditError } from './context-audits.js';

const sqlFile = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** Statements of a file, split at a ';' that ends a line (our SQL files never put one elsewhere). */
export function fileStatements(name: string): string[] {
  return sqlFile(name)
    .split(/;[ \t]*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
}

/** Tables with one row per game (or team/player × game), rebuilt from the play-by-play. */
const GAME_TABLES = [
  'nba_analytics.player_game_summary',
  'nba_analytics.team_offense_game_summary',
  'nba_analytics.team_defense_game_summary',
  'nba_reference.schedule',
] as const;

const CONTEXT_TABLES = ['nba_analytics.upcoming_player_game_context', 'nba_analytics.upcoming_team_game_context'] as const;

export interface Phase3Summary {
  readonly games: number;
  readonly playerGames: number;
  readonly teamGames: number;
  readonly playerContexts: number;
  readonly teamContexts: number;
  readonly unresolvedPlayers: number;
}

export const BOX_SCORE_PROCESSOR = 'PlayerGameSummaryProcessor';

/** Every person in the box must resolve to the registry; one who does not is tracked, not dropped unseen. */
const UNRESOLVED_BOX_PLAYERS = `SELECT CAST(b.person_id AS STRING) AS player_lookup, CAST(b.person_id AS STRING) AS raw_name, s.game_date,
       b.team_abbr, ${seasonLabelOfYearSql('s.season_year')} AS season, b.game_id
FROM tmp_player_box b JOIN nba_reference.schedule s ON s.game_id = b.game_id
WHERE b.person_id NOT IN (SELECT universal_player_id FROM nba_reference.nba_players_registry)`;

/**
 * Every Phase 3 table of the given seasons (2021 = 2021-22) rebuilt: the whole season window is
 * replaced (the contexts of dates that no longer have games go too), then the per-game tables and
 * the pre-game contexts of every date of the windows, audited.
 */
export function phase3Statements(unit: WriteUnit, args: { readonly seasonYears: readonly number[]; readonly runId: string }): void {
  const days: string[] = [];
  for (const season of args.seasonYears) {
    const window = seasonWindow(season);
    for (const table of CONTEXT_TABLES) unit.add(`DELETE FROM ${table} WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, window);
    gameTableStatements(unit, { ...window, runId: args.runId });
    days.push(...eachDay(window.from, window.to));
  }
  // Every day of the windows: the contexts' targets are the game dates among them.
  contextStatements(unit, { dates: days, runId: args.runId, tables: 'both' });
}

/**
 * Phase 3 keys players by player_lookup (and Phase 4 and 5 after it): a lookup that two registry
 * players hold (a hand edit: the registry build never writes one) would break player_game_summary's
 * and the contexts' keys and merge two people's windows. The unit fails first, naming them (on
 * DuckDB; BigQuery's ASSERT takes only the literal message), and nothing of it is written.
 */
function oneLookupPerPerson(unit: WriteUnit): void {
  unit.assertEmpty(SHARED_LOOKUP_AUDIT.sql, contextAuditMessage(SHARED_LOOKUP_AUDIT.name));
}

/**
 * The per-game tables — schedule, player box → player_game_summary, team offense/defense — of every
 * game played in [from, to], replacing what those dates held. One date's new play-by-play reaches
 * exactly these rows (every statement is per game); the pre-game contexts it reaches are the
 * caller's (contextStatements). Same SQL files for a whole season and for one date.
 */
export function gameTableStatements(unit: WriteUnit, args: { readonly from: string; readonly to: string; readonly runId: string }): void {
  const params = { from: args.from, to: args.to, run_id: args.runId };
  oneLookupPerPerson(unit);
  for (const table of GAME_TABLES) unit.add(`DELETE FROM ${table} WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, params);
  for (const s of fileStatements('schedule.sql')) unit.add(s, params);
  for (const s of fileStatements('player-box.sql')) unit.add(s, params);
  registryFailureStatements(unit, { runId: args.runId, processorName: BOX_SCORE_PROCESSOR, sourceSql: UNRESOLVED_BOX_PLAYERS });
  for (const s of fileStatements('player-game-summary.sql')) unit.add(s, params);
  sharedNameFailureStatements(unit, args);
  for (const s of fileStatements('team-game-summaries.sql')) unit.add(s, params);
}

/**
 * The pre-game context tables rebuilt for the given game dates only, then audited: a context row
 * that read a game on or after its own date fails the unit (nothing of it is written).
 */
/** The parameters of the context SQL files (their dates, the run, the band of plausible game totals). */
export function contextParams(dates: readonly string[], runId: string) {
  return { dates: [...dates], run_id: runId, total_min: PLAUSIBLE_GAME_TOTAL.min, total_max: PLAUSIBLE_GAME_TOTAL.max };
}

export function contextStatements(unit: WriteUnit, args: { readonly dates: readonly string[]; readonly runId: string; readonly tables: 'player' | 'both' }): void {
  if (args.dates.length === 0) return;
  const params = contextParams(args.dates, args.runId);
  oneLookupPerPerson(unit);
  const inDates = `game_date IN (SELECT CAST(d AS DATE) FROM {{unnest_as($dates, d)}})`;
  unit.add(`DELETE FROM nba_analytics.upcoming_player_game_context WHERE ${inDates}`, params);
  for (const s of fileStatements('upcoming-player-game-context.sql')) unit.add(s, params);
  if (args.tables === 'both') {
    unit.add(`DELETE FROM nba_analytics.upcoming_team_game_context WHERE ${inDates}`, params);
    for (const s of fileStatements('upcoming-team-game-context.sql')) unit.add(s, params);
  }
  const sorted = [...args.dates].sort();
  const range = { from: sorted[0] as string, to: sorted.at(-1) as string };
  for (const audit of CONTEXT_AUDITS) unit.assertEmpty(`${audit.sql}\nORDER BY game_date, game_id`, contextAuditMessage(audit.name), range);
}

/** What Phase 3 holds for the given seasons, and the box-score players a run could not resolve. */
export async function phase3Summary(wh: Warehouse, args: { readonly seasonYears: readonly number[]; readonly runId: string }): Promise<Phase3Summary> {
  const [c] = await wh.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM nba_reference.schedule WHERE season_year IN (SELECT * FROM UNNEST($seasons))) AS games,
            (SELECT count(*) FROM nba_analytics.player_game_summary WHERE season_year IN (SELECT * FROM UNNEST($seasons))) AS player_games,
            (SELECT count(*) FROM nba_analytics.team_offense_game_summary WHERE season_year IN (SELECT * FROM UNNEST($seasons))) AS team_games,
            (SELECT count(*) FROM nba_analytics.upcoming_player_game_context WHERE season_year IN (SELECT * FROM UNNEST($seasons))) AS player_contexts,
            (SELECT count(*) FROM nba_analytics.upcoming_team_game_context WHERE season_year IN (SELECT * FROM UNNEST($seasons))) AS team_contexts,
            (SELECT count(*) FROM nba_processing.registry_failures WHERE processor_name = $processor AND run_id = $run_id) AS unresolved_players`,
    { seasons: [...args.seasonYears], processor: BOX_SCORE_PROCESSOR, run_id: args.runId },
    { paramTypes: { seasons: 'ARRAY<INT64>' } },
  );
  return {
    games: c?.['games'] ?? 0,
    playerGames: c?.['player_games'] ?? 0,
    teamGames: c?.['team_games'] ?? 0,
    playerContexts: c?.['player_contexts'] ?? 0,
    teamContexts: c?.['team_contexts'] ?? 0,
    unresolvedPlayers: c?.['unresolved_players'] ?? 0,
  };
}

/** Rebuilds every Phase 3 table for the given seasons (2021 = 2021-22), as one unit. */
export async function buildPhase3(tx: Warehouse, args: { readonly seasonYears: readonly number[]; readonly runId: string }): Promise<Phase3Summary> {
  const unit = new WriteUnit(tx.dialect);
  phase3Statements(unit, args);
  await unit.run(tx).catch((err: unknown) => Promise.reject(asContextAuditError(err)));
  return phase3Summary(tx, args);
}

/** Rebuilds the pre-game context tables for the given game dates only (one unit), audited. */
export async function rebuildContexts(
  tx: Warehouse,
  args: { readonly dates: readonly string[]; readonly runId: string; readonly tables: 'player' | 'both' },
): Promise<void> {
  const unit = new WriteUnit(tx.dialect);
  contextStatements(unit, args);
  await unit.run(tx).catch((err: unknown) => Promise.reject(asContextAuditError(err)));
}

/** What `registry reprocess` calls: only the player context reads sportsbook names. */
export async function rebuildUpcomingPlayerContext(tx: Warehouse, args: { readonly dates: string[]; readonly runId: string }): Promise<void> {
  await rebuildContexts(tx, { dates: args.dates, runId: args.runId, tables: 'player' });
}

/** The game tables of [from, to] on their own (one unit); returns the box-score players left unresolved. */
export async function buildGameTables(tx: Warehouse, args: { readonly from: string; readonly to: string; readonly runId: string }): Promise<{ readonly unresolvedPlayers: number }> {
  const unit = new WriteUnit(tx.dialect);
  gameTableStatements(unit, args);
  await unit.run(tx).catch((err: unknown) => Promise.reject(asContextAuditError(err)));
  const [n] = await tx.query<{ n: number }>(
    `SELECT count(*) AS n FROM nba_processing.registry_failures WHERE processor_name = $processor AND run_id = $run_id
       AND game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    { processor: BOX_SCORE_PROCESSOR, run_id: args.runId, from: args.from, to: args.to },
  );
  return { unresolvedPlayers: n?.n ?? 0 };
}
