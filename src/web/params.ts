// Query strings and path parameters, checked before anything reaches the warehouse: each
// problem is a 400 naming the parameter, the value and what was expected.
import { parseIsoDate, parseSeasonLabel, seasonLabel, seasonWindow, seasonYearOf, type IsoDate } from '../core/dates.js';
import { CourtsideError } from '../core/errors.js';
import { PROCESSORS } from '../processors/index.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import { BadRequestError } from './http-errors.js';

export type Query = ReadonlyMap<string, string>;

/** The query's parameters; an unknown or repeated one is a 400 (a typo should not be ignored). */
export function readQuery(url: string, allowed: readonly string[]): Query {
  const params = new URL(url).searchParams;
  const out = new Map<string, string>();
  for (const [key, value] of params) {
    if (!allowed.includes(key)) {
      throw new BadRequestError(`unknown query parameter '${key}'${allowed.length ? ` (this page takes ${allowed.join(', ')})` : ' (this page takes none)'}`);
    }
    if (out.has(key)) throw new BadRequestError(`query parameter '${key}' is given more than once`);
    out.set(key, value);
  }
  return out;
}

/** Reuses the CLI's date rules, answered as a 400. */
function asBadRequest<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof CourtsideError && err.code === 'USAGE') throw new BadRequestError(err.message);
    throw err;
  }
}

export function dateParam(value: string, name: string): IsoDate {
  return asBadRequest(() => parseIsoDate(value, name));
}

export function optionalDate(q: Query, name: string): IsoDate | undefined {
  const v = q.get(name);
  return v === undefined || v === '' ? undefined : dateParam(v, name);
}

/** `season=2021-22` as its season year (2021). */
export function optionalSeason(q: Query): number | undefined {
  const v = q.get('season');
  return v === undefined || v === '' ? undefined : asBadRequest(() => parseSeasonLabel(v));
}

/**
 * `season` and `date` of a page that shows one season and one date in it (the player page): the date
 * must fall in that season's window, or the page would show one season's games beside another's
 * feature vector.
 */
export function seasonAndDate(q: Query, dateName: string): { season: number | undefined; date: IsoDate | undefined } {
  const season = optionalSeason(q);
  const date = optionalDate(q, dateName);
  if (season !== undefined && date !== undefined) {
    const w = seasonWindow(season);
    // In the season's window, or in the summer after it (seasonYearOf: one rule with the windows).
    if ((date < w.from || date > w.to) && seasonYearOf(date) !== season) throw new BadRequestError(`${dateName} ${date} is not in season ${seasonLabel(season)} (${w.from} to ${w.to}): give a date of that season, or leave out 'season'`);
  }
  return { season, date };
}

/** from/to if given (both, from ≤ to), else undefined: the page picks its default range. */
export function optionalRange(q: Query): { from: IsoDate; to: IsoDate } | undefined {
  const from = optionalDate(q, 'from');
  const to = optionalDate(q, 'to');
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw new BadRequestError(`give both 'from' and 'to' (YYYY-MM-DD), or neither`);
  if (from > to) throw new BadRequestError(`'from' ${from} is after 'to' ${to}`);
  if (q.has('season') && q.get('season') !== '') throw new BadRequestError(`give either 'season' or 'from'/'to', not both`);
  return { from, to };
}

/** A processor by key (psza) or processor_name. */
export function processorParam(value: string, name = 'processor'): ProcessorDefinition {
  const p = PROCESSORS.find((x) => x.key === value || x.processorName === value);
  if (!p) throw new BadRequestError(`${name}: unknown processor '${value}' (use ${PROCESSORS.map((x) => x.key).join(', ')})`);
  return p;
}

export function optionalProcessor(q: Query): ProcessorDefinition | undefined {
  const v = q.get('processor');
  return v === undefined || v === '' ? undefined : processorParam(v);
}

export function positiveInt(q: Query, name: string, fallback: number, max: number): number {
  const v = q.get(name);
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new BadRequestError(`${name} must be a whole number from 1 to ${max}, got '${v}'`);
  return n;
}

/** A player_lookup as stored: lower-case letters and digits only. */
export function lookupParam(value: string, name = 'player'): string {
  if (!/^[a-z0-9]{1,80}$/.test(value)) throw new BadRequestError(`${name} must be a player_lookup (a-z and 0-9 only, e.g. 'lebronjames'), got '${value.slice(0, 80)}'`);
  return value;
}

/** An id as the engine writes them (run_20211119T120102Z_3f9a1c), or any other plain token. */
export function runIdParam(value: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,120}$/.test(value)) throw new BadRequestError(`run id may hold letters, digits and _ . : - only, got '${value.slice(0, 120)}'`);
  return value;
}

/** A short free-text search term. */
export function searchParam(q: Query, name: string): string {
  const v = (q.get(name) ?? '').trim();
  if (v.length > 80) throw new BadRequestError(`${name} is longer than 80 characters`);
  return v;
}

/** One of a fixed set of values. */
export function choiceParam<T extends string>(q: Query, name: string, choices: readonly T[]): T | undefined {
  const v = q.get(name);
  if (v === undefined || v === '') return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new BadRequestError(`${name} must be one of ${choices.join(', ')}, got '${v.slice(0, 80)}'`);
  return v as T;
}
