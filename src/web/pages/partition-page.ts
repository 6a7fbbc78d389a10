// One partition: status and bookkeeping, failures by category with reasons, and the entities.
import { seasonLabel, seasonYearOf } from '../../core/dates.js';
import type { PartitionDetail } from '../data/partition.js';
import { href, html, type SafeHtml } from '../html.js';
import type { Row } from '../../warehouse/warehouse.js';
import { duration, link, num, table, when, yesNo } from '../view.js';

const STALE_WHY: Readonly<Record<string, string>> = {
  stale_version: 'the processor version changed since it was built',
  stale_upstream: 'an upstream partition or Phase 3 input changed since it was built',
  upstream_planned: 'an upstream partition of the same date will be rebuilt first',
};

export function renderPartition(d: PartitionDetail): SafeHtml {
  const s = d.stored;
  const field = (label: string, value: unknown) => html`<dt>${label}</dt><dd>${value === null || value === undefined || value === '' ? '–' : String(value)}</dd>`;
  const byCategory = table<Row>(
    [
      { label: 'category', cell: (r) => r['failure_category'] as string },
      { label: 'failures', cell: (r) => num(r['failures']), numeric: true },
      { label: 'expected', cell: (r) => num(r['expected']), numeric: true },
      { label: 'real', cell: (r) => num(r['real']), numeric: true },
      { label: 'entities', cell: (r) => num(r['entities']), numeric: true },
      { label: 'occurrences', cell: (r) => num(r['occurrences']), numeric: true },
    ],
    d.failures.by_category,
    { empty: 'No failures recorded for this partition.', id: 'partition-by-category' },
  );
  const reasons = table<Row>(
    [
      { label: 'category', cell: (r) => r['failure_category'] as string },
      { label: 'reason', cell: (r) => r['failure_reason'] as string },
      { label: 'failures', cell: (r) => num(r['failures']), numeric: true },
    ],
    d.failures.top_reasons,
    { empty: 'No reasons.', id: 'partition-reasons' },
  );
  const categories = [...new Set(d.entities.map((e) => String(e['failure_category'])))];
  return html`<p class="crumbs">${link(href('/health', [], { season: seasonLabel(seasonYearOf(d.date)) }), 'Health')} › ${d.processor.key} › ${d.date}</p>
<h1>${d.processor.processor_name} <small>${d.date}</small></h1>
<p><span class="badge s-${d.cell.status}" id="partition-status">${d.cell.status}</span>
${d.cell.stale_reason ? html` <span class="muted">${STALE_WHY[d.cell.stale_reason] ?? d.cell.stale_reason}</span>` : ''}
${d.is_bootstrap ? html` <span class="muted">bootstrap date: the first 14 days of a season are empty by design</span>` : ''}</p>
<dl class="facts">
${field('stored status', s?.['status'] ?? 'never built')}
${field('rows written', s ? num(s['rows_written']) : null)}
${field('entity failures', s ? num(s['entity_failures']) : null)}
${field('date-level category', s?.['failure_category'])}
${field('detail', s?.['detail'])}
<dt>run</dt><dd>${typeof s?.['run_id'] === 'string' ? link(href('/runs', [s['run_id']]), s['run_id']) : '–'}${d.run ? html` <span class="muted">${String(d.run['command'])} · ${String(d.run['status'])} · ${when(d.run['started_at'])}</span>` : ''}</dd>
${field('processor version (stored / current)', s ? `${String(s['processor_version'])} / ${d.processor.current_version}` : d.processor.current_version)}
${field('upstream fingerprint', s?.['upstream_fingerprint'])}
${field('output checksum', s?.['output_checksum'])}
${field('batch duration', s ? duration(s['duration_ms']) : null)}
${field('built', s ? `${when(s['started_at'])} → ${when(s['finished_at'])}` : null)}
${field('output table', d.processor.output_table)}
</dl>
<h2>Failures by category</h2>
${byCategory}
<h2>Reasons</h2>
${reasons}
<h2>Entities</h2>
${categories.length === 0 ? html`<p class="empty">No failure rows.</p>` : categories.map((cat) => {
    const rows = d.entities.filter((e) => e['failure_category'] === cat);
    return html`<details class="entities"${rows.length <= 40 ? html` open` : ''}><summary>${cat} · ${num(rows.length)} ${rows.length === 1 ? 'entity' : 'entities'}</summary>
${table<Row>(
      [
        { label: 'entity', cell: (r) => r['entity_id'] as string },
        { label: 'reason', cell: (r) => r['failure_reason'] as string },
        { label: 'expected', cell: (r) => yesNo(r['is_expected']) },
        { label: 'can retry', cell: (r) => yesNo(r['can_retry']) },
        { label: 'occurrences', cell: (r) => num(r['occurrence_count']), numeric: true },
        { label: 'last seen', cell: (r) => when(r['last_seen_at']) },
      ],
      rows,
    )}</details>`;
  })}`;
}
