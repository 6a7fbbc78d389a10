// Incremental ingest: one game date's landed files → nba_raw → registry (newcomers) → Phase 3, in
// ONE transaction, touching only what that date reaches: its games' rows (schedule, player and team
// summaries; the same SQL files as the season build) and the pre-game contexts of that date and the
// later dates of its season. A bad file rolls the date back and names the file; other dates are
// not affected. A date whose landed inputs have not changed since its last ingest is skipped.
import type { IsoDate } from '../../core/dates.js';
import { addDays, seasonYearOf } from '../../core/dates.js';
import { errorMessage } from '../../core/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildGameTables, rebuildContexts } from '../phase3/build-phase3.js';
import { PLAYER_PROP_MARKETS_SQL } from '../raw/load-props.js';
import { dropStaged } from '../raw/stage.js';
import { addNewPlayers } from '../registry/build-registry.js';
import { recordUnresolvedPropNames } from '../registry/failures.js';
import { resolveOddsTeams } from '../registry/teams.js';
import { WriteUnit } from '../write-unit.js';
import { landedInputs, type LandedInputs } from './landed-inputs.js';
import { landedOddsStatements, stageLandedOdds, type StagedLandedOdds } from './load-landed-odds.js';
import { landedGamesStatements, stageLandedGames, type StagedLandedGames } from './load-landed-pbp.js';
import { referenceDataStatements, stageReferenceData, type StagedReferenceData } from './reference-data.js';

export type LandedDateStatus = 'ingested' | 'unchanged' | 'nothing_landed' | 'failed';

export interface LandedDateIngest {
  readonly date: IsoDate;
  readonly status: LandedDateStatus;
  readonly fingerprint: string | null;
  readonly games: {
    readonly scheduled: number;
    readonly final: number;
    readonly loaded: number;
    /** Final in the schedule, but no play-by-play landed (fetch failed or pending). */
    readonly missing: readonly string[];
    readonly notFinal: readonly string[];
    readonly postponed: readonly string[];
  };
  readonly actionsRead: number;
  readonly rowsLoaded: number;
  readonly duplicatesDropped: number;
  readonly newPlayers: number;
  readonly playerGames: number;
  readonly contextDates: number;
  /**
   * The first date whose Phase 4 partitions this ingest can change: the date itself when its own
   * pre-game inputs (schedule rows, lines) changed, else the next day (by the as-of rule a date's
   * partitions read only earlier games). Null when nothing was ingested.
   */
  readonly reachesFrom: IsoDate | null;
  readonly playerContexts: number;
  readonly teamContexts: number;
  readonly gameLines: number;
  readonly propLines: number;
  readonly unresolved: { readonly boxPlayers: number; readonly oddsTeams: number; readonly propNames: number };
  readonly error?: string;
  /** The file to blame when the date failed on bad input. */
  readonly file?: string;
  readonly durationMs: number;
  /** Milliseconds per stage of the transaction (for benchmarks and slow-night diagnosis). */
  readonly timings?: Readonly<Record<string, number>>;
}

export interface IngestLandedOptions {
  readonly landingDir: string;
  readonly runId: string;
  readonly bookmakers: readonly string[];
  /**
   * Ingest even when the landed inputs are unchanged since the date's last ingest, and take a final
   * game's play-by-play that the fetch judged incomplete (short of the schedule's final score).
   */
  readonly force?: boolean;
  readonly log?: (line: string) => void;
}

function emptyResult(date: IsoDate, status: LandedDateStatus, inputs: LandedInputs | null, started: number, extra: Partial<LandedDateIngest> = {}): LandedDateIngest {
  const games = inputs?.games ?? [];
  return {
    date,
    status,
    fingerprint: inputs?.fingerprint ?? null,
    games: {
      scheduled: games.length,
      final: games.filter((g) => g.state === 'final').length,
      loaded: 0,
      missing: games.filter((g) => g.state === 'final' && !inputs?.playByPlay.has(g.gameId)).map((g) => g.gameId),
      notFinal: games.filter((g) => g.state === 'scheduled' || g.state === 'in_progress').map((g) => g.gameId),
      postponed: games.filter((g) => g.state === 'postponed').map((g) => g.gameId),
    },
    actionsRead: 0,
    rowsLoaded: 0,
    duplicatesDropped: 0,
    newPlayers: 0,
    playerGames: 0,
    contextDates: 0,
    reachesFrom: null,
    playerContexts: 0,
    teamContexts: 0,
    gameLines: 0,
    propLines: 0,
    unresolved: { boxPlayers: 0, oddsTeams: 0, propNames: 0 },
    durationMs: Date.now() - started,
    ...extra,
  };
}

