// The hook for more sections in the day's report. The predictions board (`courtside report
// --date D`, Phase 5) registers here: add an entry to DAILY_REPORT_SECTIONS whose render() reads
// the date's predictions and returns the board's lines; `daily` appends it after Phase 4 ran.
import type { IsoDate } from '../core/dates.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface DailyReportSection {
  readonly title: string;
  /** Lines of the section for the run's date; an error is reported in the section, not fatal. */
  render(wh: Warehouse, date: IsoDate): Promise<readonly string[]>;
}

/** Sections after the built-in ones (fetched, ingested, built, failed), in this order. */
export const DAILY_REPORT_SECTIONS: readonly DailyReportSection[] = [];
