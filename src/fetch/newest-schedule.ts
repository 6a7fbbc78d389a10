// Which landed schedule copy speaks for a date: the one fetched last among the complete ones that
// list games on it (later copies carry later statuses: a game final now was scheduled in an older copy).
import type { IsoDate } from '../core/dates.js';
import { parseSchedule, type ScheduledGame } from '../ingest/landing/schedule-feed.js';
import { landedDates, landedEntry, readManifest } from './landing-store.js';

export const SCHEDULE_FILE = 'scheduleLeagueV2.json';

export interface LandedSchedule {
  /** The landing date of the copy. */
  readonly date: IsoDate;
  readonly path: string;
  readonly sha256: string;
  /** Games on the asked-for dates. */
  readonly games: readonly ScheduledGame[];
}

/**
 * The newest complete schedule copy with games on any of `dates` (their games only); undefined if
 * none. A copy whose games on those dates are malformed is an error naming it, unless `skipInvalid`
 * (the fetch, which only needs some usable list and reports the problem itself).
 */
export function newestSchedule(root: string, dates: readonly IsoDate[], options: { readonly skipInvalid?: boolean } = {}): LandedSchedule | undefined {
  const wanted = new Set(dates);
  // Newest by fetch time, not by folder: a copy is filed under its run's latest date, so a slate
  // fetched early (`fetch --date` of a later day) must not outrank a copy fetched after it.
  const fetchedAt = (date: IsoDate): string => {
    try {
      return readManifest(root, 'nba-schedule', date).files[SCHEDULE_FILE]?.fetchedAt ?? '';
    } catch {
      return ''; // an unreadable manifest comes last, and fails (naming itself) only if it is reached
    }
  };
  const copies = landedDates(root, 'nba-schedule').map((date) => ({ date, at: fetchedAt(date) }));
  copies.sort((a, b) => b.at.localeCompare(a.at) || b.date.localeCompare(a.date));
  for (const { date } of copies) {
    const landed = landedEntry(root, 'nba-schedule', date, SCHEDULE_FILE);
    if (!landed?.entry.complete) continue;
    let games: ScheduledGame[];
    try {
      games = parseSchedule(landed.path, { dates: wanted }).filter((g) => wanted.has(g.date));
    } catch (err) {
      if (options.skipInvalid) continue;
      throw err;
    }
    if (games.length > 0) return { date, path: landed.path, sha256: landed.entry.sha256, games };
  }
  return undefined;
}
