// The page shell every HTML answer shares: head (local CSS/JS only, no CDN), navigation, main.
import type { ProgressSnapshot } from '../engine/progress-file.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { num, when } from './view.js';

export type Section = 'health' | 'failures' | 'runs' | 'registry' | 'slate' | 'players' | 'none';

const NAV: readonly { section: Section; label: string; href: string }[] = [
  { section: 'health', label: 'Health', href: '/health' },
  { section: 'failures', label: 'Failures', href: '/failures' },
  { section: 'runs', label: 'Runs', href: '/runs' },
  { section: 'registry', label: 'Registry', href: '/registry' },
  { section: 'slate', label: 'Slate', href: '/slate' },
  { section: 'players', label: 'Players', href: '/players' },
];

export interface PageOptions {
  readonly title: string;
  readonly section: Section;
  readonly body: HtmlValue;
  /** Extra scripts (served from /static) this page needs, e.g. the chart library. */
  readonly scripts?: readonly string[];
  readonly styles?: readonly string[];
  readonly db: string;
}

export function page(o: PageOptions): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Courtside</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/dashboard.css">
${(o.styles ?? []).map((s) => html`<link rel="stylesheet" href="/static/${s}">`)}
${(o.scripts ?? []).map((s) => html`<script src="/static/${s}" defer></script>`)}
<script src="/static/dashboard.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/health">Courtside</a>
<nav>${NAV.map((n) => html`<a href="${n.href}"${n.section === o.section ? html` class="active" aria-current="page"` : ''}>${n.label}</a>`)}</nav>
<span class="db" title="${o.db}">${o.db.split('/').pop() ?? o.db}</span>
</header>
<main>
${o.body}
</main>
</body>
</html>`;
}

/**
 * A run's live progress. The structure is always there (the idle line or the running part hidden),
 * so that dashboard.js only sets text and attributes when it polls /api/progress.
 */
export function progressPanel(progress: ProgressSnapshot | null, live: boolean): SafeHtml {
  const running = progress !== null && live;
  const p = running ? progress : null;
  return html`<section class="live" id="live-progress" data-poll="/api/progress">
<p class="muted" data-part="idle"${running ? html` hidden` : ''}>No run in progress.</p>
<div data-part="running"${running ? '' : html` hidden`}>
<p><strong class="live-dot">●</strong> Running: <span data-field="command">${p?.command}</span> <code data-field="run_id">${p?.run_id}</code>
(pid <span data-field="pid">${p?.pid}</span>) · <span data-field="label">${p?.label}</span></p>
<p><progress data-field="bar" max="${p ? Math.max(p.partitions_total, 1) : 1}" value="${p?.partitions_done ?? 0}"></progress>
<span data-field="partitions_done">${num(p?.partitions_done)}</span> / <span data-field="partitions_total">${num(p?.partitions_total)}</span> partitions ·
now <span data-field="current">${p ? (p.current_processor ? `${p.current_processor} ${p.current_batch ?? ''}` : 'planning') : ''}</span> ·
started <span data-field="started_at">${when(p?.started_at)}</span> · updated <span data-field="updated_at">${when(p?.updated_at)}</span></p>
</div>
</section>`;
}
