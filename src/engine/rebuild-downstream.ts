// What an upstream change from a date on made stale, rebuilt by the engine itself: a default (not
// forced) backfill from that date to the last partition date stored. `registry reprocess` calls it
// after rebuilding Phase 3 dates, so a failure is REPROCESSED only once everything downstream is.
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition, ProcessorKey } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { runBackfill, type RunOptions } from './run.js';
import type { RunSummary } from './types.js';

/** Per processor name, the last partition date stored (any status). */
export const LAST_PARTITIONS_SQL = `SELECT processor_name, CAST(max(partition_date) AS STRING) AS last_date
FROM nba_processing.partition_status GROUP BY processor_name`;

export interface DownstreamRebuild {
  /** The backfill's range; null when no partition is stored on or after `from` (nothing built there to go stale). */
  readonly range: { readonly from: IsoDate; readonly to: IsoDate } | null;
  /** The processors it covered: those with partitions stored (a processor never built is not started here). */
  readonly processors: readonly ProcessorKey[];
  /** The run; null when there was none (no range, or every partition in it was up to date). */
  readonly summary: RunSummary | null;
}

/**
 * A default backfill over [from, the last partition date stored] of the processors that have stored
 * partitions: the engine's own plan picks what is stale there (the upstream fingerprints changed), and
 * also, as any backfill of that range would, what is missing or failed in it. Read-only when nothing
 * is to be done (no run is recorded, as `backfill` records none then); otherwise one run with the
 * engine's history, statuses, failure rows and notifications.
 */
export async function rebuildDownstream(
  wh: Warehouse,
  all: readonly ProcessorDefinition[],
  from: IsoDate,
  options: Omit<RunOptions, 'from' | 'to' | 'processors' | 'force'>,
): Promise<DownstreamRebuild> {
  const stored = await wh.query<{ processor_name: string; last_date: string }>(LAST_PARTITIONS_SQL, {}, { timeoutMs: options.timeoutMs });
  const last = new Map(stored.map((r) => [r.processor_name, r.last_date]));
  const built = all.filter((p) => last.has(p.processorName));
  const to = built.map((p) => last.get(p.processorName) as IsoDate).sort().at(-1);
  const processors = built.map((p) => p.key);
  if (to === undefined || to < from) return { range: null, processors, summary: null };
  // run_history's arguments: the range and processors, beside what the caller adds (the command's flags).
  const args = { from, to, processors, ...(typeof options.args === 'object' && options.args !== null ? options.args : {}) };
  const run: RunOptions = { ...options, from, to, processors, args };
  // One planning pass: nothing to do → no run recorded (summary null); else the run executes that plan.
  return { range: { from, to }, processors, summary: await runBackfill(wh, all, { ...run, unlessIdle: true }) };
}

/** Whether the downstream is rebuilt (no run needed, or a run that succeeded), and one line saying what happened. */
export function downstreamOutcome(d: DownstreamRebuild, from: IsoDate): { readonly ok: boolean; readonly detail: string } {
  if (!d.range) return { ok: true, detail: `no partitions stored from ${from} on: nothing downstream to rebuild` };
  const range = `${d.range.from}..${d.range.to}`;
  if (!d.summary) return { ok: true, detail: `${range} up to date` };
  const s = d.summary;
  const built = s.processors.reduce((n, p) => n + p.complete + p.bootstrapEmpty, 0);
  const bad = s.failedPartitions.length;
  return { ok: s.status === 'success', detail: `run ${s.runId} ${range}: ${s.status}, ${built} partition${built === 1 ? '' : 's'} rebuilt${bad > 0 ? `, ${bad} failed or skipped` : ''}` };
}

/**
 * rebuildDownstream as the registry's reprocess takes it (`Downstream` of src/ingest/registry): the
 * run carries the reprocess's run id; `onRebuild` sees what was done (the CLI prints the run's summary).
 */
export function engineDownstream(
  wh: Warehouse,
  all: readonly ProcessorDefinition[],
  options: Omit<RunOptions, 'from' | 'to' | 'processors' | 'force' | 'runId'> = {},
  onRebuild: (d: DownstreamRebuild) => void = () => undefined,
): (args: { readonly from: string; readonly runId: string }) => Promise<{ readonly ok: boolean; readonly detail: string }> {
  return async ({ from, runId }) => {
    const d = await rebuildDownstream(wh, all, from, { ...options, runId });
    onRebuild(d);
    return downstreamOutcome(d, from);
  };
}
