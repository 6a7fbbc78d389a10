// The registry's public API, as the ingest and the CLI use it.
export { playerLookup, seasonLabel } from './player-lookup.js';
export { NAME_FILES, loadNameSources, nameSourceStatements, parseNameSources, stageNameSources, type NameSource } from './name-sources.js';
export { TEAMS, TEAM_TRICODES, ODDS_PROCESSOR, seedTeams, resolveOddsTeams, oddsTeamStatements, stageTeams, teamStatements, type Team } from './teams.js';
export { NAME_SOURCES, buildRegistry, registryStatements, registrySummary, type RegistryBuildSummary } from './build-registry.js';
export { PLAYER_NAME_RESOLUTION_DDL, PLAYER_NAME_RESOLUTION_VIEW } from './resolution.js';
export { PROP_LINES_PROCESSOR, SHARED_NAME_PROCESSOR, recordRegistryFailures, sharedNameFailureStatements, recordUnresolvedPropNames, registryFailureStatements, unresolvedPropNameStatements, type RegistryFailureSource } from './failures.js';
export {
  FAILURE_STATUS_SQL,
  addManualAlias,
  findRegistryPlayer,
  pendingFailures,
  reprocessResolved,
  type DateRebuilder,
  type Downstream,
  type DownstreamOutcome,
  type ReprocessOutcome,
  type ReprocessResult,
} from './lifecycle.js';