/** Ingests one date; never throws for bad input: the result says `failed` and names the file. */
export async function ingestLandedDate(wh: Warehouse, date: IsoDate, o: IngestLandedOptions): Promise<LandedDateIngest> {
  const started = Date.now();
  let inputs: LandedInputs | null = null;
  try {
    inputs = landedInputs(o.landingDir, date, { incomplete: o.force === true });
    const landed = inputs;
    if (landed.games.length === 0 && landed.playByPlay.size === 0 && !landed.gameLines && landed.props.length === 0) {
      return emptyResult(date, 'nothing_landed', landed, started);
    }
    const [previous] = await wh.query<{ fingerprint: string }>(`SELECT fingerprint FROM nba_raw.landing_ingests WHERE game_date = CAST($date AS DATE)`, { date });
    if (!o.force && previous?.fingerprint === landed.fingerprint) return emptyResult(date, 'unchanged', landed, started);
    // Staged and checked first (on BigQuery: load jobs into staging tables, outside any transaction),
    // then written in one transaction (DuckDB's holds the staging too; BigQuery's is a session).
    const work = async (w: Warehouse): Promise<LandedDateIngest> => {
      const staged = await stageLanded(w, landed, o);
      try {
        return await w.transaction((tx) => ingestInTransaction(tx, landed, o, started, staged));
      } finally {
        if (w.dialect === 'bigquery') await dropStaged(w, [staged.ref.names?.staged, staged.ref.teams, staged.games.staged, staged.odds.lines?.staged, staged.odds.props?.staged]).catch(() => undefined);
      }
    };
    const result = wh.dialect === 'duckdb' ? await wh.transaction(work) : await work(wh);
    o.log?.(`${date}: ${result.games.loaded} games (${result.rowsLoaded} events), ${result.playerGames} player-games, contexts for ${result.contextDates} dates`);
    return result;
  } catch (err) {
    const file = (err as { file?: unknown }).file;
    o.log?.(`${date}: ingest failed and was rolled back: ${errorMessage(err)}`);
    return emptyResult(date, 'failed', inputs, started, { error: errorMessage(err), ...(typeof file === 'string' ? { file } : {}) });
  }
}

interface StagedLanded {
  readonly ref: StagedReferenceData;
  readonly games: StagedLandedGames;
  readonly odds: StagedLandedOdds;
}

/** Everything the date landed, parsed, staged and checked: a bad file fails here, before any write. */
async function stageLanded(w: Warehouse, inputs: LandedInputs, o: IngestLandedOptions): Promise<StagedLanded> {
  const ref = await stageReferenceData(w);
  const games = inputs.games.flatMap((g) => {
    const file = g.state === 'final' ? inputs.playByPlay.get(g.gameId) : undefined;
    return file ? [{ file: file.path, gameId: g.gameId }] : [];
  });
  return {
    ref,
    games: await stageLandedGames(w, { games, date: inputs.date }),
    odds: await stageLandedOdds(w, { lines: inputs.gameLines?.path ?? null, props: inputs.props.map((f) => ({ path: f.path, fetchedAt: f.fetchedAt })), bookmakers: o.bookmakers }),
  };
}

