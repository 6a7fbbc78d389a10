// What an incremental ingest needs before any name can resolve: the teams and their aliases, and
// the name sources the registry names players from. A warehouse that never ran the bundled ingest
// (a nightly-only setup) gets them from the bundled files once; after that they are left alone.
// Staged before the date's writes (on BigQuery a staging table is made outside any transaction),
// written with them.
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { StagedFile } from '../raw/stage.js';
import { nameSourceStatements, parseNameSources, stageNameSources, type ParsedNameSources } from '../registry/name-sources.js';
import { stageTeams, teamStatements } from '../registry/teams.js';
import { BUNDLED_DATA_DIR } from '../sources.js';
import type { WriteUnit } from '../write-unit.js';

export interface StagedReferenceData {
  readonly names: { readonly parsed: ParsedNameSources; readonly staged: StagedFile } | undefined;
  readonly teams: StagedFile | undefined;
}

export async function stageReferenceData(w: Warehouse): Promise<StagedReferenceData> {
  const [c] = await w.query<{ teams: number; names: number }>(
    `SELECT (SELECT count(*) FROM nba_reference.teams) AS teams, (SELECT count(*) FROM nba_raw.player_name_sources) AS names`,
  );
  const needNames = (c?.names ?? 0) === 0;
  const needTeams = (c?.teams ?? 0) === 0 || needNames;
  const parsed = needNames ? parseNameSources(BUNDLED_DATA_DIR) : undefined;
  return {
    names: parsed ? { parsed, staged: await stageNameSources(w, parsed) } : undefined,
    teams: needTeams ? await stageTeams(w) : undefined,
  };
}

export function referenceDataStatements(unit: WriteUnit, ref: StagedReferenceData, runId: string): void {
  if (ref.names) nameSourceStatements(unit, ref.names.staged, ref.names.parsed, runId);
  if (ref.teams) teamStatements(unit, ref.teams);
}
