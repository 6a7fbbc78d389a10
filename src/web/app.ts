// The dashboard as a Hono app: read-only pages over the warehouse, each also answered as JSON
// (under /api/… or with Accept: application/json). Only GET (and HEAD); a bad query string is a
// 400 with a message; errors never show a stack; a busy warehouse is a 503 that says so.
import { Hono, type Context } from 'hono';
import type { IsoDate } from '../core/dates.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadFailures } from './data/failures.js';
import { loadHealthGrid } from './data/health.js';
import { loadPartition } from './data/partition.js';
import { loadPlayer, searchPlayers } from './data/player.js';
import { loadRegistry, loadRegistryName } from './data/registry.js';
import { loadRun, loadRuns, readLiveProgress } from './data/runs.js';
import { loadSeasons, pickSeason } from './data/seasons.js';
import { defaultSlateDate, loadSlate } from './data/slate.js';
import { HttpError, NotFoundError, WarehouseBusyError } from './http-errors.js';
import type { SafeHtml } from './html.js';
import { page, type Section } from './layout.js';
import { renderFailures } from './pages/failures-page.js';
import { renderHealth } from './pages/health-page.js';
import { renderPartition } from './pages/partition-page.js';
import { renderPlayer, renderPlayerSearch } from './pages/player-page.js';
import { renderRegistry, renderRegistryName } from './pages/registry-page.js';
import { renderRun, renderRuns } from './pages/runs-page.js';
import { renderSlate } from './pages/slate-page.js';
import { renderBusy, renderError } from './pages/status-page.js';
import {
  choiceParam, dateParam, lookupParam, optionalDate, optionalProcessor, optionalRange, optionalSeason, positiveInt, processorParam, readQuery, runIdParam, searchParam, seasonAndDate,
  type Query,
} from './params.js';
import { ReadWarehouse } from './read-warehouse.js';
import { loadStaticFiles } from './static-files.js';

export interface DashboardOptions {
  /** The DuckDB file (resolved path). */
  readonly db: string;
  /** Whether a request's Host header is one the server answers (see startDashboard). */
  readonly hostAllowed: (host: string) => boolean;
  /** Where unexpected errors are logged with their stack (never sent to the browser). */
  readonly log?: (line: string) => void;
}

const FAILURE_CATEGORIES = ['MISSING_DEPENDENCIES', 'QUERY_TIMEOUT', 'PROCESSING_ERROR', 'INSUFFICIENT_DATA', 'INCOMPLETE_DATA', 'MISSING_DEPENDENCY'] as const;

/** Content-Security-Policy: only our own files; no inline script can run even if markup slipped through. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface View<P, T> {
  readonly section: Section;
  /** Query parameters the page takes; anything else is a 400. */
  readonly query: readonly string[];
  /** Reads path and query before the warehouse is opened (400s cost nothing). */
  readonly parse: (q: Query, path: (name: string) => string) => P;
  readonly load: (wh: Warehouse, p: P) => Promise<T>;
  readonly title: (data: T) => string;
  readonly render: (data: T) => SafeHtml;
  readonly scripts?: readonly string[];
  readonly styles?: readonly string[];
  /** Default true: the data depends on the warehouse only, so it is kept until the file changes. */
  readonly cache?: boolean;
}

