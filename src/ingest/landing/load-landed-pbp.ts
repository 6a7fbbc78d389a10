// A date's landed playbyplayv3 responses → nba_raw.play_by_play: each file parsed (its structure
// checked), all of them staged as one table of text columns, validated by the season files' own
// rules (validateStagedPlayByPlay) with any bad value traced back to its file and action, then the
// games' rows replaced by the deduplicated actions (insertPlayByPlaySql).
import { seasonLabel, seasonYearOf, type IsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { loadLogSql } from '../raw/load-log.js';
import { GAME_ID, PBP_REQUIRED_COLUMNS, insertPlayByPlaySql, validateStagedPlayByPlay } from '../raw/load-play-by-play.js';
import { stageRows, type StagedFile } from '../raw/stage.js';
import type { WriteUnit } from '../write-unit.js';
import { parsePlayByPlay, type TextRow } from './pbp-feed.js';

export interface LandedGamesLoad {
  readonly games: number;
  readonly actionsRead: number;
  readonly rowsLoaded: number;
  readonly duplicatesDropped: number;
}

interface Part {
  readonly file: string;
  readonly offset: number;
  readonly count: number;
  /** Distinct (game, action number) pairs: what the insert keeps of the file. */
  kept: number;
}

/** The date's landed games, staged and checked: nothing is written yet. */
export interface StagedLandedGames {
  readonly staged: StagedFile | undefined;
  readonly parts: readonly Part[];
  readonly actionsRead: number;
  readonly label: string;
  readonly date: IsoDate;
}

/**
 * Runs `work` on the combined staging; an InputError it raises about a staged row is re-raised
 * against the landed file that row came from, with the action's position in that file.
 */
async function traced<T>(combined: string, parts: readonly Part[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof InputError) || err.file !== combined || err.row === undefined) throw err;
    const index = err.row - 1;
    const part = parts.find((p) => index >= p.offset && index < p.offset + p.count);
    if (!part) throw err;
    const prefix = `${err.file}, row ${err.row}: `;
    const reason = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    const action = index - part.offset + 1;
    throw new InputError(part.file, `action ${action}: ${reason}`, action, { cause: err });
  }
}

export async function stageLandedGames(w: Warehouse, args: { readonly games: readonly { readonly file: string; readonly gameId: string }[]; readonly date: IsoDate }): Promise<StagedLandedGames> {
  const label = `play-by-play landed for ${args.date}`;
  if (args.games.length === 0) return { staged: undefined, parts: [], actionsRead: 0, label, date: args.date };
  const parts: Part[] = [];
  const rows: TextRow[] = [];
  for (const g of args.games) {
    const parsed = parsePlayByPlay(g.file, { gameId: g.gameId, date: args.date });
    const fileNo = String(parts.length);
    parts.push({ file: g.file, offset: rows.length, count: parsed.rows.length, kept: 0 });
    for (const r of parsed.rows) rows.push({ ...r, file_no: fileNo });
  }
  const seasonYear = seasonYearOf(args.date);
  const staged = await stageRows(w, 'stg_landed_pbp', label, [...PBP_REQUIRED_COLUMNS, 'file_no'], rows);
  await traced(label, parts, () => validateStagedPlayByPlay(w, staged, { season: seasonLabel(seasonYear), seasonYear }));
  // What the insert keeps, per file: its distinct (game, action number) pairs.
  const kept = await w.query<{ part: number; n: number }>(
    `SELECT CAST(file_no AS INT64) AS part, count(*) AS n
     FROM (SELECT DISTINCT file_no, CAST(game_id AS INT64) AS g, CAST(actionNumber AS INT64) AS a FROM ${staged.source}) pairs
     GROUP BY file_no`,
  );
  for (const [i, p] of parts.entries()) p.kept = kept.find((k) => k.part === i)?.n ?? 0;
  return { staged, parts, actionsRead: rows.length, label, date: args.date };
}

/** The landed games' rows replace those games' rows (re-fetching a game replaces it); one load_log row per file. */
export function landedGamesStatements(unit: WriteUnit, g: StagedLandedGames, runId: string): LandedGamesLoad {
  const staged = g.staged;
  if (!staged) return { games: 0, actionsRead: 0, rowsLoaded: 0, duplicatesDropped: 0 };
  // (game, action number) stays unique across loads too.
  unit.add(`DELETE FROM nba_raw.play_by_play WHERE game_id IN (SELECT DISTINCT ${GAME_ID('game_id')} FROM ${staged.source} s)`, staged.params);
  unit.add(insertPlayByPlaySql(staged), { file: g.label, ...staged.params });
  let rowsLoaded = 0;
  for (const p of g.parts) {
    rowsLoaded += p.kept;
    unit.add(loadLogSql('nba_raw.play_by_play'), { run_id: runId, file: p.file, rows_read: p.count, rows_loaded: p.kept });
  }
  // The rows name their landed file, not the combined label.
  unit.add(
    `UPDATE nba_raw.play_by_play SET source_file = concat($prefix, game_id, '.json') WHERE game_date = CAST($date AS DATE) AND source_file = $combined`,
    { prefix: g.parts[0]?.file.replace(/[^/\\]*$/, '') ?? '', combined: g.label, date: g.date },
  );
  return { games: g.parts.length, actionsRead: g.actionsRead, rowsLoaded, duplicatesDropped: g.actionsRead - rowsLoaded };
}
