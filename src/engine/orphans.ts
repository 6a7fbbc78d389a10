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

const NOT_A_GAME_DATE = (column: string) =>
  `${column} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND ${column} NOT IN (SELECT game_date FROM nba_reference.game_dates)`;

/** Orphans of one processor in [from, to]: its outputs, statuses and failures on dates that are not game dates. */
async function countOrphans(wh: Warehouse, p: ProcessorDefinition, span: DateSpan): Promise<OrphanCount> {
  const [c] = await wh.query<{ n_dates: number; n_rows: number; n_statuses: number; n_failures: number }>(
    `WITH o AS (
  SELECT ${p.dateColumn} AS d, 1 AS is_row, 0 AS is_status, 0 AS is_failure FROM ${p.outputTable} WHERE ${NOT_A_GAME_DATE(p.dateColumn)}
  UNION ALL
  SELECT partition_date, 0, 1, 0 FROM nba_processing.partition_status WHERE processor_name = $processor_name AND ${NOT_A_GAME_DATE('partition_date')}
  UNION ALL
  SELECT analysis_date, 0, 0, 1 FROM nba_processing.precompute_failures WHERE processor_name = $processor_name AND ${NOT_A_GAME_DATE('analysis_date')}
)
SELECT count(DISTINCT d) AS n_dates, coalesce(sum(is_row), 0) AS n_rows, coalesce(sum(is_status), 0) AS n_statuses, coalesce(sum(is_failure), 0) AS n_failures FROM o`,
    { from: span.from, to: span.to, processor_name: p.processorName },
  );
  return { processor: p.key, dates: Number(c?.n_dates ?? 0), rows: Number(c?.n_rows ?? 0), statuses: Number(c?.n_statuses ?? 0), failures: Number(c?.n_failures ?? 0) };
}

async function tableExists(wh: Warehouse, table: string): Promise<boolean> {
  const [c] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema || '.' || table_name = $table`, { table });
  return Number(c?.n ?? 0) > 0;
}

/**
 * What coverage shows: per processor, orphans in [from, to] (all zero when the warehouse is sound).
 * Read-only: a processor whose table was never created has none.
 */
export async function findOrphans(wh: Warehouse, processors: readonly ProcessorDefinition[], span: DateSpan): Promise<OrphanCount[]> {
  const out: OrphanCount[] = [];
  for (const p of processors) {
    out.push((await tableExists(wh, p.outputTable)) ? await countOrphans(wh, p, span) : { processor: p.key, dates: 0, rows: 0, statuses: 0, failures: 0 });
  }
  return out;
}

/**
 * Deletes every processor's orphans in [from, to] — outputs, partition statuses, precompute
 * failures — and returns what it removed. Call it inside the transaction that changed the schedule.
 */
export async function removeOrphans(tx: Warehouse, processors: readonly ProcessorDefinition[], span: DateSpan): Promise<OrphanCount[]> {
  const removed: OrphanCount[] = [];
  for (const p of processors) {
    await tx.exec(p.ddl); // a processor that never ran has no table yet, and so no orphans
    const found = await countOrphans(tx, p, span);
    if (found.dates === 0) {
      removed.push(found);
      continue;
    }
    const params = { from: span.from, to: span.to, processor_name: p.processorName };
    await tx.exec(`DELETE FROM ${p.outputTable} WHERE ${NOT_A_GAME_DATE(p.dateColumn)}`, params);
    await tx.exec(`DELETE FROM nba_processing.partition_status WHERE processor_name = $processor_name AND ${NOT_A_GAME_DATE('partition_date')}`, params);
    await tx.exec(`DELETE FROM nba_processing.precompute_failures WHERE processor_name = $processor_name AND ${NOT_A_GAME_DATE('analysis_date')}`, params);
    removed.push(found);
  }
  return removed;
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
