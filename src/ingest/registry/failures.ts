// Unresolved names are never dropped silently: each becomes one nba_processing.registry_failures
// row per (player_lookup, game_date, processor_name), upserted so re-runs count instead of pile up.
import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { PLAYER_NAME_RESOLUTION_VIEW } from './resolution.js';
import { seasonLabelSql } from './player-lookup.js';

export interface RegistryFailureSource {
  readonly runId: string;
  readonly processorName: string;
  /**
   * SELECT returning (player_lookup, raw_name, game_date, team_abbr, season, game_id) for every
   * unresolved name; several rows per (player_lookup, game_date) are folded into one failure.
   */
  readonly sourceSql: string;
  readonly params?: SqlParams;
}

/**
 * Upserts failures: a new key gets occurrence_count 1 and created_at now; a seen key gets
 * occurrence_count + 1 and the new run_id. A key seen again after it was RESOLVED is unresolved
 * again (the alias was deactivated or never applied), so it goes back to PENDING.
 * Returns the number of distinct failure keys this call touched.
 */
export async function recordRegistryFailures(tx: Warehouse, source: RegistryFailureSource): Promise<number> {
  const params: SqlParams = { ...(source.params ?? {}), __run_id: source.runId, __processor: source.processorName };
  const folded = `
    SELECT player_lookup, min(raw_name) AS raw_name, CAST(game_date AS DATE) AS game_date,
           min(team_abbr) AS team_abbr, min(season) AS season, min(game_id) AS game_id
    FROM (${source.sourceSql}) src
    WHERE player_lookup IS NOT NULL AND game_date IS NOT NULL
    GROUP BY player_lookup, CAST(game_date AS DATE)`;
  const [counted] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM (${folded})`, params);
  await tx.exec(
    `INSERT INTO nba_processing.registry_failures
       (player_lookup, raw_name, game_date, processor_name, team_abbr, season, game_id,
        created_at, resolved_at, reprocessed_at, occurrence_count, run_id)
     SELECT player_lookup, raw_name, game_date, $__processor, team_abbr, season, game_id,
            now()::TIMESTAMP, NULL, NULL, 1, $__run_id
     FROM (${folded})
     ON CONFLICT (player_lookup, game_date, processor_name) DO UPDATE SET
       occurrence_count = occurrence_count + 1,
       run_id = excluded.run_id,
       raw_name = coalesce(raw_name, excluded.raw_name),
       team_abbr = coalesce(team_abbr, excluded.team_abbr),
       game_id = coalesce(game_id, excluded.game_id),
       resolved_at = NULL,
       reprocessed_at = NULL`,
    params,
  );
  return counted?.n ?? 0;
}

/** The Phase 3 table that reads prop lines (current_points_line) owns their name failures. */
export const PROP_LINES_PROCESSOR = 'UpcomingPlayerGameContextProcessor';

/**
 * Every distinct (sportsbook name, game_date) in nba_raw.player_prop_lines whose lookup does not
 * resolve becomes a failure; the game id comes from the schedule when the team is known.
 * `props` narrows the markets (default: all of them, so nothing unresolved goes unseen).
 */
export async function recordUnresolvedPropNames(
  tx: Warehouse,
  runId: string,
  options: { readonly props?: readonly string[]; readonly range?: { readonly from: string; readonly to: string } } = {},
): Promise<number> {
  const propFilter = options.props ? 'AND p.prop IN (SELECT unnest($props::VARCHAR[]))' : '';
  // A range limits the work to the dates an incremental ingest loaded.
  const rangeFilter = options.range ? 'AND p.game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)' : '';
  const sourceSql = `
    SELECT player_lookup_of(p.player_name) AS player_lookup, p.player_name AS raw_name, p.game_date,
           p.team_abbr, ${seasonLabelSql('p.game_date')} AS season,
           (SELECT min(s.game_id) FROM nba_reference.schedule s
             WHERE s.game_date = p.game_date AND p.team_abbr IN (s.home_team_abbr, s.away_team_abbr)) AS game_id
    FROM nba_raw.player_prop_lines p
    LEFT JOIN ${PLAYER_NAME_RESOLUTION_VIEW} r ON r.lookup = player_lookup_of(p.player_name)
    WHERE r.lookup IS NULL ${propFilter} ${rangeFilter}`;
  return recordRegistryFailures(tx, {
    runId,
    processorName: PROP_LINES_PROCESSOR,
    sourceSql,
    params: { ...(options.props ? { props: options.props } : {}), ...(options.range ?? {}) },
  });
}
