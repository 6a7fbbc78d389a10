// The backfill plan as a pure function: which partitions to (re)build, in which order, why, and in
// which batches. Everything effectful (reading statuses, checking dependencies) happens before it.
import { daysBetween, lowerBound, type IsoDate } from '../core/dates.js';
import { CourtsideError } from '../core/errors.js';
import type { ProcessorKey } from '../processors/processor.js';
import { daysWindowRange } from './read-windows.js';
import { partitionKey, type DependencyVerdict, type GameDate, type PartitionState } from './types.js';

export interface PlanProcessor {
  readonly key: ProcessorKey;
  readonly version: string;
  /** Processors whose output this one reads (dependsOn plus processor-sourced dependencies). */
  readonly upstream: readonly ProcessorKey[];
  /**
   * Windows of earlier partitions of an upstream this one reads (its reads over another processor's
   * output, days resolved): a partition of the upstream planned inside the window of D plans D too.
   */
  readonly upstreamWindows?: readonly { readonly upstream: ProcessorKey; readonly days: number; readonly anchor: 'date' | 'monday' }[];
}

export type PlanReason = 'forced' | 'missing' | 'failed' | 'skipped_upstream' | 'stale_version' | 'upstream_planned' | 'stale_upstream';
export type PlanAction = 'run' | 'fail_dependencies' | 'skip_upstream';

export interface PlannedPartition {
  readonly processor: ProcessorKey;
  readonly date: IsoDate;
  readonly isBootstrap: boolean;
  readonly reason: PlanReason;
  readonly action: PlanAction;
  readonly detail: string;
}

export interface PlannedBatch {
  readonly processor: ProcessorKey;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly dates: readonly IsoDate[];
}

export interface PlanInput {
  /** The processors selected for this run. */
  readonly processors: readonly PlanProcessor[];
  /** Game dates of the range, any order. */
  readonly dates: readonly GameDate[];
  readonly rangeFrom: IsoDate;
  /** Stored partition states, by partitionKey(processor, date); includes unselected upstreams. */
  readonly existing: ReadonlyMap<string, PartitionState>;
  /** Upstream fingerprints as of now, by partitionKey. */
  readonly fingerprints: ReadonlyMap<string, string>;
  /** Run-level dependency results, by partitionKey; absent = passed. */
  readonly verdicts: ReadonlyMap<string, DependencyVerdict>;
  readonly force: boolean;
  /** Calendar days per batch; null = the whole range in one batch. */
  readonly batchDays: number | null;
}

export interface Plan {
  /** Processors grouped by dependency level; a level's processors may run concurrently. */
  readonly levels: readonly (readonly ProcessorKey[])[];
  readonly partitions: readonly PlannedPartition[];
  readonly batches: readonly PlannedBatch[];
  readonly upToDate: ReadonlyMap<ProcessorKey, number>;
}

const SATISFIED = new Set(['complete', 'bootstrap_empty']);

/** Groups processors into levels: each processor sits one level below its deepest selected upstream. */
export function dependencyLevels(processors: readonly PlanProcessor[]): ProcessorKey[][] {
  const byKey = new Map(processors.map((p) => [p.key, p]));
  const level = new Map<ProcessorKey, number>();
  const visiting = new Set<ProcessorKey>();
  const visit = (key: ProcessorKey): number => {
    const known = level.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) throw new CourtsideError('CONFIG', `processor graph has a cycle through ${key}`, 2);
    visiting.add(key);
    const ups = (byKey.get(key)?.upstream ?? []).filter((u) => byKey.has(u));
    const l = ups.length === 0 ? 0 : 1 + Math.max(...ups.map(visit));
    visiting.delete(key);
    level.set(key, l);
    return l;
  };
  processors.forEach((p) => visit(p.key));
  const levels: ProcessorKey[][] = [];
  for (const p of processors) (levels[level.get(p.key) ?? 0] ??= []).push(p.key);
  return levels.filter((l) => l.length > 0).map((l) => l.sort());
}

