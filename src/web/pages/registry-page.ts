// Pending unresolved names: how often and where they were seen, and likely registry matches.
import type { Row } from '../../warehouse/warehouse.js';
import type { RegistryNameView, RegistryView } from '../data/registry.js';
import { href, html, type SafeHtml } from '../html.js';
import { link, num, table, when } from '../view.js';

const HOW_TO_FIX = html`<p class="muted">Resolve a name with <code>courtside registry alias NAME --to PLAYER</code>, then rebuild what it touched with <code>courtside registry reprocess</code>.</p>`;

export function renderRegistry(v: RegistryView): SafeHtml {
  return html`<h1>Registry <small>name resolution</small></h1>
${table<Row>(
  [
    { label: 'status', cell: (r) => r['status'] as string },
    { label: 'names', cell: (r) => num(r['names']), numeric: true },
    { label: 'failures', cell: (r) => num(r['failures']), numeric: true },
    { label: 'occurrences', cell: (r) => num(r['occurrences']), numeric: true },
  ],
  v.by_status,
  { empty: 'No registry failures: every name resolved.', id: 'registry-status' },
)}
<h2>Pending names <small>${num(v.pending.length)}</small></h2>
${HOW_TO_FIX}
${table<Row>(
  [
    { label: 'name as seen', cell: (r) => link(href('/registry', [String(r['lookup'])]), String(r['raw_name'] ?? r['lookup']), 'raw-name') },
    { label: 'lookup', cell: (r) => html`<code>${r['lookup'] as string}</code>` },
    { label: 'occurrences', cell: (r) => num(r['occurrences']), numeric: true },
    { label: 'dates', cell: (r) => num(r['dates']), numeric: true },
    { label: 'first', cell: (r) => r['first_date'] as string },
    { label: 'last', cell: (r) => r['last_date'] as string },
    { label: 'seen by', cell: (r) => r['processors'] as string },
    { label: 'likely matches', cell: (r) => (r['suggestions'] as string) || '–' },
  ],
  v.pending,
  { empty: 'No pending names.', id: 'registry-pending' },
)}`;
}

export function renderRegistryName(v: RegistryNameView): SafeHtml {
  return html`<p class="crumbs">${link('/registry', 'Registry')} › ${v.lookup}</p>
<h1><code>${v.lookup}</code></h1>
${v.pending
  ? html`<p>Pending: ${num(v.pending['occurrences'])} occurrences on ${num(v.pending['dates'])} dates. Likely matches: <strong id="suggestions">${(v.pending['suggestions'] as string) || 'none'}</strong>.</p>
${HOW_TO_FIX}`
  : html`<p>Every failure of this name is resolved.</p>`}
${table<Row>(
  [
    { label: 'name as seen', cell: (r) => r['raw_name'] as string },
    { label: 'game date', cell: (r) => link(href('/slate', [], { date: String(r['game_date']) }), String(r['game_date'])) },
    { label: 'seen by', cell: (r) => r['processor_name'] as string },
    { label: 'team', cell: (r) => (r['team_abbr'] as string | null) ?? '–' },
    { label: 'game', cell: (r) => (r['game_id'] as string | null) ?? '–' },
    { label: 'occurrences', cell: (r) => num(r['occurrence_count']), numeric: true },
    { label: 'status', cell: (r) => r['status'] as string },
    { label: 'first seen', cell: (r) => when(r['created_at']) },
  ],
  v.failures,
  { id: 'registry-failures' },
)}`;
}
