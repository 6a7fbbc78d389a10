// `courtside ingest`: raw files → nba_raw → registry → Phase 3, so that a bad file leaves the
// warehouse exactly as it was. Two steps: every file is staged and checked first (queries only: an
// error names the file and row), then every write — raw rows, name sources, teams, registry, Phase 3
// with its audits, orphaned Phase 4 rows — goes in ONE atomic unit (WriteUnit): one transaction on
// DuckDB (staging included), one transaction script job on BigQuery (after one load job per file
// into staging tables). Loading a season replaces that season's rows, so running it twice leaves
// identical tables.
import { basename } from 'node:path';
import { noSpaceError } from '../core/no-space.js';
import { seasonWindow } from '../core/dates.js';
import { ORPHAN_COUNTS_SQL, orphanCounts, type OrphanCount } from '../engine/orphans.js';
import { orphanStatements } from '../engine/orphans.js';
import { PROCESSORS } from '../processors/index.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { forgetLandedStatements } from './landing/landing-schema.js';
import { asContextAuditError } from './phase3/context-audits.js';
import { phase3Statements, phase3Summary, type Phase3Summary } from './phase3/build-phase3.js';
import { oddsStatements, validateStagedOdds, ODDS_REQUIRED_COLUMNS, PLAUSIBLE_GAME_TOTAL } from './raw/load-odds.js';
import { PBP_REQUIRED_COLUMNS, playByPlayLoad, playByPlayStatements, validateStagedPlayByPlay, type PlayByPlayLoad, type StagedSeasonPbp } from './raw/load-play-by-play.js';
import { PROPS_REQUIRED_COLUMNS, propsStatements, validateStagedProps } from './raw/load-props.js';
import { dropStaged, stageFile, type StagedFile } from './raw/stage.js';
import { storagePaths } from './raw/storage-paths.js';
import { registryStatements, registrySummary, type RegistryBuildSummary } from './registry/build-registry.js';
import { PROP_LINES_PROCESSOR, unresolvedPropNameStatements } from './registry/failures.js';
import { nameSourceStatements, parseNameSources, stageNameSources, type ParsedNameSources } from './registry/name-sources.js';
import { ODDS_PROCESSOR, oddsTeamStatements, stageTeams, teamAliasRowsSql, teamStatements } from './registry/teams.js';
import { seasonFiles, type SeasonFiles } from './sources.js';
import { WriteUnit } from './write-unit.js';

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
  /** Odds rows whose total is no NBA game total (PLAUSIBLE_GAME_TOTAL): kept raw, unknown in Phase 3. */
  readonly implausibleTotals: readonly number[];
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
  log(`loading player names from ${options.dataDir}`);
  const names = parseNameSources(options.dataDir);
  if (wh.dialect !== 'duckdb') return ingestStaged(wh, options, files, names, started, log);
  // Peak memory is bounded by the warehouse's buffer-pool limit (it spills beyond it).
  const storage = await storagePaths(wh);
  return wh.transaction((tx) => ingestStaged(tx, options, files, names, started, log)).catch(async (err: unknown) => {
    // A unit that failed inside the transaction could not reset its settings there: done now, after the rollback.
    await resetUnitSettings(wh);
    throw noSpaceError(err, storage, 'the ingest was rolled back and the warehouse is as it was') ?? err;
  });
}

export interface StagedSeason {
  readonly files: SeasonFiles;
  readonly pbp: StagedFile;
  readonly odds: StagedFile | undefined;
  readonly props: StagedFile | undefined;
}

