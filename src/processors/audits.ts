// Audits shared by every processor: queries that return the offending rows of $from..$to. One text for
// both engines: the engine runs each inside the batch's unit through assertEmpty (BigQuery's ASSERT).
import type { Audit, HistoryWindow } from './processor.js';

/** What a processor reads without a declaration: D's season only. */
export const SAME_SEASON: HistoryWindow = { seasons: 1, reason: "a row reads only its own season's games" };

/**
 * The as-of rule with its declared window: a row dated D read only games before D (source_last_game_date
 * < D) and none before the first game of the window's earliest season (the season `seasons - 1` before
 * D's, or the earliest one loaded after it). A row that read no game has both dates NULL, never one.
 */
export function asOfAudit(table: string, dateColumn: string, window: HistoryWindow = SAME_SEASON): Audit {
  if (!Number.isInteger(window.seasons) || window.seasons < 1) throw new Error(`${table}: history window of ${window.seasons} seasons`);
  return {
    name: 'as_of_window',
    sql: `SELECT o.* FROM ${table} o
          WHERE o.${dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
            AND (o.source_last_game_date >= o.${dateColumn}
                 OR (o.source_first_game_date IS NULL) <> (o.source_last_game_date IS NULL)
                 OR o.source_first_game_date < (SELECT min(s.game_date) FROM nba_reference.schedule s
                                                WHERE s.season_year > o.season_year - ${window.seasons}))`,
  };
}

/** The declared grain: at most one row per entity and date. */
export function grainAudit(table: string, dateColumn: string, keys: readonly string[]): Audit {
  const cols = [...keys, dateColumn].join(', ');
  return {
    name: 'grain_unique',
    sql: `SELECT ${cols}, count(*) AS copies FROM ${table}
          WHERE ${dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
          GROUP BY ${cols} HAVING count(*) > 1`,
  };
}

/** The audits every processor runs: the as-of rule in its declared window, and its grain (one row per entity and date). */
export function standardAudits(table: string, dateColumn: string, entityColumn: string, window: HistoryWindow = SAME_SEASON): readonly Audit[] {
  return [asOfAudit(table, dateColumn, window), grainAudit(table, dateColumn, [entityColumn])];
}
