// Engine results as report rows (for --format table|csv|json) and the parsing of engine options
// shared by the commands that start runs.
import { UsageError } from '../core/errors.js';
import type { ProcessorKey } from '../processors/processor.js';
import type { Row } from '../warehouse/warehouse.js';
import type { Plan, PlannedPartition } from './plan.js';
import type { RunSummary } from './types.js';

const KEYS: readonly ProcessorKey[] = ['psza', 'tdza', 'pdc', 'pcf', 'mlfs', 'pred'];

export function parseProcessorList(value: string | undefined): ProcessorKey[] | undefined {
  if (value === undefined) return undefined;
  const keys = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  // An empty list is a mistake (an unset shell variable, say), not "all processors".
  if (keys.length === 0) throw new UsageError(`--processors names no processor (got '${value}'); use some of ${KEYS.join(',')}, or leave the flag out for all`);
  const bad = keys.filter((k) => !(KEYS as readonly string[]).includes(k));
  if (bad.length > 0) throw new UsageError(`--processors: unknown ${bad.join(', ')} (use ${KEYS.join(',')})`);
  return keys as ProcessorKey[];
}

export function parsePositive(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  return n;
}

export function summaryRows(s: RunSummary): Row[] {
  return s.processors.map((p) => ({
    processor: p.processor,
    planned: p.planned,
    up_to_date: p.upToDate,
    complete: p.complete,
    bootstrap: p.bootstrapEmpty,
    failed: p.failed,
    skipped: p.skippedUpstream,
    rows: p.rowsWritten,
    entity_failures: p.entityFailures,
    batches: p.batches,
    seconds: Math.round(p.durationMs / 100) / 10,
  }));
}

/**
 * What the run summary says beyond the table (summaryRows): the run, its outcome, and the first
 * failed partitions with their reasons. Table output only; json/csv carry the rows alone.
 */
export function summaryFooter(s: RunSummary, limit = 10): string {
  const lines = [`run ${s.runId}: ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s, ${s.failedPartitions.length} failed or skipped partition${s.failedPartitions.length === 1 ? '' : 's'}`];
  // Processors of a level run concurrently: sort, so that the same run always reads the same.
  const failed = [...s.failedPartitions].sort((a, b) => a.date.localeCompare(b.date) || a.processor.localeCompare(b.processor));
  for (const f of failed.slice(0, limit)) lines.push(`  ${f.processor} ${f.date} ${f.status}${f.category ? ` ${f.category}` : ''}: ${f.reason.slice(0, 200)}`);
  if (s.failedPartitions.length > limit) lines.push(`  … and ${s.failedPartitions.length - limit} more (courtside failures --from ${s.from} --to ${s.to})`);
  return lines.join('\n');
}

/**
 * The summary rows of a backfill with nothing to do (no run was started): every processor's
 * partitions up to date, the same columns as summaryRows.
 */
export function upToDateRows(processors: readonly { readonly key: ProcessorKey }[], plan: Plan): Row[] {
  return processors.map((p) => ({
    processor: p.key,
    planned: 0,
    up_to_date: plan.upToDate.get(p.key) ?? 0,
    complete: 0,
    bootstrap: 0,
    failed: 0,
    skipped: 0,
    rows: 0,
    entity_failures: 0,
    batches: 0,
    seconds: 0,
  }));
}

/** What a backfill with nothing to do says beyond its rows (table output only). */
export function upToDateFooter(plan: Plan, from: string, to: string): string {
  const n = [...plan.upToDate.values()].reduce((a, b) => a + b, 0);
  return `nothing to do: ${n} partition${n === 1 ? '' : 's'} between ${from} and ${to} up to date (no run started; --force rebuilds them)`;
}

function reasonCounts(parts: readonly PlannedPartition[]): string {
  const counts = new Map<string, number>();
  for (const p of parts) counts.set(p.reason, (counts.get(p.reason) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${r}:${n}`).join(' ');
}

/** The plan in execution order: per level and processor, its batches, then what will fail or be skipped. */
export function planRows(plan: Plan): Row[] {
  const rows: Row[] = [];
  let step = 0;
  plan.levels.forEach((level, i) => {
    for (const key of level) {
      const parts = plan.partitions.filter((p) => p.processor === key);
      for (const b of plan.batches.filter((x) => x.processor === key)) {
        const inBatch = parts.filter((p) => b.dates.includes(p.date));
        rows.push({ step: ++step, level: i + 1, processor: key, from: b.from, to: b.to, partitions: b.dates.length, action: 'run', why: reasonCounts(inBatch) });
      }
      for (const p of parts.filter((x) => x.action !== 'run')) {
        rows.push({ step: ++step, level: i + 1, processor: key, from: p.date, to: p.date, partitions: 1, action: p.action, why: `${p.reason}; ${p.detail}` });
      }
      if (parts.length === 0) rows.push({ step: ++step, level: i + 1, processor: key, from: null, to: null, partitions: 0, action: 'none', why: `${plan.upToDate.get(key) ?? 0} partitions up to date` });
    }
  });
  return rows;
}
