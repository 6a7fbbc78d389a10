// Audits shared by every processor: queries that return the offending rows of $from..$to.
import type { Audit } from './processor.js';

/** The as-of rule: a row dated D read only games before D. NULL = read no game (allowed where the DDL allows it). */
export function asOfAudit(table: string, dateColumn: string): Audit {
  return {
    name: 'as_of_source_before_date',
    sql: `SELECT * FROM ${table}
          WHERE ${dateColumn} BETWEEN $from::DATE AND $to::DATE
            AND source_last_game_date >= ${dateColumn}`,
  };
}

/** The declared grain: at most one row per entity and date. */
export function grainAudit(table: string, dateColumn: string, keys: readonly string[]): Audit {
  const cols = [...keys, dateColumn].join(', ');
  return {
    name: 'grain_unique',
    sql: `SELECT ${cols}, count(*) AS copies FROM ${table}
          WHERE ${dateColumn} BETWEEN $from::DATE AND $to::DATE
          GROUP BY ${cols} HAVING count(*) > 1`,
  };
}

/** The audits every processor runs: the as-of rule and its grain (one row per entity and date). */
export function standardAudits(table: string, dateColumn: string, entityColumn: string): readonly Audit[] {
  return [asOfAudit(table, dateColumn), grainAudit(table, dateColumn, [entityColumn])];
}
