// Run history with status and duration, one run's per-processor totals and batches, and the live
// progress of a run in flight.
import type { Row } from '../../warehouse/warehouse.js';
import type { RunsView, RunView } from '../data/runs.js';
import { href, html, type SafeHtml } from '../html.js';
import { progressPanel } from '../layout.js';
import { duration, link, num, table, when } from '../view.js';

const status = (value: unknown) => html`<span class="badge r-${String(value)}">${String(value)}</span>`;

export function renderRuns(v: RunsView): SafeHtml {
  return html`<h1>Runs</h1>
${progressPanel(v.live.progress, v.live.live)}
${table<Row>(
  [
    { label: 'run', cell: (r) => link(href('/runs', [String(r['run_id'])]), String(r['run_id'])) },
    { label: 'command', cell: (r) => r['command'] as string },
    { label: 'mode', cell: (r) => r['mode'] as string },
    { label: 'status', cell: (r) => status(r['status']) },
    { label: 'started', cell: (r) => when(r['started_at']) },
    { label: 'seconds', cell: (r) => (r['finished_at'] ? num(r['seconds'], 1) : '–'), numeric: true },
    { label: 'batches', cell: (r) => num(r['batches']), numeric: true },
    { label: 'failed partitions', cell: (r) => num(r['failed_partitions']), numeric: true },
    { label: 'arguments', cell: (r) => html`<code>${r['arguments'] as string}</code>` },
  ],
  v.runs,
  { empty: 'No runs yet.', id: 'runs-table' },
)}`;
}

export function renderRun(v: RunView): SafeHtml {
  const r = v.run;
  const live = v.live.live && v.live.progress?.run_id === r['run_id'];
  return html`<p class="crumbs">${link('/runs', 'Runs')} › ${String(r['run_id'])}</p>
<h1>${String(r['command'])} <small>${String(r['run_id'])}</small></h1>
<p>${status(r['status'])} · ${String(r['mode'])} · started ${when(r['started_at'])} · finished ${when(r['finished_at'])}</p>
${live ? progressPanel(v.live.progress, true) : ''}
<p>Arguments: <code>${JSON.stringify(r['arguments'])}</code></p>
<h2>Per processor</h2>
${table<Row>(
  [
    { label: 'processor', cell: (p) => p['processor'] as string },
    { label: 'planned', cell: (p) => num(p['planned']), numeric: true },
    { label: 'up to date', cell: (p) => num(p['upToDate']), numeric: true },
    { label: 'complete', cell: (p) => num(p['complete']), numeric: true },
    { label: 'bootstrap', cell: (p) => num(p['bootstrapEmpty']), numeric: true },
    { label: 'failed', cell: (p) => num(p['failed']), numeric: true },
    { label: 'skipped', cell: (p) => num(p['skippedUpstream']), numeric: true },
    { label: 'rows', cell: (p) => num(p['rowsWritten']), numeric: true },
    { label: 'entity failures', cell: (p) => num(p['entityFailures']), numeric: true },
    { label: 'batches', cell: (p) => num(p['batches']), numeric: true },
    { label: 'time', cell: (p) => duration(p['durationMs']), numeric: true },
  ],
  v.processors,
  { empty: 'No per-processor summary (the run is in progress, or stopped before it wrote one).', id: 'run-processors' },
)}
<h2>Steps</h2>
${table<Row>(
  [
    { label: 'processor', cell: (s) => s['processor_name'] as string },
    { label: 'from', cell: (s) => s['batch_from'] as string },
    { label: 'to', cell: (s) => s['batch_to'] as string },
    { label: 'status', cell: (s) => status(s['status']) },
    { label: 'partitions', cell: (s) => num(s['partitions']), numeric: true },
    { label: 'rows', cell: (s) => num(s['rows_written']), numeric: true },
    { label: 'time', cell: (s) => duration(s['duration_ms']), numeric: true },
    { label: 'error', cell: (s) => (s['error'] as string | null) ?? '' },
  ],
  v.steps,
  { empty: 'No batches recorded.', id: 'run-steps' },
)}`;
}
