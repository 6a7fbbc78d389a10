// More sections of the day's report, after the built-in ones (fetched, ingested, built, failed):
// each render() reads what the run built for its date; `daily` appends them after Phase 4 ran.
import type { IsoDate } from '../core/dates.js';
import { predictionBoard } from '../predictions/board.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface DailyReportSection {
  readonly title: string;
  /** Lines of the section for the run's date; an error is reported in the section, not fatal. */
  render(wh: Warehouse, date: IsoDate): Promise<readonly string[]>;
}

/** How many players of the predictions board the nightly report shows (`courtside report` has them all). */
export const BOARD_LINES = 15;

const num = (v: unknown, digits: number) => (typeof v === 'number' ? v.toFixed(digits) : '-');

/** The top of the day's predictions board: players with a line first, by edge, then by predicted points. */
export const predictionsSection: DailyReportSection = {
  title: 'predictions (top of `courtside report --date`)',
  async render(wh, date) {
    const board = await predictionBoard(wh, date);
    if (board.length === 0) return ['no predictions for this date'];
    const lines = board.slice(0, BOARD_LINES).map(
      (r) =>
        `${String(r['player'])} (${String(r['team'])} v ${String(r['opponent'])}): median ${num(r['median'], 1)}, 80% ${num(r['low_80'], 1)}-${num(r['high_80'], 1)}` +
        (r['line'] === null ? '' : `, line ${num(r['line'], 1)}, P(over) ${num(r['p_over'], 2)}, edge ${num(r['edge'], 3)}`) +
        (r['flags'] ? ` [${String(r['flags'])}]` : ''),
    );
    return board.length > BOARD_LINES ? [...lines, `… and ${board.length - BOARD_LINES} more`] : lines;
  },
};

/** Sections after the built-in ones, in this order. */
export const DAILY_REPORT_SECTIONS: readonly DailyReportSection[] = [predictionsSection];
