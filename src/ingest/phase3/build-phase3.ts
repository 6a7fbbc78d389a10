// Phase 3: per-game analytics tables derived in SQL from nba_raw, one season (or a few dates) at a
// time, inside the caller's transaction. Each .sql file beside this one states its grain.
import { readFileSync } from 'node:fs';

import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { recordRegistryFailures } from '../registry/failures.js';
import { auditContexts } from './context-audits.js';
import { seasonWindow } from '../../core/dates.js';

const sqlFile = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** Statements of a file, split at a ';' that ends a line (our SQL files never put one elsewhere). */
function statements(sql: string): string[] {
  return sql
    .split(/;[ \t]*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
}

async function runFile(tx: Warehouse, name: string, params: SqlParams): Promise<void> {
  for (const statement of statements(sqlFile(name))) await tx.exec(statement, params);
}

/** Tables with one row per game (or team/player × game), rebuilt from the play-by-play. */
const GAME_TABLES = [
  'nba_analytics.player_game_summary',
  'nba_analytics.team_offense_game_summary',
  'nba_analytics.team_defense_game_summary',
  'nba_reference.schedule',
] as const;

const SEASON_TABLES = ['nba_analytics.upcoming_player_game_context', 'nba_analytics.upcoming_team_game_context', ...GAME_TABLES] as const;

export interface Phase3Summary {
  readonly games: number;
  readonly playerGames: number;
  readonly teamGames: number;
  readonly playerContexts: number;
  readonly teamContexts: number;
  readonly unresolvedPlayers: number;
}

/** Rebuilds every Phase 3 table for the given seasons (2021 = 2021-22). */
export async function buildPhase3(tx: Warehouse, args: { readonly seasonYears: readonly number[]; readonly runId: string }): Promise<Phase3Summary> {
  const seasons = [...args.seasonYears];
  const params = { seasons, run_id: args.runId };
  let unresolvedPlayers = 0;
  for (const season of seasons) {
    const window = seasonWindow(season);
    // The contexts of dates that no longer have games must go too: the whole season is replaced.
    for (const table of SEASON_TABLES) {
      await tx.exec(`DELETE FROM ${table} WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, window);
    }
    unresolvedPlayers += (await buildGameTables(tx, { ...window, runId: args.runId })).unresolvedPlayers;
  }
  const dates = await seasonDates(tx, seasons);
  await rebuildContexts(tx, { dates, runId: args.runId, tables: 'both' });
  const [c] = await tx.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM nba_reference.schedule WHERE season_year IN (SELECT unnest($seasons))) AS games,
            (SELECT count(*) FROM nba_analytics.player_game_summary WHERE season_year IN (SELECT unnest($seasons))) AS player_games,
            (SELECT count(*) FROM nba_analytics.team_offense_game_summary WHERE season_year IN (SELECT unnest($seasons))) AS team_games,
            (SELECT count(*) FROM nba_analytics.upcoming_player_game_context WHERE season_year IN (SELECT unnest($seasons))) AS player_contexts,
            (SELECT count(*) FROM nba_analytics.upcoming_team_game_context WHERE season_year IN (SELECT unnest($seasons))) AS team_contexts`,
    params,
  );
  return {
    games: c?.['games'] ?? 0,
    playerGames: c?.['player_games'] ?? 0,
    teamGames: c?.['team_games'] ?? 0,
    playerContexts: c?.['player_contexts'] ?? 0,
    teamContexts: c?.['team_contexts'] ?? 0,
    unresolvedPlayers,
  };
}

/**
 * The per-game tables — schedule, player box → player_game_summary, team offense/defense — of every
 * game played in [from, to], replacing what those dates held. One date's new play-by-play reaches
 * exactly these rows (every statement is per game); the pre-game contexts it reaches are the
 * caller's (rebuildContexts). Same SQL files for a whole season and for one date.
 */
export async function buildGameTables(tx: Warehouse, args: { readonly from: string; readonly to: string; readonly runId: string }): Promise<{ readonly unresolvedPlayers: number }> {
  const params = { from: args.from, to: args.to, run_id: args.runId };
  for (const table of GAME_TABLES) await tx.exec(`DELETE FROM ${table} WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, params);
  await runFile(tx, 'schedule.sql', params);
  await runFile(tx, 'player-box.sql', params);
  // Every person in the box must resolve to the registry; one who does not is tracked, not dropped unseen.
  const unresolvedPlayers = await recordRegistryFailures(tx, {
    runId: args.runId,
    processorName: 'PlayerGameSummaryProcessor',
    sourceSql: `SELECT CAST(b.person_id AS VARCHAR) AS player_lookup, CAST(b.person_id AS VARCHAR) AS raw_name, s.game_date,
                       b.team_abbr, ${seasonSql('s.season_year')} AS season, b.game_id
                FROM tmp_player_box b JOIN nba_reference.schedule s USING (game_id)
                WHERE b.person_id NOT IN (SELECT universal_player_id FROM nba_reference.nba_players_registry)`,
  });
  await runFile(tx, 'player-game-summary.sql', params);
  await runFile(tx, 'team-game-summaries.sql', params);
  await tx.exec('DROP TABLE IF EXISTS tmp_player_box; DROP TABLE IF EXISTS tmp_team_box');
  return { unresolvedPlayers };
}

function seasonSql(expr: string): string {
  return `CAST(${expr} AS VARCHAR) || '-' || lpad(CAST((${expr} + 1) % 100 AS VARCHAR), 2, '0')`;
}

async function seasonDates(tx: Warehouse, seasons: readonly number[]): Promise<string[]> {
  const rows = await tx.query<{ game_date: string }>(
    `SELECT DISTINCT game_date FROM nba_reference.schedule WHERE season_year IN (SELECT unnest($seasons)) ORDER BY 1`,
    { seasons: [...seasons] },
  );
  return rows.map((r) => r.game_date);
}

/**
 * Rebuilds the pre-game context tables for the given game dates only, then audits them: a context
 * row that read a game on or after its own date fails the build (ContextAuditError).
 */
export async function rebuildContexts(
  tx: Warehouse,
  args: { readonly dates: readonly string[]; readonly runId: string; readonly tables: 'player' | 'both' },
): Promise<void> {
  if (args.dates.length === 0) return;
  const params = { dates: [...args.dates], run_id: args.runId };
  await tx.exec(`DELETE FROM nba_analytics.upcoming_player_game_context WHERE game_date IN (SELECT unnest(CAST($dates AS DATE[])))`, params);
  await runFile(tx, 'upcoming-player-game-context.sql', params);
  if (args.tables === 'both') {
    await tx.exec(`DELETE FROM nba_analytics.upcoming_team_game_context WHERE game_date IN (SELECT unnest(CAST($dates AS DATE[])))`, params);
    await runFile(tx, 'upcoming-team-game-context.sql', params);
  }
  const sorted = [...args.dates].sort();
  await auditContexts(tx, { from: sorted[0] as string, to: sorted.at(-1) as string });
}

/** What `registry reprocess` calls: only the player context reads sportsbook names. */
export async function rebuildUpcomingPlayerContext(tx: Warehouse, args: { readonly dates: string[]; readonly runId: string }): Promise<void> {
  await rebuildContexts(tx, { dates: args.dates, runId: args.runId, tables: 'player' });
}

