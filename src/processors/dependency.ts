// Shorthands for the upstream checks a processor declares (see Dependency in processor.ts). Every
// check asks for at least one row; Phase 3 tables are dated by game_date.
import type { DaysWindow, Dependency, ProcessorKey, Read, ReadWindow } from './processor.js';

/** Columns that must be non-NULL in at least `ratio` of the rows counted; `critical` defaults to true. */
export interface CheckedColumns {
  readonly columns: readonly string[];
  readonly ratio: number;
  readonly critical?: boolean;
}

/** Game history: rows of a Phase 3 game summary in the `days` days before D. */
export function lookback(table: string, days: number, checked: CheckedColumns): Dependency {
  return { source: { table, dateColumn: 'game_date' }, check: 'lookback', lookbackDays: days, ...common(checked) };
}

/** Pre-game context: rows of a Phase 3 table dated D. */
export function sameDay(table: string, checked: CheckedColumns): Dependency {
  return { source: { table, dateColumn: 'game_date' }, check: 'date_match', ...common(checked) };
}

/** Another processor's output rows dated D. */
export function processorRows(processor: ProcessorKey, checked: CheckedColumns): Dependency {
  return { source: { processor }, check: 'date_match', ...common(checked) };
}

function common(c: CheckedColumns): Pick<Dependency, 'minRows' | 'criticalColumns' | 'minNonNullRatio' | 'critical'> {
  return { minRows: 1, criticalColumns: c.columns, minNonNullRatio: c.ratio, critical: c.critical ?? true };
}

/** Fingerprint only: the rows of a Phase 3 table (dated by game_date) the processor reads before D. */
export function reads(table: string, window: ReadWindow, why: string): Read {
  return { source: { table, dateColumn: 'game_date' }, window, why };
}

/** Fingerprint only: the partitions of another processor the processor reads before D. */
export function readsOutput(processor: ProcessorKey, window: DaysWindow, why: string): Read {
  return { source: { processor }, window, why };
}
