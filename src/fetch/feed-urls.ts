// Where each feed lives, from the configured base URLs (tests and mirrors point them elsewhere).
import { addDays, type IsoDate } from '../core/dates.js';
import type { FeedConfig } from './feed-config.js';

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;

/** stats.nba.com playbyplayv3 for one game (all periods). */
export function playByPlayUrl(c: FeedConfig, gameId: string): string {
  const u = new URL(join(c.nbaStatsBaseUrl, 'playbyplayv3'));
  u.searchParams.set('GameID', gameId);
  u.searchParams.set('StartPeriod', '0');
  u.searchParams.set('EndPeriod', '0');
  return u.toString();
}

/** stats.nba.com answers only requests that look like they come from nba.com. */
export const NBA_STATS_HEADERS: Readonly<Record<string, string>> = {
  referer: 'https://www.nba.com/',
  origin: 'https://www.nba.com',
  'x-nba-stats-origin': 'stats',
  'x-nba-stats-token': 'true',
};

/**
 * An NBA game date's tip-offs all fall between 06:00 US/Eastern that day and 06:00 the next
 * (10:00Z..10:00Z covers both EDT and EST with hours to spare): the Odds API window for date D.
 */
export function slateWindow(date: IsoDate): { readonly from: string; readonly to: string } {
  return { from: `${date}T10:00:00Z`, to: `${addDays(date, 1)}T09:59:59Z` };
}

function oddsUrl(c: FeedConfig, path: string, params: Readonly<Record<string, string>>): string {
  const u = new URL(join(c.oddsApiBaseUrl, `v4/sports/${encodeURIComponent(c.oddsSport)}/${path}`));
  u.searchParams.set('apiKey', c.oddsApiKey ?? '');
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export function oddsEventsUrl(c: FeedConfig, date: IsoDate): string {
  const w = slateWindow(date);
  return oddsUrl(c, 'events', { dateFormat: 'iso', commenceTimeFrom: w.from, commenceTimeTo: w.to });
}

export function oddsGameLinesUrl(c: FeedConfig, date: IsoDate): string {
  const w = slateWindow(date);
  return oddsUrl(c, 'odds', {
    regions: c.oddsRegions,
    markets: 'h2h,spreads,totals',
    oddsFormat: 'american',
    dateFormat: 'iso',
    commenceTimeFrom: w.from,
    commenceTimeTo: w.to,
  });
}

export function oddsEventPropsUrl(c: FeedConfig, eventId: string): string {
  return oddsUrl(c, `events/${encodeURIComponent(eventId)}/odds`, {
    regions: c.oddsRegions,
    markets: c.oddsPlayerMarkets.join(','),
    oddsFormat: 'american',
    dateFormat: 'iso',
  });
}
