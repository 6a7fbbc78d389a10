// Executes one processor's share of the plan: records dependency failures and upstream skips, then
// runs its batches in date order. Upstream outcomes of this run are read from `state.current`.
import type { IsoDate } from '../core/dates.js';
import type { ProcessorDefinition, ProcessorKey } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { failBatch, recordFailure, runBatch, type BatchContext } from './batch.js';
import { recordStep } from './history.js';
import type { StopRequest } from './interrupt.js';
import type { Notifier } from './notify/event.js';
import { failureEvent, staleEvent } from './notify/messages.js';
import { splitBatches } from './plan.js';
import type { Progress } from './progress.js';
import type { RetryPolicy } from './retry.js';
import { partitionFingerprint } from './partitions.js';
import type { StoredPlan } from './run.js';
import { partitionKey, type DateLevelCategory, type GameDate, type PartitionStatus, type ProcessorRunSummary, type RunMode, type RunSummary } from './types.js';

export interface ExecutionState {
  readonly runId: string;
  readonly mode: RunMode;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly notifier: Notifier;
  readonly progress: Progress;
  readonly failed: RunSummary['failedPartitions'][number][];
  /** Partition outcomes as of now (stored, then overwritten by this run), by partitionKey. */
  readonly current: Map<string, { status: PartitionStatus; outputChecksum: string | null }>;
  readonly summaries: Map<ProcessorKey, ProcessorRunSummary>;
  /** Set by SIGINT/SIGTERM: no new batch starts; the ones in progress finish (each is one transaction). */
  readonly stop: StopRequest;
  /** run_steps rows being written (each settles to its error or null): the run awaits them before it finishes. */
  readonly steps: Promise<unknown>[];
}

/** Waits for every run_steps row of the run; throws the first write that failed. */
export async function settleSteps(s: Pick<ExecutionState, 'steps'>): Promise<void> {
  const failed = (await Promise.all(s.steps)).find((e) => e !== null);
  if (failed !== undefined) throw failed;
}

const SATISFIED = new Set<string>(['complete', 'bootstrap_empty']);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

