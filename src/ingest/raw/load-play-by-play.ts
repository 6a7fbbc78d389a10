// Raw play-by-play → nba_raw.play_by_play. Validates every typed value with its row, then
// deduplicates on (game, action number): the source repeats each event 2–4 times.
import { InputError } from '../../core/errors.js';
import { seasonLabel, seasonWindow } from '../../core/dates.js';
import { recordLoad } from './load-log.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { SeasonFiles } from '../sources.js';
import { checkTeamCodes, checkValues, dropStaged, scanStaged, stageFile, type StagedFile } from './stage.js';

export const PBP_REQUIRED_COLUMNS = [
  'game_id', 'date', 'season_year', 'team', 'opp_team', 'teamId', 'period', 'clock', 'actionNumber', 'actionType',
  'description', 'qualifier', 'playerName', 'person_id', 'scoreHome', 'scoreAway', 'shotResult', 'isFieldGoal',
  'assisted', 'assister_id', 'foulDrawnPersonId', 'stealPersonId', 'blockPersonId', 'players_on',
] as const;

export interface PlayByPlayLoad {
  readonly file: string;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly duplicatesDropped: number;
}

const id = (c: string) => `TRY_CAST(NULLIF(trim(CAST("${c}" AS VARCHAR)), '') AS BIGINT)`;

