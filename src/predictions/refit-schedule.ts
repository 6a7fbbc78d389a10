// When the points model is refitted, and on which rows: every Monday, on the player-games of the
// training window before that Monday. The model of game date D is the refit of the Monday on or
// before D, so it never saw D (or anything after it).
import { addDays, type IsoDate } from '../core/dates.js';

/** The Monday on or before `date` (the refit whose model predicts `date`). */
export function refitDateOf(date: IsoDate): IsoDate {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The refits a set of game dates needs, ascending. */
export function refitDatesFor(dates: readonly IsoDate[]): IsoDate[] {
  return [...new Set(dates.map(refitDateOf))].sort();
}

/** The training rows of a refit: player-games dated in [refit − windowDays, refit − 1]. */
export function trainingWindow(refitDate: IsoDate, windowDays: number): { readonly from: IsoDate; readonly to: IsoDate } {
  return { from: addDays(refitDate, -windowDays), to: addDays(refitDate, -1) };
}
