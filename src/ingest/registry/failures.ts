// Unresolved names are never dropped silently: each becomes one nba_processing.registry_failures
// row per (player_lookup, game_date, processor_name), upserted so re-runs count instead of pile up.
import type { ParamType, SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { WriteUnit } from '../write-unit.js';
import { PLAYER_NAME_RESOLUTION_VIEW } from './resolution.js';
import { seasonLabelOfYearSql, seasonLabelSql } from './player-lookup.js';

export interface RegistryFailureSource {
  readonly runId: string;
  readonly processorName: string;
  /**
   * SELECT returning (player_lookup, raw_name, game_date, team_abbr, season, game_id) for every
   * unresolved name; several rows per (player_lookup, game_date) are folded into one failure.
   */
  readonly sourceSql: string;
  readonly params?: SqlParams;
  readonly paramTypes?: Readonly<Record<string, ParamType>>;
}

/** The source folded to one row per (player_lookup, game_date): the key of a failure with its processor. */
function foldedSql(sourceSql: string): string {
  return `SELECT player_lookup, min(raw_name) AS raw_name, CAST(game_date AS DATE) AS game_date,
           min(team_abbr) AS team_abbr, min(season) AS season, min(game_id) AS game_id
    FROM (${sourceSql}) src
    WHERE player_lookup IS NOT NULL AND game_date IS NOT NULL
    GROUP BY player_lookup, CAST(game_date AS DATE)`;
}

/**
 * Upserts failures (one MERGE): a new key gets occurrence_count 1 and created_at now; a seen key
 * gets occurrence_count + 1 and the new run_id. A key seen again after it was RESOLVED is unresolved
 * again (the alias was deactivated or never applied), so it goes back to PENDING.
 */
export function registryFailureStatements(unit: WriteUnit, source: RegistryFailureSource): void {
  unit.add(
    `MERGE INTO nba_processing.registry_failures AS t
USING (${foldedSql(source.sourceSql)}) AS s
ON t.player_lookup = s.player_lookup AND t.game_date = s.game_date AND t.processor_name = $failure_processor
WHEN MATCHED THEN UPDATE SET
  occurrence_count = t.occurrence_count + 1,
  run_id = $failure_run_id,
  raw_name = coalesce(t.raw_name, s.raw_name),
  team_abbr = coalesce(t.team_abbr, s.team_abbr),
  game_id = coalesce(t.game_id, s.game_id),
  resolved_at = CAST(NULL AS TIMESTAMP),
  reprocessed_at = CAST(NULL AS TIMESTAMP)
WHEN NOT MATCHED THEN INSERT (player_lookup, raw_name, game_date, processor_name, team_abbr, season, game_id,
                              created_at, resolved_at, reprocessed_at, occurrence_count, run_id)
  VALUES (s.player_lookup, s.raw_name, s.game_date, $failure_processor, s.team_abbr, s.season, s.game_id,
          CAST(current_timestamp AS TIMESTAMP), CAST(NULL AS TIMESTAMP), CAST(NULL AS TIMESTAMP), 1, $failure_run_id)`,
    { ...(source.params ?? {}), failure_run_id: source.runId, failure_processor: source.processorName },
    source.paramTypes,
  );
}

/** Upserts failures on their own; returns the number of distinct failure keys this call touched. */
export async function recordRegistryFailures(tx: Warehouse, source: RegistryFailureSource): Promise<number> {
  const [counted] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM (${foldedSql(source.sourceSql)}) f`, source.params ?? {});
  const unit = new WriteUnit(tx.dialect);
  registryFailureStatements(unit, source);
  await unit.run(tx);
  return counted?.n ?? 0;
}

/** The Phase 3 table that reads prop lines (current_points_line) owns their name failures. */
export const PROP_LINES_PROCESSOR = 'UpcomingPlayerGameContextProcessor';

/**
 * Every distinct (sportsbook name, game_date) in nba_raw.player_prop_lines whose lookup does not
 * resolve becomes a failure; the game id comes from the schedule when the team is known.
 * `props` narrows the markets (default: all of them, so nothing unresolved goes unseen).
 */
/** Which prop lines' names a failure is recorded for: markets whose player column names a person, a date range. */
export interface PropNameScope {
  /** The markets (default: every market, so nothing unresolved goes unseen). */
  readonly props?: readonly string[];
  /** Only markets that name a person: what PLAYER_PROP_MARKETS_SQL lists. */
  readonly playerMarkets?: boolean;
  /** A range limits the work to the dates an incremental ingest loaded. */
  readonly range?: { readonly from: string; readonly to: string };
}

function propNameSource(scope: PropNameScope): RegistryFailureSource['sourceSql'] {
  const propFilter = scope.props ? 'AND p.prop IN (SELECT * FROM UNNEST($props))' : '';
  const marketFilter = scope.playerMarkets ? `AND p.prop NOT LIKE '%team%'` : '';
  const rangeFilter = scope.range ? 'AND p.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)' : '';
  return `
    SELECT {{player_lookup(p.player_name)}} AS player_lookup, p.player_name AS raw_name, p.game_date,
           p.team_abbr, ${seasonLabelSql('p.game_date')} AS season,
           (SELECT min(s.game_id) FROM nba_reference.schedule s
             WHERE s.game_date = p.game_date AND p.team_abbr IN (s.home_team_abbr, s.away_team_abbr)) AS game_id
    FROM nba_raw.player_prop_lines p
    LEFT JOIN ${PLAYER_NAME_RESOLUTION_VIEW} r ON r.name_lookup = {{player_lookup(p.player_name)}}
    WHERE r.name_lookup IS NULL ${propFilter} ${marketFilter} ${rangeFilter}`;
}

function propNameParams(scope: PropNameScope): SqlParams {
  return { ...(scope.props ? { props: scope.props } : {}), ...(scope.range ?? {}) };
}

/**
 * Every distinct (sportsbook name, game_date) in nba_raw.player_prop_lines whose lookup does not
 * resolve becomes a failure; the game id comes from the schedule when the team is known.
 */
export function unresolvedPropNameStatements(unit: WriteUnit, runId: string, scope: PropNameScope = {}): void {
  registryFailureStatements(unit, { runId, processorName: PROP_LINES_PROCESSOR, sourceSql: propNameSource(scope), params: propNameParams(scope), paramTypes: { props: 'ARRAY<STRING>' } });
}

export async function recordUnresolvedPropNames(tx: Warehouse, runId: string, scope: PropNameScope = {}): Promise<number> {
  return recordRegistryFailures(tx, {
    runId,
    processorName: PROP_LINES_PROCESSOR,
    sourceSql: propNameSource(scope),
    params: propNameParams(scope),
    paramTypes: { props: 'ARRAY<STRING>' },
  });
}

/** Who records a name two registry players carry (build-registry.ts gave the later one '<lookup><person id>'). */
export const SHARED_NAME_PROCESSOR = 'NbaPlayersRegistryProcessor';

/**
 * A person whose lookup is not his name's (another person holds that) is a failure on the date of his
 * first game in [from, to], under his name's lookup, until a manual alias says whom a sportsbook line
 * by that name means (the name then resolves, and is not recorded again). Read after Phase 3 wrote
 * player_game_summary, which gives his first game's id and team.
 */
export function sharedNameFailureStatements(unit: WriteUnit, args: { readonly from: string; readonly to: string; readonly runId: string }): void {
  const renamed = `SELECT universal_player_id FROM nba_reference.nba_players_registry WHERE player_lookup <> {{player_lookup(player_name)}}`;
  registryFailureStatements(unit, {
    runId: args.runId,
    processorName: SHARED_NAME_PROCESSOR,
    sourceSql: `
    SELECT {{player_lookup(r.player_name)}} AS player_lookup, r.player_name AS raw_name, g.game_date, g.team_abbr,
           ${seasonLabelOfYearSql('g.season_year')} AS season, g.game_id
    FROM nba_reference.nba_players_registry r
    JOIN (SELECT universal_player_id, game_date, game_id, team_abbr, season_year,
                 row_number() OVER (PARTITION BY universal_player_id ORDER BY game_date, game_id) AS nth
          FROM nba_analytics.player_game_summary WHERE universal_player_id IN (${renamed})) g
      ON g.universal_player_id = r.universal_player_id AND g.nth = 1
    LEFT JOIN ${PLAYER_NAME_RESOLUTION_VIEW} v ON v.name_lookup = {{player_lookup(r.player_name)}}
    WHERE v.name_lookup IS NULL AND g.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    params: { from: args.from, to: args.to },
  });
}