function reasonFor(input: PlanInput, p: PlanProcessor, date: IsoDate, plannedUpstream: boolean): PlanReason | null {
  if (input.force) return 'forced';
  const state = input.existing.get(partitionKey(p.key, date));
  if (!state) return 'missing';
  if (state.status === 'failed') return 'failed';
  if (state.status === 'skipped_upstream') return 'skipped_upstream';
  if (state.version !== p.version) return 'stale_version';
  if (plannedUpstream) return 'upstream_planned';
  if (state.fingerprint !== (input.fingerprints.get(partitionKey(p.key, date)) ?? null)) return 'stale_upstream';
  return null;
}

/**
 * Splits runnable dates into batches: calendar chunks of `batchDays` counted from `rangeFrom`, and
 * within a chunk maximal runs of consecutive game dates, so that a batch's [from, to] never covers a
 * game date that must not be rewritten.
 */
export function splitBatches(processor: ProcessorKey, runnable: ReadonlySet<IsoDate>, gameDates: readonly IsoDate[], rangeFrom: IsoDate, batchDays: number | null): PlannedBatch[] {
  const batches: PlannedBatch[] = [];
  let current: IsoDate[] = [];
  let currentChunk = -1;
  const flush = () => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) batches.push({ processor, from: first, to: last, dates: current });
    current = [];
  };
  for (const date of [...gameDates].sort()) {
    if (!runnable.has(date)) {
      flush();
      continue;
    }
    const chunk = batchDays === null ? 0 : Math.floor(daysBetween(rangeFrom, date) / batchDays);
    if (chunk !== currentChunk) flush();
    currentChunk = chunk;
    current.push(date);
  }
  flush();
  return batches;
}

export function plan(input: PlanInput): Plan {
  const levels = dependencyLevels(input.processors);
  const byKey = new Map(input.processors.map((p) => [p.key, p]));
  const dates = [...input.dates].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const planned = new Map<string, PlannedPartition>();
  const partitions: PlannedPartition[] = [];
  const batches: PlannedBatch[] = [];
  const upToDate = new Map<ProcessorKey, number>();

  for (const key of levels.flat()) {
    const p = byKey.get(key);
    if (!p) continue;
    let fresh = 0;
    // per window, the upstream's planned dates in order: is one of them inside the window of D?
    const windows = (p.upstreamWindows ?? []).map((w) => ({ w, planned: partitions.filter((x) => x.processor === w.upstream).map((x) => x.date).sort() }));
    const plannedInWindow = (date: IsoDate) =>
      windows.some(({ w, planned: ds }) => {
        const range = daysWindowRange(w, date);
        const i = lowerBound(ds, range.from);
        return i < ds.length && (ds[i] as IsoDate) <= range.to;
      });
    for (const { date, isBootstrap } of dates) {
      const ups = p.upstream.map((u) => ({ u, planned: planned.get(partitionKey(u, date)) }));
      const reason = reasonFor(input, p, date, ups.some((x) => x.planned !== undefined) || plannedInWindow(date));
      if (reason === null) {
        fresh += 1;
        continue;
      }
      const verdict = input.verdicts.get(partitionKey(key, date));
      // Bootstrap partitions are empty by design, so their thin upstream is not a failure.
      const depFailed = !isBootstrap && verdict !== undefined && !verdict.ok;
      const blocked = ups.find(({ u, planned: up }) =>
        up ? up.action !== 'run' : !SATISFIED.has(input.existing.get(partitionKey(u, date))?.status ?? 'missing'),
      );
      const action: PlanAction = depFailed ? 'fail_dependencies' : blocked ? 'skip_upstream' : 'run';
      const detail = depFailed
        ? verdict.problems.join('; ')
        : blocked
          ? `upstream ${blocked.u} ${blocked.planned ? `will not run (${blocked.planned.action})` : `is ${input.existing.get(partitionKey(blocked.u, date))?.status ?? 'missing'}`}`
          : '';
      const part: PlannedPartition = { processor: key, date, isBootstrap, reason, action, detail };
      planned.set(partitionKey(key, date), part);
      partitions.push(part);
    }
    upToDate.set(key, fresh);
    const runnable = new Set(partitions.filter((x) => x.processor === key && x.action === 'run').map((x) => x.date));
    batches.push(...splitBatches(key, runnable, dates.map((d) => d.date), input.rangeFrom, input.batchDays));
  }
  return { levels, partitions, batches, upToDate };
}