/** Stages and checks every file, then writes everything as one unit. */
async function ingestStaged(
  w: Warehouse,
  options: IngestOptions,
  files: readonly SeasonFiles[],
  parsed: ParsedNameSources,
  started: number,
  log: (line: string) => void,
): Promise<IngestSummary> {
  const staged: StagedFile[] = [];
  const keep = <T extends StagedFile | undefined>(s: T): T => (s && staged.push(s), s);
  try {
    const names = keep(await stageNameSources(w, parsed));
    const teams = keep(await stageTeams(w));
    // The team registry as this ingest will write it: odds name their teams through it.
    const aliases = { source: teamAliasRowsSql(teams.source, names.source), params: { ...teams.params, ...names.params } };
    const seasons: StagedSeason[] = [];
    const replacing = files.map((f) => f.seasonYear);
    for (const f of files) {
      log(`${f.season}: loading play-by-play (${basename(f.playByPlay)})`);
      const pbp = keep(await stageFile(w, f.playByPlay, `stg_pbp_${f.seasonYear}`, PBP_REQUIRED_COLUMNS));
      const earlier: StagedSeasonPbp[] = seasons.map((s) => ({ staged: s.pbp, season: s.files.season, seasonYear: s.files.seasonYear }));
      await validateStagedPlayByPlay(w, pbp, f, { replacing, earlier });
      log(`${f.season}: loading odds and prop lines`);
      const odds = f.odds ? keep(await stageFile(w, f.odds, `stg_odds_${f.seasonYear}`, ODDS_REQUIRED_COLUMNS)) : undefined;
      if (odds) await validateStagedOdds(w, odds, f, aliases);
      const props = f.props ? keep(await stageFile(w, f.props, `stg_props_${f.seasonYear}`, PROPS_REQUIRED_COLUMNS)) : undefined;
      if (props) await validateStagedProps(w, props, f);
      seasons.push({ files: f, pbp, odds, props });
    }

    log('registry and phase 3: names, game summaries and pre-game contexts (one transaction)');
    const unit = ingestStatements(w, { runId: options.runId, parsed, names, teams, seasons });
    const orphans = orphanCounts(await runIngestUnit(w, unit));
    const summary = await ingestSummary(w, options.runId, seasons, orphans, started);
    if (w.dialect === 'duckdb') await dropStaged(w, staged); // inside the transaction: nothing is left behind
    return summary;
  } finally {
    // BigQuery's staging tables are real tables: dropped whatever happened (one job).
    if (w.dialect === 'bigquery') await dropStaged(w, staged).catch(() => undefined);
  }
}

/** Every write of an ingest, in order, as one unit whose last statement returns the orphans removed. */
export function ingestStatements(
  w: Pick<Warehouse, 'dialect'>,
  a: { readonly runId: string; readonly parsed: ParsedNameSources; readonly names: StagedFile; readonly teams: StagedFile; readonly seasons: readonly StagedSeason[] },
): WriteUnit {
  const unit = new WriteUnit(w.dialect);
  nameSourceStatements(unit, a.names, a.parsed, a.runId);
  teamStatements(unit, a.teams);
  for (const s of a.seasons) {
    playByPlayStatements(unit, { staged: s.pbp, season: s.files.season, seasonYear: s.files.seasonYear }, a.runId);
    if (s.odds) oddsStatements(unit, s.odds, s.files, a.runId);
    if (s.props) propsStatements(unit, s.props, s.files, a.runId);
    // The season's rows were replaced: landed dates of it must be ingested again when asked.
    forgetLandedStatements(unit, seasonWindow(s.files.seasonYear));
  }
  oddsTeamStatements(unit, a.runId);
  registryStatements(unit);
  const seasonYears = a.seasons.map((s) => s.files.seasonYear);
  phase3Statements(unit, { seasonYears, runId: a.runId });
  // Phase 4 rows of dates of these seasons that are no longer game dates go in the same unit.
  orphanStatements(unit, PROCESSORS, seasonYears.map((y) => seasonWindow(y)));
  unresolvedPropNameStatements(unit, a.runId, { playerMarkets: true });
  unit.add(ORPHAN_COUNTS_SQL);
  return unit;
}

/**
 * Runs the unit. DuckDB: insertion order into nba_raw does not matter (every reader orders
 * explicitly), so DuckDB may insert in parallel while the unit runs; restored after (CSV staging
 * relies on it). A failed in-unit audit is reported as the ContextAuditError it is.
 *
 * DuckDB also leaves FSST out of the compression it tries while the unit runs. The raw
 * play-by-play is written (compressed) as it is inserted, and FSST is the costly candidate:
 * analysed on every text column of every row group and then decompressed by every Phase 3 read of
 * `description`, the one column it wins. Without it `description` is stored as a dictionary or
 * plain text (the other text columns keep their dictionaries): the same values, ~0.5 s less
 * CPU and ~0.3 s less wall per ingest of both seasons (medians of 5 interleaved runs) for a file
 * some 17 MB larger (98.6 -> 115.1 MB). The tables the unit writes in
 * smaller amounts are compressed at the checkpoint, after the unit, with every method.
 */
