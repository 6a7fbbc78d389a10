// What an incremental ingest needs before any name can resolve: the teams and their aliases, and
// the name sources the registry names players from. A warehouse that never ran the bundled ingest
// (a nightly-only setup) gets them from the bundled files once; after that they are left alone.
import type { Warehouse } from '../../warehouse/warehouse.js';
import { ensureResolutionView } from '../registry/build-registry.js';
import { loadNameSources } from '../registry/name-sources.js';
import { seedTeams } from '../registry/teams.js';
import { BUNDLED_DATA_DIR } from '../sources.js';

export async function ensureReferenceData(tx: Warehouse, runId: string): Promise<void> {
  const [c] = await tx.query<{ teams: number; names: number }>(
    `SELECT (SELECT count(*) FROM nba_reference.teams) AS teams, (SELECT count(*) FROM nba_raw.player_name_sources) AS names`,
  );
  if ((c?.names ?? 0) === 0) await loadNameSources(tx, BUNDLED_DATA_DIR, runId);
  if ((c?.teams ?? 0) === 0 || (c?.names ?? 0) === 0) await seedTeams(tx);
  await ensureResolutionView(tx);
}
