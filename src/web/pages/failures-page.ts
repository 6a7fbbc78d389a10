// Failures over a range: processor × category (expected vs real), top reasons, and the entities
// behind a count.
import { PROCESSORS } from '../../processors/index.js';
import type { Row } from '../../warehouse/warehouse.js';
import type { FailuresView } from '../data/failures.js';
import { href, html, type SafeHtml } from '../html.js';
import { link, num, table, when } from '../view.js';

const keyOf = (name: unknown) => PROCESSORS.find((p) => p.processorName === name)?.key ?? String(name);

export function renderFailures(v: FailuresView): SafeHtml {
  const processorKey = v.processor ? keyOf(v.processor) : '';
  const drill = (r: Row) => href('/failures', [], { from: v.from, to: v.to, processor: keyOf(r['processor_name']), category: String(r['failure_category']) });
  return html`<h1>Failures <small>${v.from} … ${v.to}</small></h1>
<form class="range" method="get" action="/failures">
<label>From <input type="date" name="from" value="${v.from}" required></label>
<label>To <input type="date" name="to" value="${v.to}" required></label>
<label>Processor <select name="processor"><option value="">all</option>${PROCESSORS.map(
    (p) => html`<option value="${p.key}"${p.key === processorKey ? html` selected` : ''}>${p.key}</option>`,
  )}</select></label>
<button type="submit">Filter</button>
</form>
<h2>By processor and category</h2>
${table<Row>(
  [
    { label: 'processor', cell: (r) => r['processor_name'] as string },
    { label: 'category', cell: (r) => r['failure_category'] as string },
    { label: 'failures', cell: (r) => link(drill(r), num(r['failures'])), numeric: true },
    { label: 'expected', cell: (r) => num(r['expected']), numeric: true },
    { label: 'real', cell: (r) => num(r['real']), numeric: true },
    { label: 'dates', cell: (r) => num(r['dates']), numeric: true },
    { label: 'entities', cell: (r) => num(r['entities']), numeric: true },
    { label: 'occurrences', cell: (r) => num(r['occurrences']), numeric: true },
    { label: 'last seen', cell: (r) => when(r['last_seen_at']) },
  ],
  v.by_category,
  { empty: 'No failures in this range.', id: 'failures-by-category' },
)}
${v.entities
  ? html`<h2 id="entities">Entities behind ${v.entities.processor_name} · ${v.entities.category} <small>${num(v.entities.total)} entities${v.entities.total > v.entities.rows.length ? ` (first ${v.entities.rows.length})` : ''}</small></h2>
${table<Row>(
  [
    { label: 'entity', cell: (r) => r['entity_id'] as string },
    { label: 'dates', cell: (r) => num(r['dates']), numeric: true },
    { label: 'expected', cell: (r) => num(r['expected']), numeric: true },
    { label: 'real', cell: (r) => num(r['real']), numeric: true },
    { label: 'occurrences', cell: (r) => num(r['occurrences']), numeric: true },
    { label: 'first', cell: (r) => r['first_date'] as string },
    { label: 'last', cell: (r) => r['last_date'] as string },
    { label: 'example reason', cell: (r) => r['example_reason'] as string },
  ],
  v.entities.rows,
  { id: 'failure-entities' },
)}`
  : ''}
<h2>Top reasons</h2>
${table<Row>(
  [
    { label: 'processor', cell: (r) => r['processor_name'] as string },
    { label: 'category', cell: (r) => r['failure_category'] as string },
    { label: 'reason', cell: (r) => r['failure_reason'] as string },
    { label: 'failures', cell: (r) => num(r['failures']), numeric: true },
    { label: 'first', cell: (r) => link(href('/partitions', [keyOf(r['processor_name']), String(r['first_date'])]), String(r['first_date'])) },
    { label: 'last', cell: (r) => link(href('/partitions', [keyOf(r['processor_name']), String(r['last_date'])]), String(r['last_date'])) },
  ],
  v.top_reasons,
  { empty: 'No reasons.', id: 'failures-top-reasons' },
)}`;
}
