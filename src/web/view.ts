// Small rendering helpers shared by the pages: numbers, times, durations, and a table of rows.
import { html, type HtmlValue, type SafeHtml } from './html.js';

export const DASH = '–';

/** A number with `dp` decimals, or a dash for null/undefined/NaN. */
export function num(value: unknown, dp = 0): string {
  if (value === null || value === undefined || value === '') return DASH;
  const n = Number(value);
  if (!Number.isFinite(n)) return DASH;
  return n.toLocaleString('en-US', { minimumFractionDigits: dp, maximumFractionDigits: dp });
}

/** A stored timestamp as 'YYYY-MM-DD HH:MM:SS' (UTC, as the engine writes them). */
export function when(value: unknown): string {
  if (value === null || value === undefined) return DASH;
  const s = String(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(s) ? `${s.slice(0, 10)} ${s.slice(11, 19)}` : s;
}

export function duration(ms: unknown): string {
  if (ms === null || ms === undefined) return DASH;
  const n = Number(ms);
  if (!Number.isFinite(n)) return DASH;
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

export function yesNo(value: unknown): string {
  return value === null || value === undefined ? DASH : value ? 'yes' : 'no';
}

export interface Column<R> {
  readonly label: string;
  readonly cell: (row: R) => HtmlValue;
  /** Right-aligned (numbers). */
  readonly numeric?: boolean;
}

/** A table with a header row; `empty` is shown instead when there are no rows. */
export function table<R>(columns: readonly Column<R>[], rows: readonly R[], options: { readonly empty?: string; readonly className?: string; readonly id?: string } = {}): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${options.empty ?? 'Nothing to show.'}</p>`;
  return html`<table class="${['data', options.className].filter(Boolean).join(' ')}"${options.id ? html` id="${options.id}"` : ''}>
<thead><tr>${columns.map((c) => html`<th${c.numeric ? html` class="n"` : ''}>${c.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map((c) => html`<td${c.numeric ? html` class="n"` : ''}>${c.cell(r)}</td>`)}</tr>`)}</tbody>
</table>`;
}

export function link(url: string, text: HtmlValue, className?: string): SafeHtml {
  return html`<a href="${url}"${className ? html` class="${className}"` : ''}>${text}</a>`;
}