function wantsJson(c: Context): boolean {
  if (c.req.path.startsWith('/api/')) return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function createDashboardApp(o: DashboardOptions): Hono {
  const app = new Hono();
  const reader = new ReadWarehouse(o.db);
  const files = loadStaticFiles();
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const shell = (title: string, section: Section, body: SafeHtml, extra: Pick<View<unknown, unknown>, 'scripts' | 'styles'> = {}) =>
    page({ title, section, body, db: o.db, scripts: extra.scripts, styles: extra.styles }).value;

  app.use('*', async (c, next) => {
    if (!o.hostAllowed(c.req.header('host') ?? '')) {
      // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
      return c.text(`unexpected Host header '${c.req.header('host') ?? ''}'`, 400);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return wantsJson(c) ? c.json({ error: 'method_not_allowed', message: `${c.req.method} is not allowed: the dashboard is read-only (GET)` }, 405) : c.text(`${c.req.method} is not allowed: the dashboard is read-only (GET)`, 405);
    }
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });

  const view = <P, T>(path: string, v: View<P, T>) => {
    const handler = async (c: Context) => {
      const parsed = v.parse(readQuery(c.req.url, v.query), (name) => c.req.param(name) ?? '');
      const load = (wh: Warehouse) => v.load(wh, parsed);
      const url = new URL(c.req.url);
      const data = v.cache === false ? await reader.use(load) : await reader.cached(`${url.pathname.replace(/^\/api\//, '/')}${url.search}`, load);
      if (wantsJson(c)) return c.json(data as object);
      return c.html(shell(v.title(data), v.section, v.render(data), v));
    };
    app.get(path, handler);
    app.get(`/api${path}`, handler);
  };

  app.get('/', (c) => c.redirect('/health'));

  view('/health', {
    section: 'health',
    query: ['season', 'from', 'to'],
    parse: (q) => ({ range: optionalRange(q), season: optionalSeason(q) }),
    load: async (wh, p) => {
      const seasons = await loadSeasons(wh);
      const season = p.range ? null : await pickSeason(wh, seasons, p.season);
      const { from, to } = p.range ?? (season as { from: IsoDate; to: IsoDate });
      return { season: season?.label ?? null, seasons, grid: await loadHealthGrid(wh, from, to) };
    },
    title: (d) => `Health ${d.season ?? `${d.grid.from}…${d.grid.to}`}`,
    render: renderHealth,
  });

  view('/partitions/:processor/:date', {
    section: 'health',
    query: [],
    parse: (_q, path) => ({ processor: processorParam(path('processor')), date: dateParam(path('date'), 'date') }),
    load: (wh, p) => loadPartition(wh, p.processor, p.date),
    title: (d) => `${d.processor.key} ${d.date}`,
    render: renderPartition,
  });

  view('/failures', {
    section: 'failures',
    query: ['season', 'from', 'to', 'processor', 'category'],
    parse: (q) => ({ range: optionalRange(q), season: optionalSeason(q), processor: optionalProcessor(q), category: choiceParam(q, 'category', FAILURE_CATEGORIES) }),
    load: async (wh, p) => {
      const range = p.range ?? (await pickSeason(wh, await loadSeasons(wh), p.season));
      return loadFailures(wh, range.from, range.to, p.processor, p.category);
    },
    title: (d) => `Failures ${d.from}…${d.to}`,
    render: renderFailures,
  });

  view('/runs', {
    section: 'runs',
    query: ['limit'],
    parse: (q) => ({ limit: positiveInt(q, 'limit', 50, 1000) }),
    load: (wh, p) => loadRuns(wh, o.db, p.limit),
    cache: false, // shows the live progress file too
    title: () => 'Runs',
    render: renderRuns,
  });

  view('/runs/:run', {
    section: 'runs',
    query: [],
    parse: (_q, path) => ({ run: runIdParam(path('run')) }),
    load: (wh, p) => loadRun(wh, o.db, p.run),
    cache: false,
    title: (d) => `Run ${String(d.run['run_id'])}`,
    render: renderRun,
  });

  view('/registry', {
    section: 'registry',
    query: [],
    parse: () => ({}),
    load: (wh) => loadRegistry(wh),
    title: () => 'Registry',
    render: renderRegistry,
  });

  view('/registry/:lookup', {
    section: 'registry',
    query: [],
    parse: (_q, path) => ({ lookup: lookupParam(path('lookup'), 'name') }),
    load: (wh, p) => loadRegistryName(wh, p.lookup),
    title: (d) => `Registry ${d.lookup}`,
    render: renderRegistryName,
  });

  view('/players', {
    section: 'players',
    query: ['q'],
    parse: (q) => ({ search: searchParam(q, 'q') }),
    load: async (wh, p) => ({ search: p.search, matches: await searchPlayers(wh, p.search) }),
    title: () => 'Players',
    render: (d) => renderPlayerSearch(d.search, d.matches),
  });

  view('/players/:lookup', {
    section: 'players',
    query: ['season', 'date'],
    parse: (q, path) => ({ lookup: lookupParam(path('lookup')), ...seasonAndDate(q, 'date') }),
    load: (wh, p) => loadPlayer(wh, p.lookup, p.season, p.date),
    title: (d) => `${d.player.player_name} ${d.season.label}`,
    render: renderPlayer,
    scripts: ['uPlot.iife.min.js', 'player-chart.js'],
    styles: ['uPlot.min.css'],
  });

  view('/slate', {
    section: 'slate',
    query: ['date'],
    parse: (q) => ({ date: optionalDate(q, 'date') }),
    load: async (wh, p) => {
      const date = p.date ?? (await defaultSlateDate(wh));
      if (!date) throw new NotFoundError('the schedule is empty: run `courtside ingest` first');
      return loadSlate(wh, date);
    },
    title: (d) => `Slate ${d.date}`,
    render: renderSlate,
  });

  // Live state for the pages' scripts: never blocked by a busy warehouse.
  app.get('/api/progress', (c) => {
    readQuery(c.req.url, []);
    return c.json(readLiveProgress(o.db));
  });
  app.get('/api/status', async (c) => {
    readQuery(c.req.url, []);
    const probe = await reader.probe();
    return c.json({ warehouse: probe.ready ? 'ready' : probe.busy ? 'busy' : 'unavailable', message: probe.ready ? null : probe.message, ...readLiveProgress(o.db) });
  });

  app.get('/static/:name', (c) => {
    const f = files.get(c.req.param('name'));
    if (!f) throw new NotFoundError(`no static file '${c.req.param('name')}'`);
    return c.body(new Uint8Array(f.body), 200, { 'Content-Type': f.type, 'Cache-Control': 'max-age=3600' });
  });

  app.notFound((c) => {
    const message = `no page at ${c.req.path}`;
    return wantsJson(c) ? c.json({ error: 'not_found', message }, 404) : c.html(shell('Not found', 'none', renderError(404, message)), 404);
  });

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      if (err instanceof WarehouseBusyError) c.header('Retry-After', '2');
      const live = readLiveProgress(o.db);
      if (wantsJson(c)) return c.json({ error: err.code.toLowerCase(), message: err.message, ...(err instanceof WarehouseBusyError ? live : {}) }, err.status);
      const body = err instanceof WarehouseBusyError ? renderBusy(err.message, live) : renderError(err.status, err.message);
      return c.html(shell(err instanceof WarehouseBusyError ? 'Busy' : `Error ${err.status}`, 'none', body), err.status);
    }
    // Unexpected: the stack goes to the server's log, the browser gets a message without it.
    log(`courtside serve: ${c.req.method} ${c.req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const message = `internal error while answering ${c.req.path} (the server's log has the details)`;
    return wantsJson(c) ? c.json({ error: 'internal', message }, 500) : c.html(shell('Error', 'none', renderError(500, message)), 500);
  });

  return app;
}

