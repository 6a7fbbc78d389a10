// The Odds API v4: events → bookmakers → markets → outcomes. Game lines come from
// /sports/{sport}/odds (markets h2h, spreads, totals; outcome name = team, or Over/Under with the
// total as point); player props from /sports/{sport}/events/{id}/odds (market player_points;
// outcome name Over/Under, description = the player as the book spells him, point = the line).
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { checkShape, readLandedJson } from './read-json.js';

const Outcome = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  price: z.number(),
  point: z.number().nullish(),
});
const Market = z.looseObject({ key: z.string(), last_update: z.string().optional(), outcomes: z.array(Outcome) });
const Bookmaker = z.looseObject({ key: z.string(), title: z.string().optional(), last_update: z.string().optional(), markets: z.array(Market) });
const Event = z.looseObject({
  id: z.string().min(1),
  commence_time: z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'commence_time must be an ISO timestamp'),
  home_team: z.string().min(1),
  away_team: z.string().min(1),
  bookmakers: z.array(Bookmaker).optional(),
});

export type OddsEvent = z.infer<typeof Event>;
type BookmakerT = z.infer<typeof Bookmaker>;

export function parseOddsEvents(file: string, body?: string): OddsEvent[] {
  return checkShape(file, z.array(Event), readLandedJson(file, body), 'The Odds API events/odds');
}

export function parseEventOdds(file: string, body?: string): OddsEvent {
  return checkShape(file, Event, readLandedJson(file, body), 'The Odds API event odds');
}

/** Bookmakers in preference order: the configured ones first (in that order), then the rest as listed. */
export function orderBookmakers(books: readonly BookmakerT[], preference: readonly string[]): BookmakerT[] {
  const rank = (b: BookmakerT) => {
    const i = preference.indexOf(b.key);
    return i < 0 ? preference.length : i;
  };
  return books.map((b, i) => ({ b, i })).sort((x, y) => rank(x.b) - rank(y.b) || x.i - y.i).map((x) => x.b);
}

/** One row of nba_raw.game_odds, before team resolution (names as the API writes them). */
export interface GameLineRow {
  readonly home_team_name: string;
  readonly away_team_name: string;
  readonly game_total: number | null;
  /** Unsigned, as in the season files: who gives the points follows from the moneylines. */
  readonly spread: number | null;
  readonly ml_home: number | null;
  readonly ml_away: number | null;
  readonly source_row: number;
}

export function gameLineRows(file: string, events: readonly OddsEvent[], preference: readonly string[]): GameLineRow[] {
  return events.map((e, i) => {
    const books = orderBookmakers(e.bookmakers ?? [], preference);
    const market = (key: string) => books.flatMap((b) => b.markets.filter((m) => m.key === key))[0];
    const h2h = market('h2h');
    const price = (team: string) => {
      const p = h2h?.outcomes.find((o) => o.name === team)?.price;
      if (p !== undefined && !Number.isInteger(p)) throw new InputError(file, `event ${e.id}: h2h price ${p} for ${team} is not American odds (request oddsFormat=american)`, i + 1);
      return p ?? null;
    };
    const homeSpread = market('spreads')?.outcomes.find((o) => o.name === e.home_team)?.point;
    const total = market('totals')?.outcomes.find((o) => o.name.toLowerCase() === 'over')?.point;
    return {
      home_team_name: e.home_team,
      away_team_name: e.away_team,
      game_total: total ?? null,
      spread: homeSpread === undefined || homeSpread === null ? null : Math.abs(homeSpread),
      ml_home: price(e.home_team),
      ml_away: price(e.away_team),
      source_row: i + 1,
    };
  });
}

/** The Odds API player markets as the season files name them. */
export const PROP_NAMES: Readonly<Record<string, string>> = {
  player_points: 'player points ou',
  player_rebounds: 'player rebounds ou',
  player_assists: 'player assists ou',
  player_threes: 'player 3pts ou',
};

/** Books with their own price column in nba_raw.player_prop_lines. */
const PRICE_COLUMNS: Readonly<Record<string, 'draftkings' | 'fanduel' | 'pointsbet'>> = {
  draftkings: 'draftkings',
  fanduel: 'fanduel',
  pointsbetus: 'pointsbet',
  pointsbet: 'pointsbet',
};

/** One row of nba_raw.player_prop_lines: one side of one book's line for one player. */
export interface PropLineRow {
  readonly snapshot_utc: string;
  readonly source_commit: string;
  readonly prop: string;
  readonly tipoff_utc: string;
  readonly player_name: string;
  readonly home_team_name: string;
  readonly away_team_name: string;
  readonly side: string;
  readonly line: number | null;
  readonly draftkings: number | null;
  readonly fanduel: number | null;
  readonly pointsbet: number | null;
  readonly source_row: number;
}

/** An ISO timestamp as UTC 'Z' text, whatever offset the API used. */
function utc(file: string, what: string, value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InputError(file, `${what} '${value}' is not a timestamp`);
  return new Date(t).toISOString();
}

/**
 * Rows in preference order (books, then the API's outcome order): the first 'over' row of a player
 * is the line Phase 3 reads when several books were updated at the same moment.
 */
export function propLineRows(file: string, event: OddsEvent, preference: readonly string[], fetchedAt: string): PropLineRow[] {
  const rows: PropLineRow[] = [];
  for (const book of orderBookmakers(event.bookmakers ?? [], preference)) {
    for (const market of book.markets) {
      const prop = PROP_NAMES[market.key];
      if (!prop) continue;
      market.outcomes.forEach((o, k) => {
        const side = o.name.toLowerCase();
        if (side !== 'over' && side !== 'under') throw new InputError(file, `${book.key} ${market.key} outcome ${k + 1}: name '${o.name}' is not Over/Under`);
        if (!o.description || o.description.trim() === '') throw new InputError(file, `${book.key} ${market.key} outcome ${k + 1}: no description (the player)`);
        const column = PRICE_COLUMNS[book.key];
        rows.push({
          snapshot_utc: utc(file, `${book.key} ${market.key} last_update`, market.last_update ?? book.last_update ?? fetchedAt),
          source_commit: `the-odds-api:${event.id}:${book.key}`,
          prop,
          tipoff_utc: utc(file, 'commence_time', event.commence_time),
          player_name: o.description.trim(),
          home_team_name: event.home_team,
          away_team_name: event.away_team,
          side,
          line: o.point ?? null,
          draftkings: column === 'draftkings' ? o.price : null,
          fanduel: column === 'fanduel' ? o.price : null,
          pointsbet: column === 'pointsbet' ? o.price : null,
          source_row: rows.length + 1,
        });
      });
    }
  }
  return rows;
}
