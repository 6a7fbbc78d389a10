// Partition health: one cell per processor × game date, coloured by what the engine would do
// with it. Stored statuses come from nba_processing.partition_status; "stale" is the engine's own
// verdict (readPlan: version or upstream fingerprint changed), so the grid and `backfill` agree.
import type { IsoDate } from '../../core/dates.js';
import { readPlan } from '../../engine/run.js';
import type { PlanReason } from '../../engine/plan.js';
import { partitionKey } from '../../engine/types.js';
import { PROCESSORS } from '../../processors/index.js';
import type { ProcessorKey } from '../../processors/processor.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { READ_TIMEOUT_MS } from '../read-warehouse.js';

export const CELL_STATUSES = ['complete', 'bootstrap', 'failed', 'skipped', 'missing', 'stale'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

/** Plan reasons that make a stored complete/bootstrap partition out of date. */
const STALE_REASONS: ReadonlySet<PlanReason> = new Set(['stale_version', 'stale_upstream', 'upstream_planned']);

export interface HealthCell {
  readonly processor: ProcessorKey;
  readonly date: IsoDate;
  readonly status: CellStatus;
  /** As stored (complete, bootstrap_empty, failed, skipped_upstream), null when never built. */
  readonly stored_status: string | null;
  /** Why a stale cell is stale, in the planner's words (stale_version, stale_upstream, upstream_planned). */
  readonly stale_reason: PlanReason | null;
  readonly rows_written: number | null;
  readonly entity_failures: number | null;
  readonly failure_category: string | null;
}

export interface HealthGrid {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly processors: readonly { readonly key: ProcessorKey; readonly processor_name: string; readonly version: string }[];
  readonly dates: readonly { readonly date: IsoDate; readonly is_bootstrap: boolean }[];
  /** Processor-major, dates ascending: exactly processors × game dates of the range. */
  readonly cells: readonly HealthCell[];
  readonly counts: Readonly<Record<ProcessorKey, Readonly<Record<CellStatus, number>>>>;
  readonly totals: Readonly<Record<CellStatus, number>>;
}

interface StoredRow {
  processor_name: string;
  partition_date: string;
  status: string;
  rows_written: number;
  entity_failures: number;
  failure_category: string | null;
}

function cellStatus(stored: string | undefined, reason: PlanReason | undefined): CellStatus {
  switch (stored) {
    case undefined:
      return 'missing';
    case 'failed':
      return 'failed';
    case 'skipped_upstream':
      return 'skipped';
    default:
      if (reason !== undefined && STALE_REASONS.has(reason)) return 'stale';
      return stored === 'bootstrap_empty' ? 'bootstrap' : 'complete';
  }
}

const zeroCounts = (): Record<CellStatus, number> => ({ complete: 0, bootstrap: 0, failed: 0, skipped: 0, missing: 0, stale: 0 });

export async function loadHealthGrid(wh: Warehouse, from: IsoDate, to: IsoDate): Promise<HealthGrid> {
  const planned = await readPlan(wh, PROCESSORS, 'backfill', { from, to, timeoutMs: READ_TIMEOUT_MS });
  const reasons = new Map(planned.plan.partitions.map((p) => [partitionKey(p.processor, p.date), p.reason]));
  const rows = await wh.query<StoredRow & Record<string, unknown>>(
    `SELECT processor_name, partition_date, status, rows_written, entity_failures, failure_category
FROM nba_processing.partition_status
WHERE partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
    { from, to },
  );
  const keyOf = new Map(PROCESSORS.map((p) => [p.processorName, p.key]));
  const stored = new Map<string, StoredRow>();
  for (const r of rows) {
    const key = keyOf.get(r.processor_name);
    if (key) stored.set(partitionKey(key, r.partition_date), r);
  }
  const cells: HealthCell[] = [];
  const counts = {} as Record<ProcessorKey, Record<CellStatus, number>>;
  const totals = zeroCounts();
  for (const p of PROCESSORS) {
    const mine = zeroCounts();
    counts[p.key] = mine;
    for (const d of planned.gameDates) {
      const k = partitionKey(p.key, d.date);
      const s = stored.get(k);
      const reason = reasons.get(k);
      const status = cellStatus(s?.status, reason);
      mine[status] += 1;
      totals[status] += 1;
      cells.push({
        processor: p.key,
        date: d.date,
        status,
        stored_status: s?.status ?? null,
        stale_reason: status === 'stale' ? (reason ?? null) : null,
        rows_written: s?.rows_written ?? null,
        entity_failures: s?.entity_failures ?? null,
        failure_category: s?.failure_category ?? null,
      });
    }
  }
  return {
    from,
    to,
    processors: PROCESSORS.map((p) => ({ key: p.key, processor_name: p.processorName, version: p.version })),
    dates: planned.gameDates.map((d) => ({ date: d.date, is_bootstrap: d.isBootstrap })),
    cells,
    counts,
    totals,
  };
}
