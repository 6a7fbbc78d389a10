// Answers that are not a page's data: the warehouse is busy (with the running backfill's live
// progress, refreshing itself when the file is free again), or an error with its message.
import type { LiveProgress } from '../data/runs.js';
import { html, type SafeHtml } from '../html.js';
import { progressPanel } from '../layout.js';

export function renderBusy(message: string, live: LiveProgress): SafeHtml {
  return html`<section class="busy" id="busy" data-status-poll="/api/status">
<h1>The warehouse is busy</h1>
<p>Another courtside process holds the database for writing, so it cannot be read right now. This page
shows that run's progress and reloads by itself when the database is free again.</p>
<p class="muted" id="busy-message">${message}</p>
</section>
${progressPanel(live.progress, live.live)}`;
}

export function renderError(status: number, message: string): SafeHtml {
  const heading = status === 400 ? 'Bad request' : status === 404 ? 'Not found' : status === 503 ? 'Warehouse unavailable' : 'Something went wrong';
  return html`<section class="error" id="error" data-status="${status}">
<h1>${heading}</h1>
<p id="error-message">${message}</p>
</section>`;
}
