// Raw play-by-play → nba_raw.play_by_play. Validates every typed value with its row, then
// deduplicates on (game, action number): the source repeats each event 2–4 times. The checks are
// queries over the staged file (nothing is written until every file of the ingest has passed); the
// writes are statements of the ingest's one atomic unit.
import { InputError } from '../../core/errors.js';
import { seasonLabel, seasonWindow } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { WriteUnit } from '../write-unit.js';
import { loadLogSql } from './load-log.js';
import { checkRows, date8, scanStaged, teamCodeChecks, teamCodeParams, text, valueChecks, type StagedFile } from './stage.js';

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

/** A season's staged play-by-play with what it is checked against. */
export interface StagedSeasonPbp {
  readonly staged: StagedFile;
  readonly season: string;
  readonly seasonYear: number;
}

const int = (c: string) => `CAST(trim(${text(c)}) AS INT64)`;
const id = (c: string) => `CAST(NULLIF(trim(${text(c)}), '') AS INT64)`;
/** The tags of `qualifier` ("['2ndchance', 'pointsinthepaint']") without brackets and quotes: '2ndchance, pointsinthepaint'. */
const TAGS = `replace(replace(replace(coalesce(${text('qualifier')}, ''), '[', ''), ']', ''), chr(39), '')`;
/** The feed's game id (22100001) as ours (0022100001). */
export const GAME_ID = (c: string) => `lpad(CAST(${int(c)} AS STRING), 10, '0')`;

/**
 * Inserts a staged play-by-play (the feed's columns as text, already validated) into
 * nba_raw.play_by_play, keeping each (game, action number)'s first row in file order. The caller
 * deletes what the rows replace. Shared by the season files and the landed per-game feed.
 * Lists: `players_on` is '|'-joined ids; `qualifier` a Python list literal (['2ndchance', 'pointsinthepaint']).
 */
export function insertPlayByPlaySql(staged: StagedFile): string {
  return `INSERT INTO nba_raw.play_by_play (game_id, game_date, season_year, team_abbr, opponent_team_abbr, team_id, period, clock_seconds,
       action_number, action_type, description, qualifiers, player_name, person_id, score_home, score_away, shot_result, is_field_goal,
       assisted, assister_id, foul_drawn_person_id, steal_person_id, block_person_id, players_on, source_file, loaded_at)
SELECT ${GAME_ID('game_id')}, ${date8(`trim(${text('date')})`)}, ${int('season_year')} - 1,
       team, opp_team, ${id('teamId')}, ${int('period')},
       -- whole minutes and decimal seconds of 'PT11M44.00S' (time left in the period)
       CAST(regexp_extract(clock, 'PT([0-9]+)M', 1) AS INT64) * 60 + CAST(regexp_extract(clock, 'M([0-9.]+)S', 1) AS NUMERIC(18, 3)),
       ${int('actionNumber')}, actionType, description,
       CASE WHEN ${TAGS} = '' THEN [] ELSE split(${TAGS}, ', ') END,
       playerName, ${id('person_id')}, ${int('scoreHome')}, ${int('scoreAway')},
       NULLIF(shotResult, ''), lower(${text('isFieldGoal')}) IN ('true', '1'), lower(${text('assisted')}) IN ('true', '1'),
       ${id('assister_id')}, ${id('foulDrawnPersonId')}, ${id('stealPersonId')}, ${id('blockPersonId')},
       CASE WHEN coalesce(${text('players_on')}, '') = '' THEN [] ELSE {{int64_array(split(${text('players_on')}, '|'))}} END,
       $file, CAST(current_timestamp AS TIMESTAMP)
FROM ${staged.source} s
-- Deduplicate before transforming: each (game, action number)'s first row in file order, found by a
-- narrow aggregate over row numbers rather than a window over the whole wide file.
WHERE s.stage_row IN (SELECT min(stage_row) FROM ${staged.source} d GROUP BY ${int('d.game_id')}, ${int('d.actionNumber')})`;
}

/** The season's writes: its rows replaced by the staged file's, deduplicated, and the load logged. */
export function playByPlayStatements(unit: WriteUnit, s: StagedSeasonPbp, runId: string): void {
  unit.add(`DELETE FROM nba_raw.play_by_play WHERE season_year = $season_year`, { season_year: s.seasonYear });
  unit.add(insertPlayByPlaySql(s.staged), { file: s.staged.file, ...s.staged.params });
  unit.add(loadLogSql('nba_raw.play_by_play', `(SELECT count(*) FROM nba_raw.play_by_play WHERE season_year = $season_year)`), {
    run_id: runId,
    file: s.staged.file,
    rows_read: s.staged.rows,
    season_year: s.seasonYear,
  });
}

/** What the play-by-play load of a run did, from its load_log row (after the unit ran). */
export async function playByPlayLoad(wh: Warehouse, runId: string, file: string): Promise<PlayByPlayLoad> {
  const [r] = await wh.query<{ rows_read: number; rows_loaded: number; duplicates_dropped: number }>(
    `SELECT rows_read, rows_loaded, duplicates_dropped FROM nba_raw.load_log WHERE run_id = $run_id AND source_file = $file AND target_table = 'nba_raw.play_by_play'`,
    { run_id: runId, file },
  );
  return { file, rowsRead: Number(r?.rows_read ?? 0), rowsLoaded: Number(r?.rows_loaded ?? 0), duplicatesDropped: Number(r?.duplicates_dropped ?? 0) };
}

