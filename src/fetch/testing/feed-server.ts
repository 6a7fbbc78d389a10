// A loopback HTTP server that answers like the three real APIs — stats.nba.com playbyplayv3,
// cdn.nba.com scheduleLeagueV2.json, The Odds API v4 — from a FeedFixture, with a clock (games
// before "today" are final) and the faults a real feed has: statuses with Retry-After, slow
// answers, truncated bodies, dropped connections, games in progress or postponed, and edits to any
// document (a missing field, an unknown team, a name nobody has seen). Tests start it on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IsoDate } from '../../core/dates.js';
import { addDays } from '../../core/dates.js';
import { eventIdOf, teamIdOf, teamName, type FeedFixture, type FixtureGame } from './feed-fixture.js';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'truncate' }
  | { readonly kind: 'drop' };

export interface FaultRule {
  /** Matched against the request's path and query. */
  readonly match: string | RegExp;
  /** How many matching requests get the fault (default: every one). */
  times?: number;
  readonly fault: Fault;
}

export interface LoggedRequest {
  /** When the request arrived. */
  readonly at: number;
  readonly path: string;
  readonly userAgent: string;
  /** The status sent (0 while the answer is pending, or when the client left first). */
  status: number;
}

export type GameOverride = 'in_progress' | 'postponed' | 'scheduled';

/** Edits to documents before they are sent: the data-level faults. */
export interface FeedPatches {
  actions?: (gameId: string, actions: Record<string, unknown>[]) => Record<string, unknown>[];
  scheduleGame?: (game: Record<string, unknown>) => Record<string, unknown>;
  eventOdds?: (eventId: string, doc: Record<string, unknown>) => Record<string, unknown>;
}

export interface FeedServer {
  readonly baseUrl: string;
  /** Base URLs to put in the nightly configuration. */
  readonly urls: { readonly nbaStatsBaseUrl: string; readonly nbaScheduleUrl: string; readonly oddsApiBaseUrl: string };
  readonly requests: LoggedRequest[];
  today: IsoDate;
  readonly faults: FaultRule[];
  readonly overrides: Map<string, GameOverride>;
  patches: FeedPatches;
  close(): Promise<void>;
}

const SPORT = 'basketball_nba';

function stateOf(server: { today: IsoDate; overrides: Map<string, GameOverride> }, g: FixtureGame): { status: 1 | 2 | 3; text: string } {
  const o = server.overrides.get(g.gameId);
  if (o === 'postponed') return { status: 1, text: 'PPD' };
  if (o === 'in_progress') return { status: 2, text: 'Q4 2:31' };
  if (o === 'scheduled' || g.date >= server.today) return { status: 1, text: '7:30 pm ET' };
  return { status: 3, text: g.periods > 4 ? `Final/OT${g.periods > 5 ? g.periods - 4 : ''}` : 'Final' };
}

