// The daily run's alerts, as events for the one notification policy: missing games (final but not
// ingested, or still not final a day later), stale sources (a feed that did not answer, so an older
// copy or nothing was used), and failures (a request that failed for good, a date whose ingest was
// rolled back). Signatures name the thing, not the run, so repeats are rate-limited across runs.
import { addDays, type IsoDate } from '../core/dates.js';
import type { NotificationEvent } from '../engine/notify/event.js';
import type { FetchSummary } from '../fetch/fetch-dates.js';
import type { LandedDateIngest } from '../ingest/landing/ingest-landed.js';

export function dailyAlerts(date: IsoDate, fetch: FetchSummary | null, ingests: readonly LandedDateIngest[], options: { readonly lookbackDays?: number } = {}): NotificationEvent[] {
  const events: NotificationEvent[] = [];
  // The next run (date + 1) asks for the finals of its look-back days and the day before it: a game
  // of an older day is asked for by no later run, so the alert must not promise it.
  const lookback = options.lookbackDays;
  const askedAgain = (d: IsoDate) => lookback === undefined || d >= addDays(date, 1 - Math.max(lookback, 1));
  const byHand = (d: IsoDate) => `it is past the ${lookback ?? 0}-day look-back, so no later run asks for it: courtside fetch --date ${d}, then courtside ingest --date ${d}`;
  if (fetch) {
    if (fetch.schedule.source !== 'fetched' || fetch.schedule.error) {
      events.push({
        type: 'stale_data',
        severity: 'warning',
        signature: `stale_source|nba-schedule|${date}`,
        title: `league schedule not refreshed for ${date}`,
        message: `${fetch.schedule.error ?? 'no response'}; ${fetch.schedule.date ? `using the copy landed for ${fetch.schedule.date}` : 'no earlier copy to fall back on'}`,
      });
    }
    const slate = fetch.dates.find((d) => d.date === date);
    if (fetch.oddsConfigured && slate && slate.games > 0 && !slate.oddsFetched) {
      events.push({
        type: 'stale_data',
        severity: 'warning',
        signature: `stale_source|odds|${date}`,
        title: `odds for the ${date} slate incomplete`,
        message: 'game lines or player props could not be fetched; pre-game contexts use what landed earlier (or no line)',
      });
    }
    for (const f of fetch.files.filter((x) => x.outcome === 'failed' && x.source !== 'nba-pbp' && x.source !== 'nba-schedule')) {
      events.push({
        type: 'processing_error',
        severity: 'error',
        signature: `fetch_failed|${f.source}|${f.date}|${f.file}`,
        title: `fetch failed: ${f.source} ${f.date} ${f.file}`,
        message: f.detail ?? 'no usable response',
      });
    }
  }
  // Why a final game has no usable play-by-play: its request failed, or its answer stopped short.
  const pbpFailure = (d: IsoDate, gameId: string) => fetch?.files.find((f) => f.source === 'nba-pbp' && f.date === d && f.file === `${gameId}.json` && f.detail !== undefined)?.detail;
  for (const r of ingests) {
    if (r.status === 'failed') {
      events.push({
        type: 'processing_error',
        severity: 'error',
        signature: `ingest_failed|${r.date}|${r.file ?? ''}`,
        title: `ingest of ${r.date} rolled back`,
        message: r.error ?? 'unknown error',
      });
    }
    if (r.date >= date) continue; // today's games are the slate, not missing
    for (const gameId of r.games.missing) {
      const why = pbpFailure(r.date, gameId);
      events.push({
        type: 'missing_dependency',
        severity: 'error',
        signature: `missing_game|${gameId}`,
        title: `missing game ${gameId} (${r.date})`,
        message: `${why ? `final, but its play-by-play could not be fetched: ${why}` : 'final, but no play-by-play has landed'}; ${askedAgain(r.date) ? 'the next run asks again' : byHand(r.date)}`,
      });
    }
    for (const gameId of r.games.notFinal) {
      events.push({
        type: 'missing_dependency',
        severity: 'warning',
        signature: `missing_game|${gameId}`,
        title: `game ${gameId} (${r.date}) not final yet`,
        message: askedAgain(r.date) ? 'not ingested; a later run picks it up once the schedule calls it final' : `not ingested; ${byHand(r.date)} once the schedule calls it final`,
      });
    }
  }
  return events;
}
