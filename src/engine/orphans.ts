// Phase 4 partitions exist only on game dates (SYSTEM.md §3). When a season is re-ingested with
// fewer games, dates drop out of the schedule, and their Phase 4 rows, partition statuses and
// failures ("orphans") would describe games that no longer exist — invisible to coverage, which
// walks the game dates. Ingest removes them in its transaction; coverage counts any that remain.
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition, ProcessorKey } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface OrphanCount {
  readonly processor: ProcessorKey;
  /** Dates in range that are not game dates and have output rows, a status or failures. */
  readonly dates: number;
  readonly rows: number;
  readonly statuses: number;
  readonly failures: number;
}

export interface DateSpan {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** `column` is a date in [$from, $to] (or, given `spans`, in one of $from_0..$to_0, $from_1..$to_1, …) and not a game date. */
const NOT_A_GAME_DATE = (column: string, spans?: number) => {
  const within = spans === undefined ? `${column} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`
    : `(${Array.from({ length: spans }, (_x, i) => `${column} BETWEEN CAST($from_${i} AS DATE) AND CAST($to_${i} AS DATE)`).join(' OR ')})`;
  return `${within} AND ${column} NOT IN (SELECT game_date FROM nba_reference.game_dates)`;
};

/** The count of one processor's orphans (params: the spans', and the processor's name as `$${nameParam}`). */
function countOrphansSql(p: ProcessorDefinition, nameParam = 'processor_name', spans?: number): string {
  return `WITH o AS (
  SELECT ${p.dateColumn} AS d, 1 AS is_row, 0 AS is_status, 0 AS is_failure FROM ${p.outputTable} WHERE ${NOT_A_GAME_DATE(p.dateColumn, spans)}
  UNION ALL
  SELECT partition_date, 0, 1, 0 FROM nba_processing.partition_status WHERE processor_name = $${nameParam} AND ${NOT_A_GAME_DATE('partition_date', spans)}
  UNION ALL
  SELECT analysis_date, 0, 0, 1 FROM nba_processing.precompute_failures WHERE processor_name = $${nameParam} AND ${NOT_A_GAME_DATE('analysis_date', spans)}
)
SELECT count(DISTINCT d) AS n_dates, coalesce(sum(is_row), 0) AS n_rows, coalesce(sum(is_status), 0) AS n_statuses, coalesce(sum(is_failure), 0) AS n_failures FROM o`;
}

/** Orphans of one processor in [from, to]: its outputs, statuses and failures on dates that are not game dates. */
async function countOrphans(wh: Warehouse, p: ProcessorDefinition, span: DateSpan): Promise<OrphanCount> {
  const [c] = await wh.query<{ n_dates: number; n_rows: number; n_statuses: number; n_failures: number }>(countOrphansSql(p), {
    from: span.from,
    to: span.to,
    processor_name: p.processorName,
  });
  return { processor: p.key, dates: Number(c?.n_dates ?? 0), rows: Number(c?.n_rows ?? 0), statuses: Number(c?.n_statuses ?? 0), failures: Number(c?.n_failures ?? 0) };
}

/**
 * What coverage shows: per processor, orphans in [from, to] (all zero when the warehouse is sound).
 * Read-only: a processor whose table was never created has none. Whether it exists is asked of the
 * warehouse (its catalog; on BigQuery an API call, not a query job).
 */
export async function findOrphans(wh: Warehouse, processors: readonly ProcessorDefinition[], span: DateSpan): Promise<OrphanCount[]> {
  const out: OrphanCount[] = [];
  for (const p of processors) {
    out.push((await wh.columns(p.outputTable)) ? await countOrphans(wh, p, span) : { processor: p.key, dates: 0, rows: 0, statuses: 0, failures: 0 });
  }
  return out;
}

/** Statements that add to an atomic unit (the ingest's WriteUnit). */
export interface UnitBuilder {
  add(sql: string, params?: Readonly<Record<string, string | number>>): unknown;
}

/** The temp table orphanStatements counts into, and the query that reads it (one row per processor, in order). */
export const ORPHAN_COUNTS_SQL = `SELECT processor, n_dates, n_rows, n_statuses, n_failures FROM ingest_orphans ORDER BY position`;

/**
 * Every processor's orphans in the spans — outputs, partition statuses, precompute failures —
 * counted into the temp table `ingest_orphans` (ORPHAN_COUNTS_SQL reads it) and deleted: statements
 * of the atomic unit that changed the schedule (migrate has created every processor's table).
 */
export function orphanStatements(unit: UnitBuilder, processors: readonly ProcessorDefinition[], spans: readonly DateSpan[]): void {
  if (spans.length === 0) return;
  const within: Record<string, string> = {};
  spans.forEach((s, i) => Object.assign(within, { [`from_${i}`]: s.from, [`to_${i}`]: s.to }));
  const n = spans.length;
  const params: Record<string, string | number> = { ...within };
  processors.forEach((p, i) => {
    params[`orphan_key_${i}`] = p.key;
    params[`orphan_processor_${i}`] = p.processorName;
    params[`orphan_position_${i}`] = i;
  });
  unit.add(
    `CREATE OR REPLACE TEMP TABLE ingest_orphans AS
${processors.map((p, i) => `SELECT $orphan_position_${i} AS position, $orphan_key_${i} AS processor, c.* FROM (${countOrphansSql(p, `orphan_processor_${i}`, n)}) c`).join('\nUNION ALL\n')}`,
    params,
  );
  for (const p of processors) {
    const own = { ...within, processor_name: p.processorName };
    unit.add(`DELETE FROM ${p.outputTable} WHERE ${NOT_A_GAME_DATE(p.dateColumn, n)}`, within);
    unit.add(`DELETE FROM nba_processing.partition_status WHERE processor_name = $processor_name AND ${NOT_A_GAME_DATE('partition_date', n)}`, own);
    unit.add(`DELETE FROM nba_processing.precompute_failures WHERE processor_name = $processor_name AND ${NOT_A_GAME_DATE('analysis_date', n)}`, own);
  }
}

/** The rows of ORPHAN_COUNTS_SQL as counts. */
export function orphanCounts(rows: readonly Record<string, unknown>[]): OrphanCount[] {
  return rows.map((r) => ({
    processor: r['processor'] as ProcessorKey,
    dates: Number(r['n_dates'] ?? 0),
    rows: Number(r['n_rows'] ?? 0),
    statuses: Number(r['n_statuses'] ?? 0),
    failures: Number(r['n_failures'] ?? 0),
  }));
}

/** The first and last scheduled game date of a season (2021 = 2021-22), or null before it is loaded. */
export async function seasonSpan(wh: Warehouse, seasonYear: number): Promise<DateSpan | null> {
  const [s] = await wh.query<{ first_date: string | null; last_date: string | null }>(
    `SELECT CAST(min(game_date) AS STRING) AS first_date, CAST(max(game_date) AS STRING) AS last_date FROM nba_reference.schedule WHERE season_year = $season_year`,
    { season_year: seasonYear },
  );
  return s?.first_date && s.last_date ? { from: s.first_date, to: s.last_date } : null;
}

/** The smallest span covering both (either may be missing). */
export function coverSpans(a: DateSpan | null, b: DateSpan | null): DateSpan | null {
  if (!a || !b) return a ?? b;
  return { from: a.from < b.from ? a.from : b.from, to: a.to > b.to ? a.to : b.to };
}