/**
 * Every check a staged play-by-play must pass (typed values, team codes, season, dates, games in
 * one season's file only), with its row. `elsewhere`: the seasons this ingest replaces (their stored
 * rows do not count) and the files staged before this one.
 */
export async function validateStagedPlayByPlay(
  wh: Warehouse,
  staged: StagedFile,
  season: { readonly season: string; readonly seasonYear: number },
  elsewhere: { readonly replacing: readonly number[]; readonly earlier: readonly StagedSeasonPbp[] } = { replacing: [season.seasonYear], earlier: [] },
): Promise<void> {
  const window = seasonWindow(season.seasonYear);
  // One query for the row checks, which take precedence in this order (as if run one after another).
  await checkRows(
    wh,
    staged,
    [
      valueChecks(
        {
          game_id: 'integer', date: 'date8', season_year: 'integer', teamId: 'integer', period: 'integer', clock: 'iso_clock',
          actionNumber: 'integer', person_id: 'integer', scoreHome: 'integer', scoreAway: 'integer', isFieldGoal: 'boolean',
          assisted: 'boolean', assister_id: 'integer', foulDrawnPersonId: 'integer', stealPersonId: 'integer', blockPersonId: 'integer',
          players_on: 'id_list',
        },
        ['game_id', 'date', 'season_year', 'team', 'period', 'clock', 'actionNumber'],
      ),
      ...teamCodeChecks(['team', 'opp_team']),
      // The source's season_year names the season's end (2022 = 2021-22); ours names its start.
      [{ column: 'season_year', predicate: (v) => `{{try_cast(trim(${v}), INT64)}} - 1 <> $season_year`, message: (v) => `season_year ${v} does not belong to season ${season.season}` }],
      // Every event's date lies in its season's window: a game dated 2099 or in another season is refused.
      // 'date' is YYYYMMDD (checked above), so comparing the text compares the dates.
      [{
        column: 'date',
        predicate: (v) => `(trim(${v}) < $from OR trim(${v}) > $to)`,
        message: (v) => `column 'date' has value '${v}', outside season ${season.season} (${window.from}..${window.to})`,
      }],
    ],
    { ...teamCodeParams(), season_year: season.seasonYear, from: window.from.replace(/-/g, ''), to: window.to.replace(/-/g, '') },
  );
  await checkGamesNotElsewhere(wh, staged, elsewhere);
}

/**
 * A game may be in one season's file only: the same game in two files would be merged into one
 * season by Phase 3 and leave the other without it. Compared with every other season stored in
 * nba_raw (loaded by a previous ingest) and with the files this ingest staged before, naming the
 * file it came from.
 */
async function checkGamesNotElsewhere(wh: Warehouse, staged: StagedFile, elsewhere: { readonly replacing: readonly number[]; readonly earlier: readonly StagedSeasonPbp[] }): Promise<void> {
  const params: Record<string, unknown> = { replacing: [...elsewhere.replacing] };
  const earlier = elsewhere.earlier.map((e, i) => {
    Object.assign(params, e.staged.params, { [`earlier_file_${i}`]: e.staged.file, [`earlier_season_${i}`]: e.seasonYear });
    return `UNION ALL
       SELECT ${GAME_ID('raw_id')} AS game_id, $earlier_file_${i} AS source_file, $earlier_season_${i} AS season_year FROM (SELECT DISTINCT game_id AS raw_id FROM ${e.staged.source}) e${i}`;
  });
  const [clash] = await scanStaged<{ row_number: number; game_id: string; source_file: string; season_year: number }>(
    wh,
    staged,
    `WITH first_rows AS (
       SELECT game_id AS raw_id, min(stage_row) + 1 AS row_number FROM ${staged.source} GROUP BY game_id
     ),
     here AS (
       SELECT ${GAME_ID('raw_id')} AS game_id, row_number FROM first_rows
     ),
     stored AS (
       SELECT game_id, source_file, season_year FROM nba_raw.play_by_play
       WHERE season_year NOT IN (SELECT * FROM UNNEST($replacing)) AND game_id IN (SELECT game_id FROM here)
       ${earlier.join('\n       ')}
     ),
     elsewhere AS (
       SELECT game_id, min(source_file) AS source_file, min(season_year) AS season_year FROM stored GROUP BY game_id
     )
     SELECT h.row_number, h.game_id, e.source_file, e.season_year
     FROM here h JOIN elsewhere e ON e.game_id = h.game_id
     ORDER BY h.row_number LIMIT 1`,
    params as never,
  );
  if (clash) {
    throw new InputError(
      staged.file,
      `game ${clash.game_id} is also in ${clash.source_file} (season ${seasonLabel(clash.season_year)}); a game belongs to one season's file`,
      clash.row_number,
    );
  }
}
