// Partition health: processor × game date, one link per partition, coloured by status.
import { CELL_STATUSES, type CellStatus, type HealthCell, type HealthGrid } from '../data/health.js';
import type { Season } from '../data/seasons.js';
import { href, html, type SafeHtml } from '../html.js';
import { num } from '../view.js';

export interface HealthPage {
  readonly grid: HealthGrid;
  readonly season: string | null;
  readonly seasons: readonly Season[];
}

const LABELS: Readonly<Record<CellStatus, string>> = {
  complete: 'complete',
  bootstrap: 'bootstrap (empty by design)',
  failed: 'failed',
  skipped: 'skipped upstream',
  missing: 'missing',
  stale: 'stale',
};

function title(c: HealthCell): string {
  const parts = [`${c.processor} ${c.date}: ${LABELS[c.status]}`];
  if (c.stale_reason) parts.push(`(${c.stale_reason})`);
  if (c.rows_written !== null) parts.push(`· ${c.rows_written} rows`);
  if (c.entity_failures) parts.push(`· ${c.entity_failures} entity failures`);
  if (c.failure_category) parts.push(`· ${c.failure_category}`);
  return parts.join(' ');
}

function rangeForm(p: HealthPage): SafeHtml {
  return html`<form class="range" method="get" action="/health">
<label>Season <select name="season">${p.seasons.map((s) => html`<option value="${s.label}"${s.label === p.season ? html` selected` : ''}>${s.label}</option>`)}</select></label>
<button type="submit">Show</button>
</form>
<form class="range" method="get" action="/health">
<label>From <input type="date" name="from" value="${p.grid.from}" required></label>
<label>To <input type="date" name="to" value="${p.grid.to}" required></label>
<button type="submit">Show range</button>
</form>`;
}

export function renderHealth(p: HealthPage): SafeHtml {
  const g = p.grid;
  const monthStarts = new Set<string>();
  let lastMonth = '';
  for (const d of g.dates) {
    if (d.date.slice(0, 7) !== lastMonth) monthStarts.add(d.date);
    lastMonth = d.date.slice(0, 7);
  }
  const byProcessor = g.processors.map((proc) => ({ proc, cells: g.cells.filter((c) => c.processor === proc.key) }));
  const cell = (c: HealthCell) =>
    html`<a class="cell s-${c.status}${monthStarts.has(c.date) ? ' m0' : ''}" href="${href('/partitions', [c.processor, c.date])}" title="${title(c)}" data-status="${c.status}" data-date="${c.date}"></a>`;
  return html`<h1>Partition health <small>${p.season ?? `${g.from} … ${g.to}`}</small></h1>
<div class="controls">${rangeForm(p)}</div>
<p class="legend" id="legend">${CELL_STATUSES.map(
    (s) => html`<span class="key"><span class="swatch s-${s}"></span>${LABELS[s]} <strong data-count="${s}">${num(g.totals[s])}</strong></span>`,
  )}</p>
<p class="muted">${num(g.cells.length)} partitions: ${g.processors.length} processors × ${num(g.dates.length)} game dates from ${g.from} to ${g.to}. A cell opens its partition.</p>
<div class="grid-wrap">
<div class="grid" id="health-grid">
<div class="grid-row months"><span class="label"></span><span class="cells">${g.dates.map(
    (d) => html`<span class="mcell${monthStarts.has(d.date) ? ' m0' : ''}">${monthStarts.has(d.date) ? d.date.slice(0, 7) : ''}</span>`,
  )}</span></div>
${byProcessor.map(
  ({ proc, cells }) => html`<div class="grid-row" data-processor="${proc.key}"><span class="label" title="${proc.processor_name} ${proc.version}">${proc.key}</span><span class="cells">${cells.map(cell)}</span></div>`,
)}
</div>
</div>
<h2>Counts by processor</h2>
<table class="data" id="health-counts">
<thead><tr><th>processor</th><th>version</th>${CELL_STATUSES.map((s) => html`<th class="n">${s}</th>`)}</tr></thead>
<tbody>${g.processors.map(
    (proc) => html`<tr><td>${proc.key} <span class="muted">${proc.processor_name}</span></td><td>${proc.version}</td>${CELL_STATUSES.map(
      (s) => html`<td class="n">${s === 'failed' && g.counts[proc.key][s] > 0
        ? html`<a href="${href('/failures', [], { processor: proc.key, from: g.from, to: g.to })}">${num(g.counts[proc.key][s])}</a>`
        : num(g.counts[proc.key][s])}</td>`,
    )}</tr>`,
  )}</tbody>
</table>`;
}
