// The effectful side of a run: read statuses and game dates, check dependencies once, plan, then
// execute level by level (a level's processors concurrently, each batch its own transaction).
import { checkRange, type IsoDate } from '../core/dates.js';
import { UsageError, errorMessage } from '../core/errors.js';
import { newRunId } from '../core/ids.js';
import type { ProcessorDefinition, ProcessorKey } from '../processors/processor.js';
import { processorLayouts } from '../warehouse/bigquery/table-layouts.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { checkDependencies, readOutputWindows } from './dependencies.js';
import { executeProcessor, settleSteps, type ExecutionState } from './execute.js';
import { abandonRun, finishRun, interruptedRunsToMark, startRun } from './history.js';
import { signalExitCode, watchInterrupts, type StopRequest } from './interrupt.js';
import { SILENT, type Notifier } from './notify/event.js';
import { summaryEvent } from './notify/messages.js';
import { loadGameDates, loadPartitionStates, partitionFingerprint } from './partitions.js';
import { plan, type Plan, type PlanProcessor } from './plan.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import { outputWindows, resolveReads } from './read-windows.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { partitionKey, type DependencyVerdict, type ProcessorRunSummary, type RunMode, type RunSummary } from './types.js';

export const DEFAULT_TIMEOUT_MS: Readonly<Record<RunMode, number>> = { backfill: 60_000, daily: 300_000 };

export interface RunOptions {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Processor keys to run; default all. Unselected upstreams are read from their stored statuses. */
  readonly processors?: readonly ProcessorKey[];
  readonly force?: boolean;
  /** Calendar days per batch; default (null) the whole range in one batch; 1 = per-date mode. */
  readonly batchDays?: number | null;
  /** Per-query timeout; default 60 s in backfill, 300 s in daily mode. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Threshold overrides per processor, merged over each definition's defaults. */
  readonly thresholds?: Readonly<Partial<Record<ProcessorKey, Readonly<Record<string, number>>>>>;
  readonly notifier?: Notifier;
  readonly progress?: Progress;
  /** For run_history: the command line that started this run. */
  readonly command?: string;
  readonly args?: unknown;
  readonly runId?: string;
}

export interface PlanResult {
  readonly plan: Plan;
  readonly verdicts: ReadonlyMap<string, DependencyVerdict>;
  readonly processors: readonly ProcessorDefinition[];
}

/** Upstream processors of a definition: dependsOn plus dependencies sourced from another processor. */
export function upstreamOf(p: ProcessorDefinition): ProcessorKey[] {
  const fromDeps = p.dependencies.flatMap((d) => ('processor' in d.source ? [d.source.processor] : []));
  return [...new Set([...p.dependsOn, ...fromDeps])].sort();
}

