// One partition (processor × game date): its stored status, what the engine thinks of it now,
// its failures (the same report `courtside failures` prints, for this one date) and the run that
// wrote it.
import type { IsoDate } from '../../core/dates.js';
import { failuresReport } from '../../engine/reports.js';
import type { ProcessorDefinition } from '../../processors/processor.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';
import { NotFoundError } from '../http-errors.js';
import { loadHealthGrid, type HealthCell } from './health.js';
import { loadRunRow } from './runs.js';

export interface PartitionDetail {
  readonly processor: { readonly key: string; readonly processor_name: string; readonly output_table: string; readonly current_version: string };
  readonly date: IsoDate;
  readonly is_bootstrap: boolean;
  readonly cell: HealthCell;
  /** The partition_status row, null when the partition was never built. */
  readonly stored: Row | null;
  readonly run: Row | null;
  /** Exactly `courtside failures --from D --to D --processor P`. */
  readonly failures: { readonly by_category: Row[]; readonly top_reasons: Row[] };
  /** Every failure row of the partition (entity or DATE_LEVEL), by category then entity. */
  readonly entities: Row[];
}

/** Reasons listed for one partition: all of them (a date has at most a few hundred entities). */
const ALL_REASONS = 10_000;

export async function loadPartition(wh: Warehouse, p: ProcessorDefinition, date: IsoDate): Promise<PartitionDetail> {
  const grid = await loadHealthGrid(wh, date, date);
  const cell = grid.cells.find((c) => c.processor === p.key);
  const day = grid.dates[0];
  if (!cell || !day) throw new NotFoundError(`${date} is not a game date in the schedule, so it has no partitions`);
  const [stored] = await wh.query(
    `SELECT status, failure_category, rows_written, entity_failures, run_id, processor_version, upstream_fingerprint,
       output_checksum, detail, started_at, finished_at, duration_ms
FROM nba_processing.partition_status WHERE processor_name = $processor AND partition_date = CAST($date AS DATE)`,
    { processor: p.processorName, date },
  );
  const runId = stored?.['run_id'];
  const run = typeof runId === 'string' ? await loadRunRow(wh, runId, 'run_id, command, mode, started_at, finished_at') : null;
  const report = await failuresReport(wh, date, date, p.processorName, ALL_REASONS);
  const entities = await wh.query(
    `SELECT failure_category, entity_id, failure_reason, is_expected, can_retry, occurrence_count, run_id, first_seen_at, last_seen_at
FROM nba_processing.precompute_failures
WHERE processor_name = $processor AND analysis_date = CAST($date AS DATE)
ORDER BY failure_category, entity_id`,
    { processor: p.processorName, date },
  );
  return {
    processor: { key: p.key, processor_name: p.processorName, output_table: p.outputTable, current_version: p.version },
    date,
    is_bootstrap: day.is_bootstrap,
    cell,
    stored: stored ?? null,
    run: run ?? null,
    failures: { by_category: report.byCategory, top_reasons: report.topReasons },
    entities,
  };
}