async function runIngestUnit(w: Warehouse, unit: WriteUnit): Promise<Row[]> {
  try {
    if (w.dialect !== 'duckdb') return await unit.run(w);
    await w.exec('SET preserve_insertion_order = false');
    await w.exec(`SET disabled_compression_methods = 'fsst'`);
    try {
      return await unit.run(w);
    } finally {
      // A failed unit aborted the transaction, so RESET fails here too (ingest resets after the
      // rollback): it must not hide the cause.
      await resetUnitSettings(w);
    }
  } catch (err) {
    throw asContextAuditError(err);
  }
}

/** The DuckDB settings runIngestUnit changes, back to their defaults (they are global); never fails. */
async function resetUnitSettings(w: Warehouse): Promise<void> {
  await w.exec('RESET preserve_insertion_order').catch(() => undefined);
  await w.exec('RESET disabled_compression_methods').catch(() => undefined);
}

async function ingestSummary(w: Warehouse, runId: string, seasons: readonly StagedSeason[], orphansRemoved: OrphanCount[], started: number): Promise<IngestSummary> {
  const seasonSummaries: SeasonIngest[] = [];
  for (const s of seasons) {
    const implausible = await w.query<{ game_total: number }>(
      `SELECT game_total FROM nba_raw.game_odds WHERE season_label = $season AND NOT (game_total BETWEEN $min AND $max) ORDER BY game_date, game_total`,
      { season: s.files.season, min: PLAUSIBLE_GAME_TOTAL.min, max: PLAUSIBLE_GAME_TOTAL.max },
    );
    seasonSummaries.push({
      season: s.files.season,
      playByPlay: await playByPlayLoad(w, runId, s.pbp.file),
      oddsRows: s.odds?.rows ?? 0,
      implausibleTotals: implausible.map((r) => Number(r.game_total)),
      propRows: s.props?.rows ?? 0,
    });
  }
  const [failures] = await w.query<{ odds_teams: number; prop_names: number; pending: number }>(
    `SELECT (SELECT count(*) FROM nba_processing.registry_failures WHERE run_id = $run_id AND processor_name = $odds) AS odds_teams,
            (SELECT count(*) FROM nba_processing.registry_failures WHERE run_id = $run_id AND processor_name = $props) AS prop_names,
            (SELECT count(*) FROM nba_processing.registry_failures WHERE resolved_at IS NULL) AS pending`,
    { run_id: runId, odds: ODDS_PROCESSOR, props: PROP_LINES_PROCESSOR },
  );
  return {
    runId,
    seasons: seasonSummaries,
    registry: await registrySummary(w),
    phase3: await phase3Summary(w, { seasonYears: seasons.map((s) => s.files.seasonYear), runId }),
    unresolvedOddsTeams: Number(failures?.odds_teams ?? 0),
    unresolvedPropNames: Number(failures?.prop_names ?? 0),
    pendingRegistryFailures: Number(failures?.pending ?? 0),
    orphansRemoved,
    durationMs: Date.now() - started,
  };
}

export function describeIngest(s: IngestSummary): string {
  const lines = [`ingest ${s.runId} finished in ${(s.durationMs / 1000).toFixed(1)} s`];
  for (const season of s.seasons) {
    const p = season.playByPlay;
    lines.push(
      `  ${season.season}: ${p.rowsRead} raw events read, ${p.duplicatesDropped} duplicates dropped, ${p.rowsLoaded} loaded; ` +
        `${season.oddsRows} odds rows; ${season.propRows} prop-line rows`,
    );
    if (season.implausibleTotals.length > 0) {
      lines.push(
        `    ${season.implausibleTotals.length} odds rows carry a total that is no NBA game total (${season.implausibleTotals.join(', ')}; ` +
          `outside ${PLAUSIBLE_GAME_TOTAL.min}..${PLAUSIBLE_GAME_TOTAL.max}): kept in nba_raw.game_odds, unknown in the game contexts`,
      );
    }
  }
  lines.push(
    `  registry: ${s.registry.players} players, ${s.registry.ambiguousLookups} ambiguous lookups` +
      (s.registry.sharedNames > 0
        ? `; ${s.registry.sharedNames} name(s) carried by two or more people (the later ones' lookup ends in their person id; ` +
          `sportsbook lines by such a name stay unresolved until \`registry alias\` says whom it means)`
        : ''),
  );
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