function select(all: readonly ProcessorDefinition[], keys: readonly ProcessorKey[] | undefined): ProcessorDefinition[] {
  if (!keys || keys.length === 0) return [...all];
  const known = new Set(all.map((p) => p.key));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length > 0) throw new UsageError(`unknown processor(s): ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return all.filter((p) => keys.includes(p.key));
}

/** The processors' output tables, created if missing: one DDL unit (one job on BigQuery), partitioned and clustered there. */
export async function createOutputTables(wh: Warehouse, processors: readonly ProcessorDefinition[]): Promise<void> {
  if (processors.length === 0) return;
  await wh.applyDdl(processors.map((p) => p.ddl.trim().replace(/;\s*$/, '')).join(';\n'), processorLayouts(processors));
}

export type StoredPlan = PlanResult & {
  states: Awaited<ReturnType<typeof loadPartitionStates>>;
  gameDates: Awaited<ReturnType<typeof loadGameDates>>;
  /** A processor's windows over other processors' partitions, read again (see readOutputWindows). */
  readOutputWindows: (p: ProcessorDefinition, from: IsoDate, to: IsoDate) => Promise<Map<IsoDate, string[]>>;
};

/** Everything up to (and including) the plan; no writes except creating output tables. */
export async function planRun(wh: Warehouse, all: readonly ProcessorDefinition[], mode: RunMode, o: RunOptions): Promise<StoredPlan> {
  // migrate() creates the real processors' tables; only missing ones (other definitions, as in
  // tests) are created here, so that planning on a read-only warehouse (--dry-run) writes nothing.
  // The catalog says which exist (DuckDB's information_schema; BigQuery's tables.get, no query job).
  await createOutputTables(wh, await missingOutputTables(wh, all));
  return readPlan(wh, all, mode, o);
}

/** Params: $names, schema-qualified table names. DuckDB's catalog, without binding every view as information_schema.columns does. */
export const EXISTING_TABLES_SQL = `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
WHERE table_schema || '.' || table_name IN (SELECT n FROM {{unnest_as($names, n)}})`;

/**
 * The processors whose output tables do not exist. DuckDB answers for all of them in one catalog
 * query (columns() per table costs ~10 ms each there: it lists every column of every table and view);
 * BigQuery asks its catalog per table (tables.get), which is no query job.
 */
async function missingOutputTables(wh: Warehouse, all: readonly ProcessorDefinition[]): Promise<ProcessorDefinition[]> {
  const qualified = (table: string) => (table.includes('.') ? table : `main.${table}`);
  if (wh.dialect === 'duckdb') {
    const rows = await wh.query<{ name: string }>(EXISTING_TABLES_SQL, { names: all.map((p) => qualified(p.outputTable)) });
    const existing = new Set(rows.map((r) => r.name));
    return all.filter((p) => !existing.has(qualified(p.outputTable)));
  }
  const missing: ProcessorDefinition[] = [];
  for (const p of all) if (!(await wh.columns(p.outputTable))) missing.push(p);
  return missing;
}

/** The plan from what is stored, only reading (so also on a read-only warehouse: the dashboard's stale cells). */
export async function readPlan(wh: Warehouse, all: readonly ProcessorDefinition[], mode: RunMode, o: RunOptions): Promise<StoredPlan> {
  const { from, to } = checkRange(o.from, o.to);
  if (o.batchDays !== undefined && o.batchDays !== null && (!Number.isInteger(o.batchDays) || o.batchDays < 1)) throw new UsageError(`--batch-days must be a positive integer, got ${o.batchDays}`);
  const processors = select(all, o.processors);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS[mode];
  const gameDates = await loadGameDates(wh, from, to, timeoutMs);
  const states = await loadPartitionStates(wh, all, from, to, timeoutMs);
  const checkOptions = { mode, timeoutMs, retry: o.retry ?? DEFAULT_RETRY, thresholds: o.thresholds ?? {}, all };
  const verdicts = await checkDependencies(wh, processors, gameDates.map((d) => d.date), checkOptions);
  const fingerprints = new Map<string, string>();
  for (const p of processors) {
    const upstream = upstreamOf(p);
    for (const { date } of gameDates) {
      const ups = upstream.map((u) => ({ processor: u, outputChecksum: states.get(partitionKey(u, date))?.outputChecksum ?? null }));
      fingerprints.set(partitionKey(p.key, date), partitionFingerprint(verdicts.get(partitionKey(p.key, date)), ups));
    }
  }
  const planProcessors: PlanProcessor[] = processors.map((p) => ({
    key: p.key, version: p.version, upstream: upstreamOf(p), upstreamWindows: outputWindows(resolveReads(p, o.thresholds?.[p.key])),
  }));
  const thePlan = plan({
    processors: planProcessors,
    dates: gameDates,
    rangeFrom: from,
    existing: states,
    fingerprints,
    verdicts,
    force: o.force === true || mode === 'daily',
    batchDays: o.batchDays ?? null,
  });
  return {
    plan: thePlan, verdicts, processors, states, gameDates,
    readOutputWindows: (p, wFrom, wTo) => readOutputWindows(wh, p, wFrom, wTo, checkOptions),
  };
}

function emptySummary(p: ProcessorDefinition, planned: number, upToDate: number): ProcessorRunSummary {
  return { processor: p.key, processorName: p.processorName, planned, upToDate, complete: 0, bootstrapEmpty: 0, failed: 0, skippedUpstream: 0, rowsWritten: 0, entityFailures: 0, batches: 0, durationMs: 0 };
}

/**
 * Runs the mode over the range. With `planned` (a plan from planRun over the same options), the run
 * executes that plan instead of planning again.
 */
async function execute(wh: Warehouse, all: readonly ProcessorDefinition[], mode: RunMode, o: RunOptions, started = Date.now(), planned?: StoredPlan): Promise<RunSummary> {
  const runId = o.runId ?? newRunId(mode);
  const notifier = o.notifier ?? SILENT;
  const progress = o.progress ?? NO_PROGRESS;
  const summaries = new Map<ProcessorKey, ProcessorRunSummary>();
  // A second SIGINT/SIGTERM abandons the open batches; the run records that much on its way out.
  // It writes on a connection of its own: the run's may be busy with a query that never returns in time.
  const stop = watchInterrupts((signal) =>
    wh.transaction((tx) => abandonRun(tx, runId, { interruptedBy: signal, abandoned: 'the batches in progress were rolled back', processors: [...summaries.values()] })),
  );
  let summary: RunSummary;
  try {
    summary = await executeWatched(wh, all, mode, o, { started, runId, notifier, progress, summaries, stop, planned });
  } finally {
    stop.dispose();
  }
  // Only now, with every batch and the run_history row committed: a slow or dead sink can delay
  // the command by at most the send deadline and can no longer change what the run recorded.
  await notifier.finish(summaryEvent(summary)).catch((err: unknown) => process.stderr.write(`courtside: warning: notifications of run ${runId} failed: ${errorMessage(err)}\n`));
  return summary;
}

interface RunFrame {
  readonly started: number;
  readonly runId: string;
  readonly notifier: Notifier;
  readonly progress: Progress;
  readonly summaries: Map<ProcessorKey, ProcessorRunSummary>;
  readonly stop: StopRequest;
  readonly planned: StoredPlan | undefined;
}

async function executeWatched(wh: Warehouse, all: readonly ProcessorDefinition[], mode: RunMode, o: RunOptions, f: RunFrame): Promise<RunSummary> {
  const { started, runId, notifier, progress, summaries, stop } = f;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS[mode];
  await startRun(wh, runId, o.command ?? mode, o.args ?? { from: o.from, to: o.to, processors: o.processors, force: o.force, batchDays: o.batchDays }, mode, new Date(started));
  const state: ExecutionState = { runId, mode, timeoutMs, retry: o.retry ?? DEFAULT_RETRY, notifier, progress, failed: [], current: new Map(), summaries, stop, steps: [] };
  let status: RunSummary['status'] = 'failed';
  let summary: RunSummary;
  try {
    const planned = f.planned ?? (await planRun(wh, all, mode, o));
    for (const [k, v] of planned.states) state.current.set(k, { status: v.status, outputChecksum: v.outputChecksum });
    for (const p of planned.processors) {
      summaries.set(p.key, emptySummary(p, planned.plan.partitions.filter((x) => x.processor === p.key).length, planned.plan.upToDate.get(p.key) ?? 0));
    }
    progress.start(planned.plan.partitions.length, `${mode} ${o.from}..${o.to}`);
    const byKey = new Map(planned.processors.map((p) => [p.key, p]));
    // DuckDB: what the levels before the last have committed is folded into the file while the last
    // level computes, and the last level's batches write the file as they commit (logging their rows
    // first would only have the close write them again right after), so the closing checkpoint has
    // next to nothing left. Once per run: each checkpoint also rewrites the file's metadata, and
    // one after every level measured no faster. Finished before the run is.
    let checkpointing: Promise<void> = Promise.resolve();
    const last = planned.plan.levels.length - 1;
    try {
      for (const [i, level] of planned.plan.levels.entries()) {
        if (stop.signal) break; // the next level would read upstream partitions this run did not finish
        if (i === last) {
          if (i > 0) checkpointing = checkpointing.then(() => wh.checkpointCommitted?.());
          checkpointing = checkpointing.then(() => wh.checkpointAtCommit?.(true));
        }
        await Promise.all(
          level.map((key) => {
            const p = byKey.get(key);
            if (!p) return Promise.resolve();
            const thresholds = { ...p.thresholds, ...(o.thresholds?.[key] ?? {}) };
            return executeProcessor(wh, p, upstreamOf(p), planned, thresholds, o.batchDays ?? null, o.from, state);
          }),
        );
      }
    } finally {
      await checkpointing;
      await wh.checkpointAtCommit?.(false);
    }
    progress.stop();
    const sums = [...summaries.values()];
    const bad = sums.reduce((n, s) => n + s.failed + s.skippedUpstream, 0);
    const good = sums.reduce((n, s) => n + s.complete + s.bootstrapEmpty, 0);
    // A signal that came during the last batch stopped nothing: the run is complete, not interrupted.
    const left = sums.reduce((n, s) => n + s.planned - s.complete - s.bootstrapEmpty - s.failed - s.skippedUpstream, 0);
    const interruptedBy = left > 0 ? stop.signal : null;
    status = interruptedBy ? 'interrupted' : bad === 0 ? 'success' : good > 0 ? 'partial' : 'failed';
    summary = {
      runId, mode, from: o.from, to: o.to, status, processors: sums, failedPartitions: state.failed, durationMs: Date.now() - started,
      exitCode: interruptedBy ? signalExitCode(interruptedBy) : bad === 0 ? 0 : 1,
      ...(interruptedBy ? { interruptedBy } : {}),
    };
    await settleSteps(state);
    await finishRun(wh, runId, status, { processors: sums, failed: state.failed.length, durationMs: summary.durationMs, ...(interruptedBy ? { interruptedBy } : {}) });
  } catch (err) {
    progress.stop();
    await Promise.all(state.steps);
    await finishRun(wh, runId, 'failed', { error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    throw err;
  }
  return summary;
}

/**
 * Backfill: only missing, failed and stale partitions (all with force); exactly one summary notification.
 * With `unlessIdle`, one planning pass decides: when the run would write nothing (no partition to
 * build, no run whose process is gone to mark interrupted) it resolves to null and records no run, no
 * notification; otherwise the run executes that plan (it is not planned again).
 */
export function runBackfill(wh: Warehouse, processors: readonly ProcessorDefinition[], options: RunOptions & { readonly unlessIdle: true }): Promise<RunSummary | null>;
export function runBackfill(wh: Warehouse, processors: readonly ProcessorDefinition[], options: RunOptions): Promise<RunSummary>;
export async function runBackfill(wh: Warehouse, processors: readonly ProcessorDefinition[], options: RunOptions & { readonly unlessIdle?: boolean }): Promise<RunSummary | null> {
  const { unlessIdle, ...run } = options;
  if (unlessIdle !== true) return execute(wh, processors, 'backfill', run);
  const started = Date.now();
  // planRun, as the run would (it creates missing output tables first): this plan is the run's.
  const planned = await planRun(wh, processors, 'backfill', run);
  if (await writesNothing(wh, planned)) return null;
  return execute(wh, processors, 'backfill', run, started, planned);
}

/** A backfill with this plan would write nothing: no partition to build, no run whose process is gone to mark interrupted. */
async function writesNothing(wh: Warehouse, planned: StoredPlan): Promise<boolean> {
  return planned.plan.partitions.length === 0 && !(await interruptedRunsToMark(wh));
}

/** Daily mode for one date: every selected partition of the date is rebuilt, freshness checked, alerts rate-limited. */
export function runDaily(wh: Warehouse, processors: readonly ProcessorDefinition[], options: Omit<RunOptions, 'from' | 'to' | 'force' | 'batchDays'> & { readonly date: IsoDate }): Promise<RunSummary> {
  return execute(wh, processors, 'daily', { ...options, from: options.date, to: options.date, force: true, batchDays: null });
}

/**
 * A backfill's plan when running it would write nothing — no partition to build and no run whose
 * process is gone to mark interrupted — else null. Read-only: the CLI looks here first, so that a
 * backfill with nothing to do needs no write access, no migration and no run history row.
 */
export async function idleBackfillPlan(wh: Warehouse, all: readonly ProcessorDefinition[], options: RunOptions): Promise<StoredPlan | null> {
  const planned = await readPlan(wh, all, 'backfill', options);
  return (await writesNothing(wh, planned)) ? planned : null;
}

/** The backfill plan without running it (--dry-run). */
export async function planBackfill(wh: Warehouse, processors: readonly ProcessorDefinition[], options: RunOptions): Promise<PlanResult> {
  const { plan: p, verdicts, processors: selected } = await planRun(wh, processors, 'backfill', options);
  return { plan: p, verdicts, processors: selected };
}
