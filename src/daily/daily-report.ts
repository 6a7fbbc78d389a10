// The day's report: what was fetched, ingested, built and what failed, in a few lines (and as JSON
// in run history), followed by the sections registered in report-sections.ts.
import type { IsoDate } from '../core/dates.js';
import type { NotificationEvent } from '../engine/notify/event.js';
import type { RunSummary } from '../engine/types.js';
import type { FetchSummary } from '../fetch/fetch-dates.js';
import type { LandedDateIngest } from '../ingest/landing/ingest-landed.js';

export interface Phase4Outcome {
  /** Why it ran or did not: 'ran', 'up to date' (nothing new and today complete), 'skipped: …'. */
  readonly decision: string;
  readonly summary: RunSummary | null;
  /** Earlier dates rebuilt because a late game changed what they read (stale partitions only). */
  readonly catchUp: RunSummary | null;
}

export interface DailyReport {
  readonly date: IsoDate;
  readonly runId: string;
  readonly status: 'success' | 'partial' | 'failed' | 'nothing_new';
  readonly fetch: FetchSummary | null;
  readonly fetchError: string | null;
  readonly ingests: readonly LandedDateIngest[];
  readonly phase4: Phase4Outcome;
  readonly alerts: readonly Pick<NotificationEvent, 'severity' | 'title' | 'message'>[];
  readonly sections: readonly { readonly title: string; readonly lines: readonly string[] }[];
  readonly durationMs: number;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function fetchLines(r: DailyReport): string[] {
  if (r.fetchError) return [`fetch: FAILED — ${r.fetchError}`];
  const f = r.fetch;
  if (!f) return ['fetch: skipped'];
  const by = (o: string) => f.files.filter((x) => x.outcome === o).length;
  const lines = [
    `fetch: ${count(f.requests, 'request')} in ${(f.durationMs / 1000).toFixed(1)} s — ${by('new')} new, ${by('changed')} changed, ${by('unchanged')} unchanged, ${by('skipped')} already landed, ${by('failed')} failed; schedule ${f.schedule.source}${f.schedule.source === 'landed' ? ` (copy of ${f.schedule.date})` : ''}; odds ${f.oddsConfigured ? 'configured' : 'not configured (no API key)'}`,
  ];
  for (const d of f.dates.filter((x) => x.games > 0)) {
    const extra = [
      d.notFinal.length > 0 ? `${d.notFinal.length} not final (${d.notFinal.map((g) => `${g.gameId} ${g.statusText}`).join(', ')})` : '',
      d.postponed.length > 0 ? `${d.postponed.length} postponed (${d.postponed.join(', ')})` : '',
      d.oddsFetched ? 'odds landed' : '',
    ].filter((s) => s !== '');
    lines.push(`  ${d.date}: ${count(d.games, 'game')}, ${d.final} final${extra.length > 0 ? `; ${extra.join('; ')}` : ''}`);
  }
  return lines;
}

function ingestLines(r: DailyReport): string[] {
  const lines = ['ingest:'];
  for (const i of r.ingests) {
    if (i.status === 'failed') lines.push(`  ${i.date}: FAILED, rolled back — ${i.error ?? ''}`);
    else if (i.status === 'unchanged') lines.push(`  ${i.date}: unchanged since its last ingest`);
    else if (i.status === 'nothing_landed') continue; // an off day
    else {
      lines.push(
        `  ${i.date}: ${i.games.loaded}/${i.games.scheduled} games with play-by-play (${i.rowsLoaded} events, ${i.duplicatesDropped} duplicates dropped), ` +
          `${i.playerGames} player-games, ${i.newPlayers} new players, contexts rebuilt for ${count(i.contextDates, 'date')}, ` +
          `${i.gameLines} game lines, ${i.propLines} prop lines; unresolved: ${i.unresolved.propNames} prop names, ${i.unresolved.oddsTeams} odds teams, ${i.unresolved.boxPlayers} box players`,
      );
    }
  }
  return lines;
}

function phase4Lines(r: DailyReport): string[] {
  const p = r.phase4;
  const lines = [`phase 4: ${p.decision}`];
  for (const s of [p.catchUp, p.summary]) {
    if (!s) continue;
    const label = s === p.catchUp ? `  catch-up ${s.from}..${s.to}` : `  ${s.from}`;
    const parts = s.processors.map((x) => `${x.processor} ${x.complete + x.bootstrapEmpty}/${x.planned}${x.failed + x.skippedUpstream > 0 ? ` (${x.failed} failed, ${x.skippedUpstream} skipped)` : ''} ${x.rowsWritten} rows`);
    lines.push(`${label}: ${s.status}, run ${s.runId}: ${parts.join('; ')}`);
    for (const f of s.failedPartitions.slice(0, 5)) lines.push(`    ${f.processor} ${f.date} ${f.status}${f.category ? ` ${f.category}` : ''}: ${f.reason.slice(0, 160)}`);
  }
  return lines;
}

export function renderDailyReport(r: DailyReport): string {
  const head = `courtside daily ${r.date}: ${r.status === 'nothing_new' ? 'nothing new' : r.status} (run ${r.runId}, ${(r.durationMs / 1000).toFixed(1)} s)`;
  const alerts = r.alerts.length === 0 ? ['alerts: none'] : ['alerts:', ...r.alerts.map((a) => `  [${a.severity}] ${a.title}: ${a.message}`)];
  const sections = r.sections.flatMap((s) => [`${s.title}:`, ...s.lines.map((l) => `  ${l}`)]);
  return [head, ...fetchLines(r), ...ingestLines(r), ...phase4Lines(r), ...alerts, ...sections].join('\n');
}