export async function executeProcessor(
  wh: Warehouse,
  p: ProcessorDefinition,
  upstream: readonly ProcessorKey[],
  planned: Pick<StoredPlan, 'plan' | 'verdicts' | 'gameDates' | 'readOutputWindows'>,
  thresholds: Readonly<Record<string, number>>,
  batchDays: number | null,
  rangeFrom: IsoDate,
  s: ExecutionState,
): Promise<void> {
  const summary = s.summaries.get(p.key);
  if (!summary) return;
  const ctx: BatchContext = { runId: s.runId, timeoutMs: s.timeoutMs, retry: s.retry, thresholds };
  const parts = planned.plan.partitions.filter((x) => x.processor === p.key);
  const verdictOf = (date: IsoDate) => planned.verdicts.get(partitionKey(p.key, date));
  const markDone = (date: IsoDate, status: PartitionStatus, category: string | null, reason: string, checksum: string | null) => {
    s.current.set(partitionKey(p.key, date), { status, outputChecksum: checksum });
    if (status === 'failed' || status === 'skipped_upstream') s.failed.push({ processor: p.key, date, status, category, reason });
  };

  for (const part of parts) for (const w of verdictOf(part.date)?.staleWarnings ?? []) s.notifier.event(staleEvent(p, part.date, w));

  // Dependency failures, grouped by reason so that one transaction records each group.
  const depFailed = parts.filter((x) => x.action === 'fail_dependencies');
  for (const [reason, group] of groupBy(depFailed, (x) => x.detail)) {
    if (s.stop.signal) return;
    const category: DateLevelCategory = verdictOf(group[0]?.date ?? '')?.category ?? 'MISSING_DEPENDENCIES';
    const dates = group.map((x) => x.date);
    await recordFailure(wh, p, dates, 'failed', category, reason, ctx, new Date());
    for (const d of dates) {
      markDone(d, 'failed', category, reason, null);
      s.notifier.event(failureEvent(p, d, category, reason));
    }
    summary.failed += dates.length;
    s.progress.advance(dates.length, `${p.key} ${category}`);
  }

  // Upstream outcomes are known only now (the previous level ran), so skips are decided here.
  const rest = parts.filter((x) => x.action !== 'fail_dependencies');
  const blockedBy = (date: IsoDate) => upstream.find((u) => !SATISFIED.has(s.current.get(partitionKey(u, date))?.status ?? 'missing'));
  const skipped = rest.flatMap((x) => {
    const u = blockedBy(x.date);
    return u ? [{ date: x.date, reason: `upstream ${u} is ${s.current.get(partitionKey(u, x.date))?.status ?? 'missing'}` }] : [];
  });
  for (const [reason, group] of groupBy(skipped, (x) => x.reason)) {
    if (s.stop.signal) return;
    const dates = group.map((x) => x.date);
    await recordFailure(wh, p, dates, 'skipped_upstream', null, reason, ctx, new Date());
    for (const d of dates) markDone(d, 'skipped_upstream', null, reason, null);
    summary.skippedUpstream += dates.length;
    s.progress.advance(dates.length, `${p.key} skipped_upstream`);
  }

  const skippedDates = new Set(skipped.map((x) => x.date));
  const runnable = new Set(rest.filter((x) => !skippedDates.has(x.date)).map((x) => x.date));
  const gameDates = planned.gameDates;
  const bootstrap = new Set(gameDates.filter((d) => d.isBootstrap).map((d) => d.date));
  // Its windows over earlier partitions of an upstream that this run rebuilt (an earlier level) are
  // read again: the fingerprint stored is of what the batches read, not of what the checks saw.
  const windowUpstreams = new Set((p.reads ?? []).flatMap((r) => ('processor' in r.source ? [r.source.processor] : [])));
  const rebuiltUpstream = planned.plan.partitions.some((x) => windowUpstreams.has(x.processor));
  const sortedRunnable = [...runnable].sort();
  // A read that fails (a timeout, above all) fails the batches that needed it, each recorded as its
  // own failure would be; the run goes on with the other processors.
  let refreshed: Map<IsoDate, string[]> | null = null;
  let readFailure: { readonly err: unknown } | null = null;
  try {
    refreshed = rebuiltUpstream && sortedRunnable.length > 0 ? await planned.readOutputWindows(p, sortedRunnable[0] as IsoDate, sortedRunnable.at(-1) as IsoDate) : null;
  } catch (err) {
    readFailure = { err };
  }
  for (const b of splitBatches(p.key, runnable, gameDates.map((d) => d.date), rangeFrom, batchDays)) {
    if (s.stop.signal) return;
    const dates: GameDate[] = b.dates.map((date) => ({ date, isBootstrap: bootstrap.has(date) }));
    const fingerprints = b.dates.map((date) =>
      partitionFingerprint(
        verdictOf(date),
        upstream.map((u) => ({ processor: u, outputChecksum: s.current.get(partitionKey(u, date))?.outputChecksum ?? null })),
        refreshed?.get(date),
      ),
    );
    s.progress.began?.(p.key, `${b.from}..${b.to}`);
    const spec = { from: b.from, to: b.to, dates, fingerprints };
    const outcome = readFailure ? await failBatch(wh, p, spec, ctx, readFailure.err, new Date()) : await runBatch(wh, p, spec, ctx);
    summary.batches += 1;
    summary.durationMs += outcome.durationMs;
    for (const r of outcome.partitions) {
      const status = r.status as PartitionStatus;
      markDone(r.date, status, outcome.category, outcome.error ?? '', r.outputChecksum);
      if (status === 'complete') summary.complete += 1;
      else if (status === 'bootstrap_empty') summary.bootstrapEmpty += 1;
      else summary.failed += 1;
      summary.rowsWritten += r.rowsWritten;
      summary.entityFailures += r.entityFailures;
    }
    if (!outcome.ok && outcome.category) s.notifier.event(failureEvent(p, `${b.from}..${b.to}`, outcome.category, outcome.error ?? ''));
    // Off the batches' path: the next batch (or level) does not wait for this row, the run's end does (settleSteps).
    const step = recordStep(wh, s.runId, {
      processorName: p.processorName,
      from: b.from,
      to: b.to,
      status: outcome.ok ? 'success' : 'failed',
      partitions: b.dates.length,
      rowsWritten: outcome.partitions.reduce((n, r) => n + r.rowsWritten, 0),
      durationMs: outcome.durationMs,
      error: outcome.error,
    });
    s.steps.push(step.then(() => null, (err: unknown) => err));
    s.progress.advance(b.dates.length, `${p.key} ${b.from}..${b.to} ${outcome.ok ? 'ok' : outcome.category}`);
  }
}
