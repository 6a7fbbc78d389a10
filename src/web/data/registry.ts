// Name resolution: the PENDING unresolved names with their likely registry matches (the
// `courtside registry pending` report), and every failure row of one name.
import { FAILURE_STATUS_SQL, pendingFailures } from '../../ingest/registry/index.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';
import { NotFoundError } from '../http-errors.js';

export interface RegistryView {
  readonly pending: Row[];
  /** Failures by lifecycle state, over all names. */
  readonly by_status: Row[];
}

export async function loadRegistry(wh: Warehouse): Promise<RegistryView> {
  const byStatus = await wh.query(
    `SELECT ${FAILURE_STATUS_SQL} AS status, count(DISTINCT player_lookup) AS names, count(*) AS failures, sum(occurrence_count) AS occurrences
FROM nba_processing.registry_failures GROUP BY 1 ORDER BY 1`,
  );
  return { pending: await pendingFailures(wh), by_status: byStatus };
}

export interface RegistryNameView {
  readonly lookup: string;
  /** The pending summary with suggestions, null once every failure of the name is resolved. */
  readonly pending: Row | null;
  readonly failures: Row[];
}

export async function loadRegistryName(wh: Warehouse, lookup: string): Promise<RegistryNameView> {
  const failures = await wh.query(
    `SELECT raw_name, game_date, processor_name, team_abbr, season, game_id, occurrence_count, ${FAILURE_STATUS_SQL} AS status,
       created_at, resolved_at, reprocessed_at, run_id
FROM nba_processing.registry_failures WHERE player_lookup = $lookup ORDER BY game_date, processor_name`,
    { lookup },
  );
  if (failures.length === 0) throw new NotFoundError(`no registry failures for '${lookup}'`);
  const pending = (await pendingFailures(wh)).find((r) => r['lookup'] === lookup) ?? null;
  return { lookup, pending, failures };
}
