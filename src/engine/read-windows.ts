// What a partition's processor reads of its upstreams before D (ProcessorDefinition.reads), resolved
// for a run: the window's length from the run's thresholds, one id per distinct (source, window).
// The dependency-check query turns each into a fingerprint part (dependencies.ts); the planner reads
// the windows over other processors' partitions to rebuild a partition whose window a run rewrites.
import { addDays, daysBetween, type IsoDate } from '../core/dates.js';
import { CourtsideError } from '../core/errors.js';
import type { ProcessorDefinition, ProcessorKey, Read } from '../processors/processor.js';

export type ResolvedWindow = { readonly seasons: number } | { readonly days: number; readonly anchor: 'date' | 'monday' };

export interface ResolvedRead {
  /** Same source and window, same id: each distinct read is computed once per run. */
  readonly id: string;
  readonly source: Read['source'];
  readonly window: ResolvedWindow;
}

/** 1970-01-05 was a Monday: the SQL counts days from it (mod 7) to find the Monday on or before D. */
export const MONDAY_EPOCH = '1970-01-05';

function positiveInteger(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100_000) throw new CourtsideError('CONFIG', `${what} must be a positive whole number, got ${String(n)}`, 2);
  return n;
}

/** The processor's reads with their windows' lengths resolved from its thresholds (defaults, then the run's overrides). */
export function resolveReads(p: ProcessorDefinition, overrides: Readonly<Record<string, number>> = {}): ResolvedRead[] {
  const thresholds: Readonly<Record<string, number>> = { ...p.thresholds, ...overrides };
  return (p.reads ?? []).map((r) => {
    const source = 'table' in r.source ? `${r.source.table}|${r.source.dateColumn}` : r.source.processor;
    if ('seasons' in r.window) {
      const seasons = positiveInteger(r.window.seasons, `${p.key}: the seasons of a read of ${source}`);
      return { id: `${source}|seasons:${seasons}`, source: r.source, window: { seasons } };
    }
    const spec = r.window.days;
    const days = positiveInteger(typeof spec === 'number' ? spec : thresholds[spec.threshold], `${p.key}: the days of a read of ${source}${typeof spec === 'number' ? '' : ` (threshold ${spec.threshold})`}`);
    return { id: `${source}|days:${days}:${r.window.anchor}`, source: r.source, window: { days, anchor: r.window.anchor } };
  });
}

/** The Monday on or before `date`. */
export function mondayOnOrBefore(date: IsoDate): IsoDate {
  return addDays(date, -(((daysBetween(MONDAY_EPOCH, date) % 7) + 7) % 7));
}

/** The dates a days-window of a partition dated `date` covers: [A - days, A - 1], A = date or its Monday. */
export function daysWindowRange(window: { readonly days: number; readonly anchor: 'date' | 'monday' }, date: IsoDate): { readonly from: IsoDate; readonly to: IsoDate } {
  const a = window.anchor === 'monday' ? mondayOnOrBefore(date) : date;
  return { from: addDays(a, -window.days), to: addDays(a, -1) };
}

/** The windows over other processors' partitions, per upstream processor (for the planner). */
export function outputWindows(reads: readonly ResolvedRead[]): { readonly upstream: ProcessorKey; readonly days: number; readonly anchor: 'date' | 'monday' }[] {
  return reads.flatMap((r) => ('processor' in r.source && 'days' in r.window ? [{ upstream: r.source.processor, days: r.window.days, anchor: r.window.anchor }] : []));
}
