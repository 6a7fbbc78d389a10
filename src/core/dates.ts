// The one date convention: 'YYYY-MM-DD' strings, ranges inclusive at both ends, UTC arithmetic.
import { UsageError } from './errors.js';

export type IsoDate = string;

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export function parseIsoDate(value: string, what = 'date'): IsoDate {
  if (!ISO.test(value)) throw new UsageError(`${what} must be YYYY-MM-DD, got '${value}'`);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new UsageError(`${what} is not a calendar date: '${value}'`);
  return value;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Every calendar day from..to inclusive. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function checkRange(from: string, to: string): { from: IsoDate; to: IsoDate } {
  const f = parseIsoDate(from, '--from');
  const t = parseIsoDate(to, '--to');
  if (f > t) throw new UsageError(`--from ${f} is after --to ${t}`);
  return { from: f, to: t };
}

/**
 * NBA season year of a date: 2021 = the 2021-22 season. One rule with seasonWindow below: the season
 * whose window began last on or before the date — its window's dates are that season's, and a date
 * between two windows (the summer) belongs to the season that ended. So October onward is the new
 * season, except in 2020: the bubble's October is 2019-20 (its Finals ended 11 October 2020) and
 * 2020-21 begins with its window in December.
 */
export function seasonYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  // Each window begins in its season's first year (October, or December 2020), so it is this year's or last year's.
  return seasonWindow(year).from <= date ? year : year - 1;
}

/**
 * The dates a season's games may have (regular season, play-in and playoffs): 1 October of its first
 * year to 30 June of the next. The two seasons the pandemic moved are widened to what they really
 * were: 2019-20 ended in the October 2020 bubble, 2020-21 ran from December 2020 to July 2021.
 */
const SEASON_WINDOW_EXCEPTIONS: Readonly<Record<number, { readonly from: IsoDate; readonly to: IsoDate }>> = {
  2019: { from: '2019-10-01', to: '2020-10-31' },
  2020: { from: '2020-12-01', to: '2021-07-31' },
};

export function seasonWindow(seasonYear: number): { readonly from: IsoDate; readonly to: IsoDate } {
  return SEASON_WINDOW_EXCEPTIONS[seasonYear] ?? { from: `${seasonYear}-10-01`, to: `${seasonYear + 1}-06-30` };
}

export function inSeasonWindow(date: IsoDate, seasonYear: number): boolean {
  const w = seasonWindow(seasonYear);
  return date >= w.from && date <= w.to;
}

export function seasonLabel(seasonYear: number): string {
  return `${seasonYear}-${String((seasonYear + 1) % 100).padStart(2, '0')}`;
}

export function parseSeasonLabel(label: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) throw new UsageError(`season must look like 2021-22, got '${label}'`);
  return Number(m[1]);
}

export function todayUtc(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

/** Today's date in an IANA time zone: the NBA's game day is US/Eastern ('America/New_York'). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** First index whose date is >= `date` in ascending `dates` (binary search). */
export function lowerBound(dates: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as IsoDate) < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
