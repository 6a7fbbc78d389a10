// `courtside fetch`: for each date, the league schedule (one request per run), the play-by-play of
// every game the schedule calls final, and — with an odds API key — the slate's game lines and
// player props. Every response lands untouched (landing-store.ts). A file already landed complete
// is not asked for again, so a re-fetch only asks for what changed or was missing: games that were
// not final yet, bodies that came back truncated, requests that failed.
import type { IsoDate } from '../core/dates.js';
import { errorMessage } from '../core/errors.js';
import { playByPlayShortOfFinal } from '../ingest/landing/pbp-feed.js';
import { gamesOn, parseSchedule, type ScheduledGame } from '../ingest/landing/schedule-feed.js';
import type { FeedConfig } from './feed-config.js';
import { NBA_STATS_HEADERS, oddsEventPropsUrl, oddsEventsUrl, oddsGameLinesUrl, playByPlayUrl } from './feed-urls.js';
import { createHttpClient, redactUrl, type HttpClient } from './http-client.js';
import { landResponse, landedEntry, landingDir, recordFailure, type LandOutcome, type LandingSource } from './landing-store.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newestSchedule, SCHEDULE_FILE } from './newest-schedule.js';

export interface FetchedFile {
  readonly source: LandingSource;
  readonly date: IsoDate;
  readonly file: string;
  readonly outcome: LandOutcome | 'skipped' | 'failed';
  readonly detail?: string;
}

export interface DateFetch {
  readonly date: IsoDate;
  readonly games: number;
  readonly final: number;
  /** Games not final (scheduled or in progress): not fetched now, picked up by a later run. */
  readonly notFinal: readonly Pick<ScheduledGame, 'gameId' | 'state' | 'statusText'>[];
  readonly postponed: readonly string[];
  readonly oddsFetched: boolean;
}

export interface FetchSummary {
  readonly files: readonly FetchedFile[];
  readonly dates: readonly DateFetch[];
  /** Where the game lists came from: this run's schedule response, or an earlier landed copy. */
  readonly schedule: { readonly source: 'fetched' | 'landed' | 'none'; readonly date: IsoDate | null; readonly error?: string };
  readonly oddsConfigured: boolean;
  readonly requests: number;
  readonly durationMs: number;
}

export interface FetchOptions {
  readonly config: FeedConfig;
  /** Dates whose final games to fetch, ascending. */
  readonly dates: readonly IsoDate[];
  /** Dates whose pre-game odds to fetch (a slate); odds need an API key. */
  readonly oddsDates?: readonly IsoDate[];
  /** Ask again for files already landed complete. */
  readonly force?: boolean;
  readonly client?: HttpClient;
  readonly log?: (line: string) => void;
}

const landingFile = (root: string, source: LandingSource, date: IsoDate, file: string) => join(landingDir(root, source, date), file);

