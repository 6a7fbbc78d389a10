// The league schedule feed (cdn.nba.com scheduleLeagueV2.json): leagueSchedule.gameDates[].games[],
// each with gameId, gameStatus (1 scheduled, 2 live, 3 final), gameStatusText ('Final', 'PPD', ...),
// gameDateEst and the two teams' tricodes and scores. Only regular-season games (ids 002…) are the
// pipeline's; preseason, All-Star and playoff games are left out, as in the bundled seasons.
import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { TEAM_TRICODES } from '../registry/teams.js';
import { checkShape, readLandedJson } from './read-json.js';

export type GameState = 'scheduled' | 'in_progress' | 'final' | 'postponed';

export interface ScheduledGame {
  readonly gameId: string;
  readonly date: IsoDate;
  readonly state: GameState;
  readonly statusText: string;
  readonly homeTricode: string;
  readonly awayTricode: string;
  readonly homeScore: number | null;
  readonly awayScore: number | null;
  readonly tipoffUtc: string | null;
}

const Team = z.looseObject({ teamTricode: z.string(), score: z.number().int().nullish() });
const Game = z.looseObject({
  gameId: z.string().regex(/^\d{10}$/, 'gameId must be 10 digits'),
  gameStatus: z.number().int().min(1).max(3),
  gameStatusText: z.string(),
  gameDateEst: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'gameDateEst must start with YYYY-MM-DD').optional(),
  gameDateTimeUTC: z.string().nullish(),
  homeTeam: Team,
  awayTeam: Team,
});
const Schedule = z.looseObject({
  leagueSchedule: z.looseObject({
    gameDates: z.array(z.looseObject({ gameDate: z.string().optional(), games: z.array(z.unknown()) })),
  }),
});

/** The regular season: '002' ids (001 preseason, 003 All-Star, 004 playoffs, 005 play-in). */
export const isRegularSeason = (gameId: string): boolean => gameId.startsWith('002');

const POSTPONED = /^(ppd|postponed|cancel)/i;

function stateOf(status: number, text: string): GameState {
  if (POSTPONED.test(text.trim())) return 'postponed';
  return status === 3 ? 'final' : status === 2 ? 'in_progress' : 'scheduled';
}

/** '10/19/2021 00:00:00' → '2021-10-19' (the parent gameDate, when a game has no gameDateEst). */
function usDate(value: string | undefined): IsoDate | undefined {
  const m = value ? /^(\d{2})\/(\d{2})\/(\d{4})/.exec(value) : null;
  return m ? `${m[3]}-${m[1]}-${m[2]}` : undefined;
}

/**
 * Regular-season games of the schedule, validated in full for the dates asked for (`dates`; all
 * when omitted): a game of another date with a problem does not block tonight's ingest.
 */
export function parseSchedule(file: string, options: { readonly text?: string; readonly dates?: ReadonlySet<IsoDate> } = {}): ScheduledGame[] {
  const doc = checkShape(file, Schedule, readLandedJson(file, options.text, { cache: true }), 'league schedule (scheduleLeagueV2)');
  const games: ScheduledGame[] = [];
  doc.leagueSchedule.gameDates.forEach((day, d) => {
    day.games.forEach((raw, g) => {
      const where = `leagueSchedule.gameDates[${d}].games[${g}]`;
      const id = (raw as { gameId?: unknown } | null)?.gameId;
      if (typeof id === 'string' && !isRegularSeason(id)) return;
      const dateOf = (raw as { gameDateEst?: unknown } | null)?.gameDateEst;
      const date = typeof dateOf === 'string' && /^\d{4}-\d{2}-\d{2}/.test(dateOf) ? dateOf.slice(0, 10) : usDate(day.gameDate);
      if (options.dates && date && !options.dates.has(date)) return;
      const parsed = Game.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError(file, `${where}${typeof id === 'string' ? ` (game ${id})` : ''}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'malformed game'}`.replace(/\s+/g, ' '));
      }
      const x = parsed.data;
      if (!date) throw new InputError(file, `${where} (game ${x.gameId}): no game date (gameDateEst or the day's gameDate)`);
      for (const side of ['homeTeam', 'awayTeam'] as const) {
        if (!TEAM_TRICODES.has(x[side].teamTricode)) {
          throw new InputError(file, `${where} (game ${x.gameId}): ${side}.teamTricode has unknown team code '${x[side].teamTricode}'`);
        }
      }
      games.push({
        gameId: x.gameId,
        date,
        state: stateOf(x.gameStatus, x.gameStatusText),
        statusText: x.gameStatusText,
        homeTricode: x.homeTeam.teamTricode,
        awayTricode: x.awayTeam.teamTricode,
        homeScore: x.homeTeam.score ?? null,
        awayScore: x.awayTeam.score ?? null,
        tipoffUtc: x.gameDateTimeUTC ?? null,
      });
    });
  });
  return games;
}

/** Games per date, for one date's ingest or fetch. */
export function gamesOn(games: readonly ScheduledGame[], date: IsoDate): ScheduledGame[] {
  return games.filter((g) => g.date === date).sort((a, b) => a.gameId.localeCompare(b.gameId));
}
