// `courtside ingest`: raw files → nba_raw → registry → Phase 3, all in ONE transaction, so a bad
// file leaves the warehouse exactly as it was. Loading a season replaces that season's rows,
// so running it twice leaves identical tables.
import { coverSpans, removeOrphans, seasonSpan, type DateSpan, type OrphanCount } from '../engine/orphans.js';
import { PROCESSORS } from '../processors/index.js';
import { basename } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse.js';
import { noSpaceError } from '../core/no-space.js';
import { seasonWindow } from '../core/dates.js';
import { forgetLandedIngests } from './landing/landing-schema.js';
import { buildPhase3, type Phase3Summary } from './phase3/build-phase3.js';
import { loadOdds } from './raw/load-odds.js';
import { loadPlayByPlay, type PlayByPlayLoad } from './raw/load-play-by-play.js';
import { PLAYER_PROP_MARKETS_SQL, loadProps } from './raw/load-props.js';
import { buildRegistry, ensureResolutionView, type RegistryBuildSummary } from './registry/build-registry.js';
import { recordUnresolvedPropNames } from './registry/failures.js';
import { loadNameSources } from './registry/name-sources.js';
import { resolveOddsTeams, seedTeams } from './registry/teams.js';
import { storagePaths } from './raw/storage-paths.js';
import { seasonFiles, type SeasonFiles } from './sources.js';

export interface IngestOptions {
  readonly dataDir: string;
  readonly seasons: readonly string[];
  readonly runId: string;
  readonly log?: (line: string) => void;
}

export interface SeasonIngest {
  readonly season: string;
  readonly playByPlay: PlayByPlayLoad;
  readonly oddsRows: number;
  readonly propRows: number;
}

export interface IngestSummary {
  readonly runId: string;
  readonly seasons: readonly SeasonIngest[];
  readonly registry: RegistryBuildSummary;
  readonly phase3: Phase3Summary;
  readonly unresolvedOddsTeams: number;
  readonly unresolvedPropNames: number;
  readonly pendingRegistryFailures: number;
  /** Phase 4 outputs, statuses and failures removed from dates of these seasons that are no longer game dates. */
  readonly orphansRemoved: readonly OrphanCount[];
  readonly durationMs: number;
}

export async function ingest(wh: Warehouse, options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  // Resolve every file before opening the transaction: a missing season is a usage error.
  const files = options.seasons.map((s) => seasonFiles(options.dataDir, s));
  // Peak memory is bounded by the warehouse's buffer-pool limit (it spills beyond it).
  const storage = await storagePaths(wh);
  return wh.transaction((tx) => ingestInTransaction(tx, options, files, started, log)).catch((err: unknown) => {
    throw noSpaceError(err, storage, 'the ingest was rolled back and the warehouse is as it was') ?? err;
  });
}

async function ingestInTransaction(
  tx: Warehouse,
  options: IngestOptions,
  files: readonly SeasonFiles[],
  started: number,
  log: (line: string) => void,
): Promise<IngestSummary> {
  {
    // Each season's game dates before this load: dates it loses must not keep Phase 4 partitions.
    const previousSpans = new Map<number, DateSpan | null>();
    for (const f of files) previousSpans.set(f.seasonYear, await seasonSpan(tx, f.seasonYear));
    // A line as each stage starts (the play-by-play alone takes tens of seconds); the counts come in the summary.
    log(`loading player names from ${options.dataDir}`);
    await loadNameSources(tx, options.dataDir, options.runId);
    await seedTeams(tx);
    const seasons: SeasonIngest[] = [];
    for (const f of files) {
      log(`${f.season}: loading play-by-play (${basename(f.playByPlay)})`);
      const playByPlay = await loadPlayByPlay(tx, f, options.runId);
      log(`${f.season}: loading odds and prop lines`);
      const oddsRows = await loadOdds(tx, f, options.runId);
      const propRows = await loadProps(tx, f, options.runId);
      seasons.push({ season: f.season, playByPlay, oddsRows, propRows });
      // The season's rows were replaced: landed dates of it must be ingested again when asked.
      await forgetLandedIngests(tx, seasonWindow(f.seasonYear));
    }
    log('registry: resolving names');
    const { unresolvedNames } = await resolveOddsTeams(tx, options.runId);
    const registry = await buildRegistry(tx, options.runId);
    await ensureResolutionView(tx);
    log('phase 3: building game summaries and pre-game contexts');
    const phase3 = await buildPhase3(tx, { seasonYears: files.map((f) => f.seasonYear), runId: options.runId });
    const orphansRemoved = await removeSeasonOrphans(tx, files, previousSpans);
    const markets = await tx.query<{ prop: string }>(PLAYER_PROP_MARKETS_SQL);
    const unresolvedPropNames = await recordUnresolvedPropNames(tx, options.runId, { props: markets.map((m) => m.prop) });
    const [pending] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM nba_processing.registry_failures WHERE resolved_at IS NULL`);
    return {
      runId: options.runId,
      seasons,
      registry,
      phase3,
      unresolvedOddsTeams: unresolvedNames,
      unresolvedPropNames,
      pendingRegistryFailures: pending?.n ?? 0,
      orphansRemoved,
      durationMs: Date.now() - started,
    };
  }
}

/** Per processor, the orphans removed over every re-ingested season's old and new span of game dates. */
async function removeSeasonOrphans(tx: Warehouse, files: readonly SeasonFiles[], previous: ReadonlyMap<number, DateSpan | null>): Promise<OrphanCount[]> {
  const total = new Map<string, OrphanCount>();
  for (const f of files) {
    const span = coverSpans(previous.get(f.seasonYear) ?? null, await seasonSpan(tx, f.seasonYear));
    if (!span) continue;
    for (const c of await removeOrphans(tx, PROCESSORS, span)) {
      const t = total.get(c.processor);
      total.set(c.processor, t ? { ...c, dates: t.dates + c.dates, rows: t.rows + c.rows, statuses: t.statuses + c.statuses, failures: t.failures + c.failures } : c);
    }
  }
  return [...total.values()];
}

export function describeIngest(s: IngestSummary): string {
  const lines = [`ingest ${s.runId} finished in ${(s.durationMs / 1000).toFixed(1)} s`];
  for (const season of s.seasons) {
    const p = season.playByPlay;
    lines.push(
      `  ${season.season}: ${p.rowsRead} raw events read, ${p.duplicatesDropped} duplicates dropped, ${p.rowsLoaded} loaded; ` +
        `${season.oddsRows} odds rows; ${season.propRows} prop-line rows`,
    );
  }
  lines.push(`  registry: ${s.registry.players} players, ${s.registry.ambiguousLookups} ambiguous lookups`);
  lines.push(
    `  phase 3: ${s.phase3.games} games, ${s.phase3.teamGames} team-games, ${s.phase3.playerGames} player-games, ` +
      `${s.phase3.playerContexts} player contexts, ${s.phase3.teamContexts} team contexts`,
  );
  lines.push(
    `  name resolution: ${s.unresolvedPropNames} unresolved prop-line names, ${s.unresolvedOddsTeams} unresolved odds team names, ` +
      `${s.phase3.unresolvedPlayers} unresolved box-score players; ${s.pendingRegistryFailures} pending (courtside registry pending)`,
  );
  const orphans = s.orphansRemoved.filter((o) => o.dates > 0);
  if (orphans.length > 0) {
    lines.push(
      `  phase 4: removed what no longer has a game date — ` +
        orphans.map((o) => `${o.processor}: ${o.rows} rows, ${o.statuses} statuses, ${o.failures} failures on ${o.dates} dates`).join('; '),
    );
  }
  return lines.join('\n');
}

