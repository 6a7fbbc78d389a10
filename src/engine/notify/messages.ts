// The engine's events as messages. Signatures leave out run ids and timings so that the same
// problem on the same partition is recognised as the same event across runs.
import type { ProcessorDefinition } from '../../processors/processor.js';
import type { RunSummary } from '../types.js';
import type { NotificationEvent } from './event.js';

export function failureEvent(p: ProcessorDefinition, date: string, category: string, reason: string): NotificationEvent {
  const missing = category === 'MISSING_DEPENDENCIES';
  return {
    type: missing ? 'missing_dependency' : 'processing_error',
    severity: 'error',
    signature: `${missing ? 'missing_dependency' : 'processing_error'}|${p.key}|${date}|${category}`,
    title: `${p.processorName} ${date}: ${category}`,
    message: reason,
  };
}

export function staleEvent(p: ProcessorDefinition, date: string, warning: string): NotificationEvent {
  return { type: 'stale_data', severity: 'warning', signature: `stale_data|${p.key}|${date}|${warning.split(':')[0] ?? ''}`, title: `${p.processorName} ${date}: stale upstream`, message: warning };
}

/** What an interrupted run did, for the operator who stopped it; null when the run was not interrupted. */
export function interruptionText(s: RunSummary): string | null {
  if (!s.interruptedBy) return null;
  const planned = s.processors.reduce((n, p) => n + p.planned, 0);
  const done = s.processors.reduce((n, p) => n + p.complete + p.bootstrapEmpty + p.failed + p.skippedUpstream, 0);
  return `interrupted by ${s.interruptedBy} after ${done} of ${planned} planned partitions; rerun the same command to resume`;
}

export function summaryEvent(s: RunSummary): NotificationEvent {
  const lines = s.processors.map(
    (p) => `${p.processor}: ${p.complete} complete, ${p.bootstrapEmpty} bootstrap, ${p.failed} failed, ${p.skippedUpstream} skipped, ${p.upToDate} up to date, ${p.rowsWritten} rows, ${(p.durationMs / 1000).toFixed(1)} s`,
  );
  const failures = s.failedPartitions.slice(0, 10).map((f) => `  ${f.processor} ${f.date} ${f.status}${f.category ? ` ${f.category}` : ''}: ${f.reason.slice(0, 200)}`);
  const more = s.failedPartitions.length > 10 ? [`  … and ${s.failedPartitions.length - 10} more (courtside failures --from ${s.from} --to ${s.to})`] : [];
  const status = interruptionText(s) ?? s.status;
  return {
    type: 'run_summary',
    severity: s.status === 'success' ? 'info' : 'error',
    signature: `run_summary|${s.mode}|${s.from}|${s.to}`,
    title: `courtside ${s.mode} ${s.from}..${s.to}: ${status} (${s.failedPartitions.length} failed partitions, ${(s.durationMs / 1000).toFixed(1)} s)`,
    message: [`run ${s.runId}`, ...lines, ...(failures.length > 0 ? ['failed partitions:', ...failures, ...more] : [])].join('\n'),
  };
}