export async function loadPlayByPlay(tx: Warehouse, files: SeasonFiles, runId: string): Promise<PlayByPlayLoad> {
  const file = files.playByPlay;
  const staged = await stageFile(tx, file, 'stg_pbp', PBP_REQUIRED_COLUMNS);
  await validateStagedPlayByPlay(tx, staged, files);

  await tx.exec(`DELETE FROM nba_raw.play_by_play WHERE season_year = $season_year`, { season_year: files.seasonYear });
  await insertPlayByPlay(tx, staged, file);
  const [loaded] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.play_by_play WHERE season_year = $season_year`, {
    season_year: files.seasonYear,
  });
  const rowsLoaded = loaded?.n ?? 0;
  const result = { file, rowsRead: staged.rows, rowsLoaded, duplicatesDropped: staged.rows - rowsLoaded };
  await recordLoad(tx, { runId, table: 'nba_raw.play_by_play', ...result });
  await dropStaged(tx, staged);
  return result;
}

/**
 * Inserts a staged play-by-play (the feed's columns, all text, already validated) into
 * nba_raw.play_by_play, keeping each (game, action number)'s first row in file order. The caller
 * deletes what the rows replace. Shared by the season files and the landed per-game feed.
 */
export async function insertPlayByPlay(tx: Warehouse, staged: StagedFile, file: string): Promise<void> {
  // Deduplicate before transforming: keep each (game, action number)'s first row in file order,
  // found by a narrow aggregate over row numbers rather than a window over the whole wide file.
  // Insertion order into nba_raw does not matter (every reader orders explicitly), so let DuckDB
  // insert in parallel; the setting is restored right after (CSV staging relies on it).
  await tx.exec('SET preserve_insertion_order = false');
  try {
    await tx.exec(
      `INSERT INTO nba_raw.play_by_play BY NAME
       SELECT lpad(CAST(CAST(game_id AS BIGINT) AS VARCHAR), 10, '0') AS game_id,
              CAST(strptime(CAST(date AS VARCHAR), '%Y%m%d') AS DATE) AS game_date,
              CAST(season_year AS INTEGER) - 1 AS season_year,
              team AS team_abbr, opp_team AS opponent_team_abbr, ${id('teamId')} AS team_id,
              CAST(period AS INTEGER) AS period,
              CAST(regexp_extract(clock, 'PT(\\d+)M', 1) AS INTEGER) * 60 + CAST(regexp_extract(clock, 'M([\\d.]+)S', 1) AS DOUBLE) AS clock_seconds,
              CAST(actionNumber AS INTEGER) AS action_number, actionType AS action_type, description,
              regexp_extract_all(coalesce(CAST(qualifier AS VARCHAR), ''), '''([^'']+)''', 1) AS qualifiers,
              playerName AS player_name, ${id('person_id')} AS person_id,
              CAST(scoreHome AS INTEGER) AS score_home, CAST(scoreAway AS INTEGER) AS score_away,
              NULLIF(shotResult, '') AS shot_result,
              lower(CAST(isFieldGoal AS VARCHAR)) IN ('true', '1') AS is_field_goal,
              lower(CAST(assisted AS VARCHAR)) IN ('true', '1') AS assisted,
              ${id('assister_id')} AS assister_id, ${id('foulDrawnPersonId')} AS foul_drawn_person_id,
              ${id('stealPersonId')} AS steal_person_id, ${id('blockPersonId')} AS block_person_id,
              list_transform(list_filter(string_split(coalesce(players_on, ''), '|'), x -> x <> ''), x -> CAST(x AS BIGINT)) AS players_on,
              $file AS source_file, now()::TIMESTAMP AS loaded_at
       FROM ${staged.source}
       WHERE ${staged.row} IN (SELECT min(${staged.row}) FROM ${staged.source} GROUP BY CAST(game_id AS BIGINT), CAST(actionNumber AS BIGINT))`,
      { file, ...staged.params },
    );
  } catch (err) {
    // The failed insert aborted the transaction, so RESET fails too: it must not hide the cause
    // (e.g. a full disk would read as "Current transaction is aborted").
    await tx.exec('RESET preserve_insertion_order').catch(() => undefined);
    throw err;
  }
  await tx.exec('RESET preserve_insertion_order');
}

/** Every check a staged play-by-play must pass (typed values, team codes, season), with its row. */
export async function validateStagedPlayByPlay(tx: Warehouse, staged: StagedFile, season: { readonly season: string; readonly seasonYear: number }): Promise<void> {
  await checkValues(tx, staged, {
    game_id: 'integer', date: 'date8', season_year: 'integer', teamId: 'integer', period: 'integer', clock: 'iso_clock',
    actionNumber: 'integer', person_id: 'integer', scoreHome: 'integer', scoreAway: 'integer', isFieldGoal: 'boolean',
    assisted: 'boolean', assister_id: 'integer', foulDrawnPersonId: 'integer', stealPersonId: 'integer', blockPersonId: 'integer',
  }, ['game_id', 'date', 'season_year', 'team', 'period', 'clock', 'actionNumber']);
  await checkTeamCodes(tx, staged, ['team', 'opp_team']);
  // The source's season_year names the season's end (2022 = 2021-22); ours names its start.
  const [wrongSeason] = await scanStaged<{ row_number: number; value: string }>(
    tx,
    staged,
    `SELECT ${staged.row} + 1 AS row_number, CAST(season_year AS VARCHAR) AS value FROM ${staged.source}
     WHERE CAST(season_year AS BIGINT) - 1 <> $season_year ORDER BY ${staged.row} LIMIT 1`,
    { season_year: season.seasonYear },
  );
  if (wrongSeason) throw new InputError(staged.file, `season_year ${wrongSeason.value} does not belong to season ${season.season}`, wrongSeason.row_number);
  await checkGameDates(tx, staged, season);
  await checkGamesNotElsewhere(tx, staged, season);
}

/** Every event's date lies in its season's window: a game dated 2099 or in another season is refused. */
async function checkGameDates(tx: Warehouse, staged: StagedFile, files: { readonly season: string; readonly seasonYear: number }): Promise<void> {
  const window = seasonWindow(files.seasonYear);
  // 'date' is YYYYMMDD (already checked), so comparing the text compares the dates.
  const [outside] = await scanStaged<{ row_number: number; value: string }>(
    tx,
    staged,
    `SELECT ${staged.row} + 1 AS row_number, date AS value FROM ${staged.source}
     WHERE trim(date) < $from OR trim(date) > $to ORDER BY ${staged.row} LIMIT 1`,
    { from: window.from.replace(/-/g, ''), to: window.to.replace(/-/g, '') },
  );
  if (outside) {
    throw new InputError(staged.file, `column 'date' has value '${outside.value}', outside season ${files.season} (${window.from}..${window.to})`, outside.row_number);
  }
}

/**
 * A game may be in one season's file only: the same game in two files would be merged into one
 * season by Phase 3 and leave the other without it. Compared with every other season already in
 * nba_raw (loaded earlier in this ingest or by a previous one), naming the file it came from.
 */
async function checkGamesNotElsewhere(tx: Warehouse, staged: StagedFile, files: { readonly seasonYear: number }): Promise<void> {
  const [clash] = await scanStaged<{ row_number: number; game_id: string; source_file: string; season_year: number }>(
    tx,
    staged,
    `WITH first_rows AS (
       SELECT game_id AS raw_id, min(${staged.row}) + 1 AS row_number FROM ${staged.source} GROUP BY game_id
     ),
     here AS (
       SELECT lpad(CAST(CAST(trim(raw_id) AS INT64) AS STRING), 10, '0') AS game_id, row_number FROM first_rows
     ),
     elsewhere AS (
       SELECT game_id, min(source_file) AS source_file, min(season_year) AS season_year
       FROM nba_raw.play_by_play
       WHERE season_year <> $season_year AND game_id IN (SELECT game_id FROM here)
       GROUP BY game_id
     )
     SELECT h.row_number, h.game_id, e.source_file, e.season_year
     FROM here h JOIN elsewhere e ON e.game_id = h.game_id
     ORDER BY h.row_number LIMIT 1`,
    { season_year: files.seasonYear },
  );
  if (clash) {
    throw new InputError(
      staged.file,
      `game ${clash.game_id} is also in ${clash.source_file} (season ${seasonLabel(clash.season_year)}); a game belongs to one season's file`,
      clash.row_number,
    );
  }
}
