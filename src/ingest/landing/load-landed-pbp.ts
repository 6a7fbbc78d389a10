// One landed playbyplayv3 response → nba_raw.play_by_play: parsed, staged as text, validated by
// the season files' own rules (validateStagedPlayByPlay), then the game's rows are replaced by the
// deduplicated actions (insertPlayByPlay). Runs inside the date's transaction.
import { seasonLabel, seasonYearOf, type IsoDate } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { recordLoad } from '../raw/load-log.js';
import { PBP_REQUIRED_COLUMNS, insertPlayByPlay, validateStagedPlayByPlay } from '../raw/load-play-by-play.js';
import { dropStaged } from '../raw/stage.js';
import { parsePlayByPlay } from './pbp-feed.js';
import { stageTextRows } from './stage-rows.js';

export interface LandedGameLoad {
  readonly gameId: string;
  readonly file: string;
  readonly actionsRead: number;
  readonly rowsLoaded: number;
  readonly duplicatesDropped: number;
}

export async function loadLandedGame(tx: Warehouse, args: { readonly file: string; readonly gameId: string; readonly date: IsoDate; readonly runId: string }): Promise<LandedGameLoad> {
  const parsed = parsePlayByPlay(args.file, { gameId: args.gameId, date: args.date });
  const seasonYear = seasonYearOf(args.date);
  const staged = await stageTextRows(tx, 'stg_landed_pbp', args.file, PBP_REQUIRED_COLUMNS, parsed.rows);
  await validateStagedPlayByPlay(tx, staged, { season: seasonLabel(seasonYear), seasonYear });
  // Re-fetching a game replaces it: the deduplicated key is (game, action number) across loads too.
  await tx.exec(`DELETE FROM nba_raw.play_by_play WHERE game_id = $game_id`, { game_id: args.gameId });
  await insertPlayByPlay(tx, staged, args.file);
  const [loaded] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.play_by_play WHERE game_id = $game_id`, { game_id: args.gameId });
  const rowsLoaded = loaded?.n ?? 0;
  const result = { gameId: args.gameId, file: args.file, actionsRead: staged.rows, rowsLoaded, duplicatesDropped: staged.rows - rowsLoaded };
  await recordLoad(tx, { runId: args.runId, file: args.file, table: 'nba_raw.play_by_play', rowsRead: staged.rows, rowsLoaded, duplicatesDropped: result.duplicatesDropped });
  await dropStaged(tx, staged);
  return result;
}
