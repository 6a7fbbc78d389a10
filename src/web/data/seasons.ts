// The seasons the schedule knows and the range a page shows when none is asked for.
import { seasonLabel, type IsoDate } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { NotFoundError } from '../http-errors.js';

export interface Season {
  readonly season_year: number;
  readonly label: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly game_dates: number;
}

export async function loadSeasons(wh: Warehouse): Promise<Season[]> {
  const rows = await wh.query<{ season_year: number; first_date: string; last_date: string; game_dates: number }>(
    `SELECT season_year, min(game_date) AS first_date, max(game_date) AS last_date, count(*) AS game_dates
FROM nba_reference.game_dates GROUP BY season_year ORDER BY season_year`,
  );
  return rows.map((r) => ({ season_year: r.season_year, label: seasonLabel(r.season_year), from: r.first_date, to: r.last_date, game_dates: r.game_dates }));
}

/**
 * The asked season, else the season of the latest partition the engine has written (what an
 * operator is working on), else the latest season.
 */
export async function pickSeason(wh: Warehouse, seasons: readonly Season[], asked: number | undefined): Promise<Season> {
  if (seasons.length === 0) throw new NotFoundError('the schedule is empty: run `courtside ingest` first');
  if (asked !== undefined) {
    const s = seasons.find((x) => x.season_year === asked);
    if (!s) throw new NotFoundError(`no season ${seasonLabel(asked)} in the schedule (have ${seasons.map((x) => x.label).join(', ')})`);
    return s;
  }
  const [latest] = await wh.query<{ season_year: number | null }>(
    `SELECT max(g.season_year) AS season_year FROM nba_reference.game_dates g
WHERE g.game_date = (SELECT max(partition_date) FROM nba_processing.partition_status)`,
  );
  return seasons.find((x) => x.season_year === latest?.season_year) ?? (seasons[seasons.length - 1] as Season);
}
