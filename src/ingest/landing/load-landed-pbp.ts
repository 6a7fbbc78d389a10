// A date's landed playbyplayv3 responses → nba_raw.play_by_play: each file parsed (its structure
// checked), all of them staged as one all-text table, validated by the season files' own rules
// (validateStagedPlayByPlay) with any bad value traced back to its file and action, then the games'
// rows replaced by the deduplicated actions (insertPlayByPlay). Runs inside the date's transaction.
import { seasonLabel, seasonYearOf, type IsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { recordLoad } from '../raw/load-log.js';
import { PBP_REQUIRED_COLUMNS, insertPlayByPlay, validateStagedPlayByPlay } from '../raw/load-play-by-play.js';
import { dropStaged } from '../raw/stage.js';
import { parsePlayByPlay, type TextRow } from './pbp-feed.js';
import { stageTextRows } from './stage-rows.js';

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

export async function loadLandedGames(
  tx: Warehouse,
  args: { readonly games: readonly { readonly file: string; readonly gameId: string }[]; readonly date: IsoDate; readonly runId: string },
): Promise<LandedGamesLoad> {
  if (args.games.length === 0) return { games: 0, actionsRead: 0, rowsLoaded: 0, duplicatesDropped: 0 };
  const parts: Part[] = [];
  const rows: TextRow[] = [];
  for (const g of args.games) {
    const parsed = parsePlayByPlay(g.file, { gameId: g.gameId, date: args.date });
    const fileNo = String(parts.length);
    parts.push({ file: g.file, offset: rows.length, count: parsed.rows.length });
    for (const r of parsed.rows) rows.push({ ...r, file_no: fileNo });
  }
  const seasonYear = seasonYearOf(args.date);
  const combined = `play-by-play landed for ${args.date}`;
  const staged = await stageTextRows(tx, 'stg_landed_pbp', combined, [...PBP_REQUIRED_COLUMNS, 'file_no'], rows);
  await traced(combined, parts, () => validateStagedPlayByPlay(tx, staged, { season: seasonLabel(seasonYear), seasonYear }));
  // Re-fetching a game replaces it: (game, action number) stays unique across loads too.
  await tx.exec(`DELETE FROM nba_raw.play_by_play WHERE game_id IN (SELECT DISTINCT lpad(CAST(CAST(game_id AS INT64) AS STRING), 10, '0') FROM stg_landed_pbp)`);
  await insertPlayByPlay(tx, staged, combined);
  // What the insert kept, per file: its distinct (game, action number) pairs.
  const kept = await tx.query<{ part: number; n: number }>(
    `SELECT CAST(file_no AS INT64) AS part, count(*) AS n
     FROM (SELECT DISTINCT file_no, CAST(game_id AS INT64) AS g, CAST(actionNumber AS INT64) AS a FROM stg_landed_pbp)
     GROUP BY file_no`,
  );
  let rowsLoaded = 0;
  for (const [i, p] of parts.entries()) {
    const n = kept.find((k) => k.part === i)?.n ?? 0;
    rowsLoaded += n;
    await recordLoad(tx, { runId: args.runId, file: p.file, table: 'nba_raw.play_by_play', rowsRead: p.count, rowsLoaded: n, duplicatesDropped: p.count - n });
  }
  // The rows name their landed file, not the combined label.
  await tx.exec(
    `UPDATE nba_raw.play_by_play SET source_file = $prefix || game_id || '.json' WHERE game_date = CAST($date AS DATE) AND source_file = $combined`,
    { prefix: args.games[0]?.file.replace(/[^/\\]*$/, '') ?? '', combined, date: args.date },
  );
  await dropStaged(tx, staged);
  return { games: parts.length, actionsRead: rows.length, rowsLoaded, duplicatesDropped: rows.length - rowsLoaded };
}