/** The event ids of a landed events list (valid JSON). */
function eventIds(body: Buffer): string[] {
  const list = JSON.parse(body.toString('utf8')) as unknown;
  return Array.isArray(list) ? list.map((e) => (e as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string' && id !== '') : [];
}

/** An event's props file: the file name is the event id, kept a plain name whatever the API sends. */
const propsFile = (id: string): string => `${id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;

const jsonCheck = (body: Buffer): string | undefined => {
  try {
    JSON.parse(body.toString('utf8'));
    return undefined;
  } catch (err) {
    return `body is not valid JSON (${body.length} bytes, truncated?): ${errorMessage(err)}`;
  }
};

export async function fetchDates(o: FetchOptions): Promise<FetchSummary> {
  const started = Date.now();
  const c = o.config;
  const log = o.log ?? (() => undefined);
  let requests = 0;
  const client = o.client ?? createHttpClient(c.http, { onRetry: (url, n, reason, wait) => log(`retry ${n} of ${url}: ${reason}; waiting ${wait} ms`) });
  const files: FetchedFile[] = [];
  const dates = [...o.dates].sort();
  const runDate = [...dates, ...(o.oddsDates ?? [])].sort().at(-1);
  if (!runDate) return { files, dates: [], schedule: { source: 'none', date: null }, oddsConfigured: c.oddsApiKey !== undefined, requests, durationMs: 0 };

  /** GET, land the body untouched, record failures; returns the body when it is usable JSON. */
  async function land(source: LandingSource, date: IsoDate, file: string, url: string, opts: { headers?: Record<string, string>; incomplete?: (body: Buffer) => string | undefined } = {}): Promise<Buffer | undefined> {
    const shown = redactUrl(url);
    requests++;
    try {
      const r = await client.get(url, { ...(opts.headers ? { headers: opts.headers } : {}), validate: jsonCheck });
      if (r.status !== 200) {
        recordFailure(c.landingDir, source, date, { file, url: shown, at: new Date().toISOString(), status: r.status, error: `HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 200)}` });
        files.push({ source, date, file, outcome: 'failed', detail: `HTTP ${r.status}` });
        return undefined;
      }
      const validJson = r.invalid === undefined;
      const short = validJson ? opts.incomplete?.(r.body) : undefined;
      const complete = validJson && short === undefined;
      const why = r.invalid ?? short;
      // A body that is not complete never replaces one that is (a forced re-fetch, the schedule asked
      // for again the same day): the good copy stays, the attempt is recorded as a failure.
      if (!complete && landedEntry(c.landingDir, source, date, file)?.entry.complete) {
        recordFailure(c.landingDir, source, date, { file, url: shown, at: new Date().toISOString(), status: r.status, error: `${why ?? 'incomplete'}; the complete copy landed earlier is kept` });
        files.push({ source, date, file, outcome: 'failed', ...(why ? { detail: why } : {}) });
        log(`${source}/${date}/${file}: ${why} — the complete copy landed earlier is kept`);
        return undefined;
      }
      const outcome = landResponse(c.landingDir, source, date, file, { url: shown, status: r.status, body: r.body, validJson, complete, ...(why ? { note: why } : {}) });
      files.push({ source, date, file, outcome, ...(why ? { detail: why } : {}) });
      if (why) log(`${source}/${date}/${file}: ${why} — landed as received, asked again next run`);
      return validJson ? r.body : undefined;
    } catch (err) {
      recordFailure(c.landingDir, source, date, { file, url: shown, at: new Date().toISOString(), status: null, error: errorMessage(err) });
      files.push({ source, date, file, outcome: 'failed', detail: errorMessage(err) });
      log(`${source}/${date}/${file}: ${errorMessage(err)}`);
      return undefined;
    }
  }

  // One schedule request per run, landed under the run's latest date; when it fails, the newest
  // copy landed earlier still tells which games exist (reported as a stale source).
  const fetched = await land('nba-schedule', runDate, SCHEDULE_FILE, c.nbaScheduleUrl);
  const scheduleFailure = files.find((f) => f.source === 'nba-schedule' && f.outcome === 'failed')?.detail;
  let olderUsed: IsoDate | null = null;
  const problems: string[] = scheduleFailure ? [scheduleFailure] : [];
  /** The date's games from this run's response; else from the newest earlier copy that has them. */
  const gamesFor = (date: IsoDate): ScheduledGame[] => {
    if (fetched) {
      try {
        return gamesOn(parseSchedule(landingFile(c.landingDir, 'nba-schedule', runDate, SCHEDULE_FILE), { text: fetched.toString('utf8'), dates: new Set([date]) }), date);
      } catch (err) {
        problems.push(errorMessage(err));
        files.push({ source: 'nba-schedule', date, file: SCHEDULE_FILE, outcome: 'failed', detail: errorMessage(err) });
      }
    }
    const older = newestSchedule(c.landingDir, [date], { skipInvalid: true });
    // The run's own date counts too when this run got no usable answer (a copy landed earlier today).
    if (older && (older.date !== runDate || !fetched)) olderUsed = older.date;
    return older ? gamesOn(older.games, date) : [];
  };
  const allGames = new Map<IsoDate, ScheduledGame[]>();
  for (const d of new Set([...dates, ...(o.oddsDates ?? [])])) allGames.set(d, gamesFor(d));
  const schedule: FetchSummary['schedule'] =
    fetched && problems.length === 0
      ? { source: 'fetched', date: runDate }
      : { source: olderUsed ? 'landed' : fetched ? 'fetched' : 'none', date: olderUsed ?? (fetched ? runDate : null), error: problems.join('; ') || 'no response' };

  const perDate: DateFetch[] = [];
  for (const date of dates) {
    const games = allGames.get(date) ?? [];
    for (const g of games.filter((x) => x.state === 'final')) {
      const file = `${g.gameId}.json`;
      const have = landedEntry(c.landingDir, 'nba-pbp', date, file);
      if (have?.entry.complete && !o.force) {
        files.push({ source: 'nba-pbp', date, file, outcome: 'skipped' });
        continue;
      }
      await land('nba-pbp', date, file, playByPlayUrl(c, g.gameId), { headers: { ...NBA_STATS_HEADERS }, incomplete: (body) => playByPlayShortOfFinal(body.toString('utf8'), g) });
    }
    perDate.push({
      date,
      games: games.length,
      final: games.filter((g) => g.state === 'final').length,
      notFinal: games.filter((g) => g.state === 'scheduled' || g.state === 'in_progress').map((g) => ({ gameId: g.gameId, state: g.state, statusText: g.statusText })),
      postponed: games.filter((g) => g.state === 'postponed').map((g) => g.gameId),
      oddsFetched: false,
    });
  }

  for (const date of o.oddsDates ?? []) {
    if (!c.oddsApiKey) break;
    const fetchedOdds = await fetchOdds(date);
    const entry = perDate.find((d) => d.date === date);
    const games = allGames.get(date) ?? [];
    const row: DateFetch = {
      date,
      games: games.length,
      final: games.filter((g) => g.state === 'final').length,
      notFinal: games.filter((g) => g.state !== 'final' && g.state !== 'postponed').map((g) => ({ gameId: g.gameId, state: g.state, statusText: g.statusText })),
      postponed: games.filter((g) => g.state === 'postponed').map((g) => g.gameId),
      oddsFetched: fetchedOdds,
    };
    if (entry) perDate[perDate.indexOf(entry)] = { ...entry, oddsFetched: fetchedOdds };
    else perDate.push(row);
  }

  /**
   * Each event's player props, but those already landed complete (unless --force); `listSkipped` lists
   * those in the summary. True when every one is landed.
   */
  async function landProps(date: IsoDate, ids: readonly string[], opts: { readonly listSkipped: boolean }): Promise<boolean> {
    let ok = true;
    for (const id of ids) {
      if (!o.force && landedEntry(c.landingDir, 'odds-player-props', date, propsFile(id))?.entry.complete) {
        if (opts.listSkipped) files.push({ source: 'odds-player-props', date, file: propsFile(id), outcome: 'skipped' });
        continue;
      }
      if (!(await land('odds-player-props', date, propsFile(id), oddsEventPropsUrl(c, id)))) ok = false;
    }
    return ok;
  }

  /** Game lines and each event's player props for one slate; what already landed complete is skipped. */
  async function fetchOdds(date: IsoDate): Promise<boolean> {
    const have = landedEntry(c.landingDir, 'odds-game-lines', date, 'odds.json');
    const haveEvents = landedEntry(c.landingDir, 'odds-events', date, 'events.json');
    if (have?.entry.complete && haveEvents?.entry.complete && !o.force) {
      files.push({ source: 'odds-game-lines', date, file: 'odds.json', outcome: 'skipped' });
      // The lines land even when an event's props failed for good: those are asked for again.
      return landProps(date, eventIds(readFileSync(haveEvents.path)), { listSkipped: false });
    }
    const events = await land('odds-events', date, 'events.json', oddsEventsUrl(c, date));
    if (!events) return false;
    // Props landed complete by an earlier run whose game lines failed are not asked for again.
    let ok = await landProps(date, eventIds(events), { listSkipped: true });
    // Game lines last: their landing marks the slate's odds as fetched.
    if (!(await land('odds-game-lines', date, 'odds.json', oddsGameLinesUrl(c, date)))) ok = false;
    return ok;
  }

  return { files, dates: perDate.sort((a, b) => a.date.localeCompare(b.date)), schedule, oddsConfigured: c.oddsApiKey !== undefined, requests, durationMs: Date.now() - started };
}
