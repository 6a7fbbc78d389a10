// `backfill --dry-run` on BigQuery: what each planned batch job would scan, by dry-run jobs (free,
// never run), and the on-demand cost that implies. A dry run cannot read a temp table the script has
// not created yet, so each statement is dry-run on its own with the candidates read from their
// sources: an upper bound (the script reads the candidates' sources once, not per statement).
import type { ProcessorKey } from '../processors/processor.js';
import { onDemandCostUsd } from '../warehouse/bigquery/bigquery-config.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { batchParams, batchStatements } from './batch.js';
import type { PlanResult } from './run.js';
import { DEFAULT_RETRY } from './retry.js';

export interface BatchEstimate {
  readonly processor: ProcessorKey;
  readonly from: string;
  readonly to: string;
  readonly partitions: number;
  /** Statements dry-run for this batch's script job. */
  readonly statements: number;
  /** Bytes the statements would scan, summed. */
  readonly bytes: number;
  /** On-demand cost: each statement is billed on its own, at least 10 MiB when it scans anything. */
  readonly costUsd: number;
}

export interface EstimateOptions {
  readonly pricePerTiBUsd: number;
  readonly thresholds?: Readonly<Partial<Record<ProcessorKey, Readonly<Record<string, number>>>>>;
  readonly timeoutMs?: number;
}

/** One estimate per planned batch (each is one script job), in plan order. */
export async function estimateBackfill(wh: Warehouse, planned: PlanResult, o: EstimateOptions): Promise<BatchEstimate[]> {
  const byKey = new Map(planned.processors.map((p) => [p.key, p]));
  const out: BatchEstimate[] = [];
  for (const b of planned.plan.batches) {
    const p = byKey.get(b.processor);
    if (!p) continue;
    const thresholds = { ...p.thresholds, ...(o.thresholds?.[p.key] ?? {}) };
    const spec = { from: b.from, to: b.to, dates: b.dates.map((date) => ({ date, isBootstrap: false })), fingerprints: b.dates.map(() => '') };
    const context = { runId: 'dry_run', timeoutMs: o.timeoutMs ?? 60_000, retry: DEFAULT_RETRY, thresholds };
    const params = batchParams(p, spec, context, new Date(), new Date());
    const statements = batchStatements(wh.dialect, { ...p, staged: undefined });
    let bytes = 0;
    let costUsd = 0;
    for (const sql of statements) {
      const r = await wh.dryRun(sql, params, { timeoutMs: context.timeoutMs, labels: { processor: p.key } });
      const scanned = r.totalBytesProcessed ?? 0;
      bytes += scanned;
      costUsd += onDemandCostUsd(scanned, o.pricePerTiBUsd);
    }
    out.push({ processor: p.key, from: b.from, to: b.to, partitions: b.dates.length, statements: statements.length, bytes, costUsd });
  }
  return out;
}

/** Report rows for `backfill --dry-run`: one per planned job, then the total. */
export function estimateRows(estimates: readonly BatchEstimate[]): Row[] {
  const mib = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;
  const usd = (cost: number) => Math.round(cost * 1e6) / 1e6;
  const rows: Row[] = estimates.map((e, i) => ({ job: i + 1, processor: e.processor, from: e.from, to: e.to, partitions: e.partitions, statements: e.statements, scan_mib: mib(e.bytes), cost_usd: usd(e.costUsd) }));
  const total = estimates.reduce((t, e) => ({ bytes: t.bytes + e.bytes, cost: t.cost + e.costUsd, partitions: t.partitions + e.partitions, statements: t.statements + e.statements }), { bytes: 0, cost: 0, partitions: 0, statements: 0 });
  rows.push({ job: 'total', processor: null, from: null, to: null, partitions: total.partitions, statements: total.statements, scan_mib: mib(total.bytes), cost_usd: usd(total.cost) });
  return rows;
}