async function ingestInTransaction(tx: Warehouse, inputs: LandedInputs, o: IngestLandedOptions, started: number, staged: StagedLanded): Promise<LandedDateIngest> {
  const { date } = inputs;
  const range = { from: date, to: date };
  const seasonYear = seasonYearOf(date);
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (stage: string) => {
    timings[stage] = Date.now() - mark;
    mark = Date.now();
  };
  const raw = new WriteUnit(tx.dialect);
  referenceDataStatements(raw, staged.ref, o.runId);
  const { actionsRead, rowsLoaded } = landedGamesStatements(raw, staged.games, o.runId);
  // A game called off after it was loaded (it happens) must not stay in the season.
  for (const g of inputs.games.filter((x) => x.state === 'postponed')) {
    raw.add(`DELETE FROM nba_raw.play_by_play WHERE game_id = $game_id`, { game_id: g.gameId });
  }
  await raw.run(tx);

  lap('play_by_play');
  const newcomers = await addNewPlayers(tx, range);
  lap('registry');
  const slateSql = `SELECT string_agg(game_id || ':' || home_team_abbr || ':' || away_team_abbr, ',' ORDER BY game_id) AS s FROM nba_reference.schedule WHERE game_date = CAST($date AS DATE)`;
  const slateBefore = (await tx.query<{ s: string | null }>(slateSql, { date }))[0]?.s ?? null;
  const { unresolvedPlayers } = await buildGameTables(tx, { ...range, runId: o.runId });
  lap('game_tables');
  // Games without play-by-play yet (tonight's slate, a final still missing): the schedule's word.
  for (const g of inputs.games.filter((x) => x.state !== 'postponed')) {
    await tx.exec(
      `INSERT INTO nba_reference.schedule (game_id, game_date, season_year, home_team_abbr, away_team_abbr, home_points, away_points, ot_periods, processed_at, run_id)
       SELECT $game_id, CAST($date AS DATE), $season_year, $home, $away, $home_points, $away_points, NULL, CAST(current_timestamp AS TIMESTAMP), $run_id
       FROM (SELECT 1 AS one) AS one_row -- GoogleSQL allows no WHERE in a SELECT without FROM
       WHERE NOT EXISTS (SELECT 1 FROM nba_reference.schedule WHERE game_id = $game_id)`,
      {
        game_id: g.gameId,
        date,
        season_year: seasonYear,
        home: g.homeTricode,
        away: g.awayTricode,
        home_points: g.state === 'final' ? g.homeScore : null,
        away_points: g.state === 'final' ? g.awayScore : null,
        run_id: o.runId,
      },
      // NULL until the game is final: BigQuery needs the type of a NULL parameter
      { paramTypes: { home_points: 'INT64', away_points: 'INT64' } },
    );
  }

  lap('schedule');
  const lines = new WriteUnit(tx.dialect);
  const { gameLines, propLines } = landedOddsStatements(lines, staged.odds, { date, runId: o.runId });
  await lines.run(tx);
  const oddsTeams = staged.odds.lines ? (await resolveOddsTeams(tx, o.runId, range)).unresolvedNames : 0;

  lap('odds');
  // The pre-game contexts this date reaches: every later date of its season (their windows and
  // season averages read its games), and its own only when its own inputs changed — the games of a
  // date never enter that date's contexts (as-of rule), its schedule rows and lines do.
  const slateAfter = (await tx.query<{ s: string | null }>(slateSql, { date }))[0]?.s ?? null;
  const [previous] = await tx.query<{ lines_fingerprint: string }>(`SELECT lines_fingerprint FROM nba_raw.landing_ingests WHERE game_date = CAST($date AS DATE)`, { date });
  const ownChanged = !previous || previous.lines_fingerprint !== inputs.linesFingerprint || slateBefore !== slateAfter;
  const later = await tx.query<{ game_date: string }>(
    `SELECT DISTINCT game_date FROM nba_reference.schedule WHERE season_year = $season_year AND game_date >= CAST($date AS DATE) ORDER BY 1`,
    { season_year: seasonYear, date },
  );
  const contextDates = later.map((r) => r.game_date).filter((d) => ownChanged || d > date);
  await rebuildContexts(tx, { dates: contextDates, runId: o.runId, tables: 'both' });
  lap('contexts');
  const markets = await tx.query<{ prop: string }>(PLAYER_PROP_MARKETS_SQL);
  const propNames = propLines > 0 ? await recordUnresolvedPropNames(tx, o.runId, { props: markets.map((m) => m.prop), range }) : 0;

  const [counts] = await tx.query<{ player_games: number; player_contexts: number; team_contexts: number; loaded_games: number }>(
    `SELECT (SELECT count(*) FROM nba_analytics.player_game_summary WHERE game_date = CAST($date AS DATE)) AS player_games,
            (SELECT count(DISTINCT game_id) FROM nba_raw.play_by_play WHERE game_date = CAST($date AS DATE)) AS loaded_games,
            (SELECT count(*) FROM nba_analytics.upcoming_player_game_context WHERE game_date >= CAST($date AS DATE) AND season_year = $season_year) AS player_contexts,
            (SELECT count(*) FROM nba_analytics.upcoming_team_game_context WHERE game_date >= CAST($date AS DATE) AND season_year = $season_year) AS team_contexts`,
    { date, season_year: seasonYear },
  );
  const result = emptyResult(date, 'ingested', inputs, started, {
    actionsRead,
    rowsLoaded,
    duplicatesDropped: actionsRead - rowsLoaded,
    newPlayers: newcomers.added,
    playerGames: counts?.player_games ?? 0,
    contextDates: contextDates.length,
    reachesFrom: ownChanged ? date : addDays(date, 1),
    playerContexts: counts?.player_contexts ?? 0,
    teamContexts: counts?.team_contexts ?? 0,
    gameLines,
    propLines,
    unresolved: { boxPlayers: unresolvedPlayers, oddsTeams, propNames },
  });
  lap('counts');
  const final = { ...result, games: { ...result.games, loaded: counts?.loaded_games ?? 0 }, durationMs: Date.now() - started, timings };
  await tx.exec(`DELETE FROM nba_raw.landing_ingests WHERE game_date = CAST($date AS DATE)`, { date });
  await tx.exec(
    `INSERT INTO nba_raw.landing_ingests (game_date, fingerprint, lines_fingerprint, files, run_id, ingested_at, summary)
     VALUES (CAST($date AS DATE), $fingerprint, $lines_fingerprint, $files, $run_id, CAST(current_timestamp AS TIMESTAMP), $summary)`,
    {
      date,
      fingerprint: inputs.fingerprint,
      lines_fingerprint: inputs.linesFingerprint,
      files: inputs.playByPlay.size + inputs.props.length + (inputs.gameLines ? 1 : 0),
      run_id: o.runId,
      summary: JSON.stringify(final),
    },
  );
  return final;
}

/** Several dates in ascending order, each in its own transaction; one date's failure does not stop the others. */
export async function ingestLandedDates(wh: Warehouse, dates: readonly IsoDate[], o: IngestLandedOptions): Promise<LandedDateIngest[]> {
  const out: LandedDateIngest[] = [];
  for (const date of [...dates].sort()) out.push(await ingestLandedDate(wh, date, o));
  return out;
}
