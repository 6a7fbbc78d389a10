// The play-by-play feed (stats.nba.com playbyplayv3): { meta, game: { gameId, actions: [...] } },
// where each action record carries the fields of the bundled play-by-play (game_id, date, team,
// period, clock, actionNumber, actionType, description, qualifier, person_id, scoreHome, ...).
// Parsing checks the document and that every action has every field the loader needs; the values'
// types are then checked by the same SQL rules as the season files (stage.ts), with their row.
import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { PBP_REQUIRED_COLUMNS } from '../raw/load-play-by-play.js';
import { checkShape, readLandedJson } from './read-json.js';

export type TextRow = Record<string, string | null>;

export interface ParsedPlayByPlay {
  readonly file: string;
  readonly gameId: string;
  /** One all-text row per action, in the feed's order, with PBP_REQUIRED_COLUMNS. */
  readonly rows: readonly TextRow[];
}

// Only the envelope is checked with a schema; the (many) actions are checked one by one below.
const Feed = z.looseObject({
  game: z.looseObject({
    gameId: z.string().regex(/^\d{10}$/, 'gameId must be 10 digits'),
    actions: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array'),
  }),
});

/** Python-list text, as the bundled files spell qualifiers: ['2ndchance', 'pointsinthepaint']. */
function pythonList(values: readonly unknown[]): string {
  return `[${values.map((v) => `'${String(v)}'`).join(', ')}]`;
}

function text(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // The v3 feed proper lists qualifiers as a JSON array; the bundled files as Python-list text.
  if (Array.isArray(value) && field === 'qualifier') return pythonList(value);
  if (Array.isArray(value) && field === 'players_on') return value.map(String).join('|');
  return JSON.stringify(value);
}

const digits = (s: string | null | undefined): string => (s ?? '').replace(/^0+/, '');

export function parsePlayByPlay(file: string, expected: { readonly gameId: string; readonly date: IsoDate }, body?: string): ParsedPlayByPlay {
  const doc = checkShape(file, Feed, readLandedJson(file, body), 'playbyplayv3');
  if (doc.game.gameId !== expected.gameId) throw new InputError(file, `game.gameId is ${doc.game.gameId}, but the file was landed for game ${expected.gameId}`);
  if (doc.game.actions.length === 0) throw new InputError(file, `game ${expected.gameId} has no actions`);
  const date8 = expected.date.replace(/-/g, '');
  const rows = doc.game.actions.map((raw, i): TextRow => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(file, `game.actions[${i}] is not an object`, i + 1);
    const action = raw as Record<string, unknown>;
    const label = `action ${i + 1}${action['actionNumber'] !== undefined ? ` (actionNumber ${String(action['actionNumber'])})` : ''}`;
    const row: TextRow = {};
    for (const field of PBP_REQUIRED_COLUMNS) {
      if (!(field in action)) throw new InputError(file, `${label} has no '${field}' field`, i + 1);
      row[field] = text(field, action[field]);
    }
    if (digits(row['game_id']) !== digits(expected.gameId)) throw new InputError(file, `${label}: game_id '${row['game_id']}' is not game ${expected.gameId}`, i + 1);
    if (row['date'] !== date8) throw new InputError(file, `${label}: date '${row['date']}' is not the game's date ${date8} (schedule)`, i + 1);
    return row;
  });
  return { file, gameId: expected.gameId, rows };
}

/**
 * Why a final game's landed play-by-play is not complete yet, or undefined when it is: its running
 * scores reach the schedule's final score (stats.nba.com lags the schedule: a game called final
 * there can still have only part of its actions) in at least four periods. Bad JSON or shape is
 * not judged here (the fetch's JSON check and the ingest's parser report those).
 */
export function playByPlayShortOfFinal(body: string, final: { readonly homeScore: number | null; readonly awayScore: number | null }): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  const actions = (doc as { game?: { actions?: unknown } } | null)?.game?.actions;
  if (!Array.isArray(actions)) return undefined;
  let [home, away, period] = [0, 0, 0];
  for (const a of actions) {
    const r = (a ?? {}) as Record<string, unknown>;
    home = Math.max(home, Number(r['scoreHome']) || 0);
    away = Math.max(away, Number(r['scoreAway']) || 0);
    period = Math.max(period, Number(r['period']) || 0);
  }
  const scoreKnown = final.homeScore !== null && final.awayScore !== null;
  if (period >= 4 && (!scoreKnown || (home === final.homeScore && away === final.awayScore))) return undefined;
  return `play-by-play stops short of the final (${actions.length} actions, period ${period}, ${home}-${away}${scoreKnown ? ` of ${final.homeScore}-${final.awayScore}` : ''})`;
}