export async function startFeedServer(fixture: FeedFixture, options: { readonly today: IsoDate; readonly apiKey?: string }): Promise<FeedServer> {
  const requests: LoggedRequest[] = [];
  const state = {
    today: options.today,
    faults: [] as FaultRule[],
    overrides: new Map<string, GameOverride>(),
    patches: {} as FeedPatches,
  };

  const team = (tricode: string, score: number | null) => ({
    teamId: teamIdOf(tricode),
    teamName: teamName(tricode).split(' ').slice(-1)[0],
    teamCity: teamName(tricode).split(' ').slice(0, -1).join(' '),
    teamTricode: tricode,
    teamSlug: teamName(tricode).split(' ').slice(-1)[0]?.toLowerCase(),
    wins: 0,
    losses: 0,
    score,
    seed: null,
  });

  function schedule(): unknown {
    const byDate = new Map<IsoDate, Record<string, unknown>[]>();
    fixture.games.forEach((g, i) => {
      const s = stateOf(state, g);
      const game: Record<string, unknown> = {
        gameId: g.gameId,
        gameCode: `${g.date.replace(/-/g, '')}/${g.away}${g.home}`,
        gameStatus: s.status,
        gameStatusText: s.text,
        gameSequence: i + 1,
        gameDateEst: `${g.date}T00:00:00Z`,
        gameTimeEst: '1900-01-01T19:30:00Z',
        gameDateTimeEst: `${g.date}T19:30:00Z`,
        gameDateUTC: `${g.date}T04:00:00Z`,
        gameTimeUTC: `1900-01-01T${g.tipoffUtc.slice(11)}`,
        gameDateTimeUTC: g.tipoffUtc,
        weekNumber: 0,
        homeTeam: team(g.home, s.status === 3 ? g.homeScore : 0),
        awayTeam: team(g.away, s.status === 3 ? g.awayScore : 0),
      };
      const list = byDate.get(g.date) ?? [];
      list.push(state.patches.scheduleGame ? state.patches.scheduleGame(game) : game);
      byDate.set(g.date, list);
    });
    return {
      meta: { version: 1, request: 'http://nba.cloud/league/00/2021/schedule?Format=json', time: `${state.today} 06:00:00.000` },
      leagueSchedule: {
        seasonYear: '2021-22',
        leagueId: '00',
        gameDates: [...byDate].map(([date, games]) => ({ gameDate: `${date.slice(5, 7)}/${date.slice(8, 10)}/${date.slice(0, 4)} 00:00:00`, games })),
      },
    };
  }

  // A final game's answer never changes: serialised once, like a CDN would (unless a test edits it).
  const finalBodies = new Map<string, string>();
  async function playByPlayText(gameId: string): Promise<string> {
    const g = fixture.games.find((x) => x.gameId === gameId);
    const cacheable = g !== undefined && stateOf(state, g).status === 3 && !state.patches.actions;
    const hit = cacheable ? finalBodies.get(gameId) : undefined;
    if (hit) return hit;
    const text = JSON.stringify(await playByPlay(gameId));
    if (cacheable) finalBodies.set(gameId, text);
    return text;
  }

  async function playByPlay(gameId: string): Promise<unknown> {
    const g = fixture.games.find((x) => x.gameId === gameId);
    let actions: Record<string, unknown>[] = g ? await fixture.actions(gameId) : [];
    // A game in progress has only its first half so far.
    if (g && stateOf(state, g).status === 2) actions = actions.filter((a) => Number(a['period']) <= 2);
    if (state.patches.actions) actions = state.patches.actions(gameId, actions);
    return {
      meta: { version: 1, request: `http://nba.cloud/games/${gameId}/playbyplay?Format=json`, time: `${state.today} 06:00:00.000` },
      game: { gameId, videoAvailable: 1, actions },
    };
  }

  /** Events of the slate: today's and later games that have not started (the API lists upcoming events). */
  function slate(from: string, to: string): FixtureGame[] {
    return fixture.games.filter((g) => g.tipoffUtc >= from && g.tipoffUtc <= to && stateOf(state, g).status === 1 && state.overrides.get(g.gameId) !== 'postponed');
  }

  const event = (g: FixtureGame) => ({ id: eventIdOf(g.gameId), sport_key: SPORT, sport_title: 'NBA', commence_time: g.tipoffUtc, home_team: teamName(g.home), away_team: teamName(g.away) });

  async function gameLines(from: string, to: string): Promise<unknown> {
    const out = [];
    for (const g of slate(from, to)) {
      const line = (await fixture.odds(g.date)).find((o) => o.home === g.home && o.away === g.away);
      if (!line) continue;
      const [mlHome, mlAway, spread] = [Number(line.ML_Home), Number(line.ML_Away), Math.abs(Number(line.Spread))];
      // The source's spread is unsigned: the moneyline favourite gives the points.
      const homeGives = mlHome <= mlAway;
      const at = `${g.date}T15:00:00Z`;
      out.push({
        ...event(g),
        bookmakers: [
          {
            key: 'sportsbookreview',
            title: 'SportsbookReview (book not recorded)',
            last_update: at,
            markets: [
              { key: 'h2h', last_update: at, outcomes: [{ name: teamName(g.home), price: mlHome }, { name: teamName(g.away), price: mlAway }] },
              { key: 'spreads', last_update: at, outcomes: [{ name: teamName(g.home), price: -110, point: homeGives ? -spread : spread }, { name: teamName(g.away), price: -110, point: homeGives ? spread : -spread }] },
              { key: 'totals', last_update: at, outcomes: [{ name: 'Over', price: -110, point: Number(line.OU) }, { name: 'Under', price: -110, point: Number(line.OU) }] },
            ],
          },
        ],
      });
    }
    return out;
  }

  async function eventOdds(eventId: string): Promise<unknown | undefined> {
    const g = fixture.games.find((x) => eventIdOf(x.gameId) === eventId);
    if (!g) return undefined;
    const rows = (await fixture.props(g.date)).filter((r) => r.tidyhometeam === g.home && r.tidyawayteam === g.away);
    const books = [
      { key: 'draftkings', title: 'DraftKings', col: 'draftkings' as const },
      { key: 'fanduel', title: 'FanDuel', col: 'fanduel' as const },
      { key: 'pointsbetus', title: 'PointsBet (US)', col: 'pointsbet' as const },
    ];
    const bookmakers = books.flatMap((b) => {
      const offered = rows.filter((r) => r[b.col] !== null);
      if (offered.length === 0) return [];
      const at = offered[0]?.snapshot_utc ?? '';
      return [
        {
          key: b.key,
          title: b.title,
          last_update: at,
          markets: [
            {
              key: 'player_points',
              last_update: at,
              outcomes: offered.map((r) => ({ name: r.tidyou === 'over' ? 'Over' : 'Under', description: r.tidyplayer, price: Number(r[b.col]), point: Number(r.tidyline) })),
            },
          ],
        },
      ];
    });
    const doc: Record<string, unknown> = { ...event(g), bookmakers };
    return state.patches.eventOdds ? state.patches.eventOdds(eventId, doc) : doc;
  }

  async function answer(url: URL): Promise<{ status: number; body: unknown; text?: string; headers?: Record<string, string> }> {
    const p = url.pathname;
    if (p.endsWith('/playbyplayv3')) {
      const id = url.searchParams.get('GameID') ?? '';
      if (!fixture.games.some((g) => g.gameId === id)) return { status: 400, body: { message: `GameID ${id} is not valid` } };
      return { status: 200, body: null, text: await playByPlayText(id) };
    }
    if (p.endsWith('/scheduleLeagueV2.json')) return { status: 200, body: schedule() };
    const odds = new RegExp(`^/v4/sports/${SPORT}/(events|odds|events/([^/]+)/odds)$`).exec(p);
    if (odds) {
      if (options.apiKey && url.searchParams.get('apiKey') !== options.apiKey) return { status: 401, body: { message: 'API key is not valid', error_code: 'INVALID_KEY' } };
      const headers = { 'x-requests-remaining': '480', 'x-requests-used': String(requests.length), 'x-requests-last': '1' };
      const from = url.searchParams.get('commenceTimeFrom') ?? `${state.today}T00:00:00Z`;
      const to = url.searchParams.get('commenceTimeTo') ?? `${addDays(state.today, 1)}T12:00:00Z`;
      if (odds[1] === 'events') return { status: 200, body: slate(from, to).map(event), headers };
      if (odds[1] === 'odds') return { status: 200, body: await gameLines(from, to), headers };
      const doc = await eventOdds(decodeURIComponent(odds[2] ?? ''));
      return doc ? { status: 200, body: doc, headers } : { status: 404, body: { message: 'Event not found', error_code: 'EVENT_NOT_FOUND' } };
    }
    return { status: 404, body: { message: 'not found' } };
  }

  function takeFault(target: string): Fault | undefined {
    const rule = state.faults.find((r) => (typeof r.match === 'string' ? target.includes(r.match) : r.match.test(target)) && (r.times === undefined || r.times > 0));
    if (!rule) return undefined;
    if (rule.times !== undefined) rule.times--;
    return rule.fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const target = `${url.pathname}${url.search}`;
    const logged: LoggedRequest = { at: Date.now(), path: target, userAgent: String(req.headers['user-agent'] ?? ''), status: 0 };
    requests.push(logged);
    const log = (status: number) => (logged.status = status);
    const fault = takeFault(target);
    if (fault?.kind === 'status') {
      log(fault.status);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      res.end(fault.body ?? JSON.stringify({ message: `HTTP ${fault.status}` }));
      return;
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed || closing) return;
    const a = await answer(url);
    const text = a.text ?? JSON.stringify(a.body);
    log(a.status);
    if (res.destroyed) return;
    if (fault?.kind === 'drop') {
      // Promise the whole body, send part of it, hang up: the client sees a broken transfer.
      res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.floor(text.length / 3)));
      res.destroy();
      return;
    }
    // A truncated body arrives as a complete HTTP message: only parsing it shows the cut.
    const body = fault?.kind === 'truncate' ? text.slice(0, Math.floor(text.length / 2)) : text;
    res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...(a.headers ?? {}) });
    res.end(body);
  }

  // Handlers still running (a slow answer) are awaited on close: the fixture's database must outlive them.
  const inFlight = new Set<Promise<void>>();
  let closing = false;
  const server: Server = createServer((req, res) => {
    const p = handle(req, res)
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    urls: { nbaStatsBaseUrl: `${baseUrl}/stats`, nbaScheduleUrl: `${baseUrl}/static/json/staticData/scheduleLeagueV2.json`, oddsApiBaseUrl: baseUrl },
    requests,
    get today() {
      return state.today;
    },
    set today(d: IsoDate) {
      state.today = d;
    },
    faults: state.faults,
    overrides: state.overrides,
    get patches() {
      return state.patches;
    },
    set patches(p: FeedPatches) {
      state.patches = p;
    },
    close: async () => {
      closing = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...inFlight]);
    },
  };
}
