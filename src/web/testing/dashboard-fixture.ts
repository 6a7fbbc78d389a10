// End-to-end fixture for the dashboard: the real bundled seasons (cached fixture copy), the real
// CLI in child processes (backfill, failures, serve), and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { insertPropLines } from '../../ingest/registry/registry-fixtures.js';
import { recordUnresolvedPropNames } from '../../ingest/registry/index.js';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/courtside.mjs');
export const SCREENSHOTS = join(ROOT, '.artifacts/screenshots');
export const CHROMIUM = '/usr/bin/chromium';

export interface CliResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** The real `courtside` command in its own process (as an operator runs it). */
export function cli(db: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--db', db, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

export async function cliJson<T>(db: string, args: readonly string[]): Promise<T> {
  const r = await cli(db, ['--format', 'json', ...args]);
  if (r.code !== 0) throw new Error(`courtside ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as T;
}

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What the server printed on stderr (unexpected errors are logged there). */
  stderr(): string;
  stop(): Promise<void>;
}

/** `courtside serve --port 0` in a child process; resolves with the URL it prints. */
export function serve(db: string): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      const url = m[1];
      resolve({
        url,
        child,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('close', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium headless with a fresh profile and no background traffic. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does)`);
  const profile = mkdtempSync(join(tmpdir(), 'courtside-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Console errors and uncaught exceptions of a page, collected for a "no errors" assertion. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message} (${page.url()})`));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Navigation timing of the page just loaded, in ms from navigation start: served (response end),
 * painted (first contentful paint, waited for: paint entries are delivered asynchronously) and loaded.
 */
export async function pageTiming(page: Page): Promise<{ served: number; painted: number; loaded: number }> {
  // A string, not a function: tsx's name-keeping helpers do not exist in the page.
  return (await page.evaluate(`new Promise((resolve) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const done = (painted) => resolve({ served: nav.responseEnd, painted, loaded: nav.loadEventEnd });
    new PerformanceObserver((list) => {
      const fcp = list.getEntriesByName('first-contentful-paint')[0];
      if (fcp) done(fcp.startTime);
    }).observe({ type: 'paint', buffered: true });
    setTimeout(() => done(Number.NaN), 5000);
  })`)) as { served: number; painted: number; loaded: number };
}

/** A sportsbook name that is markup: it must render as text everywhere. */
export const XSS_NAME = '<img src=x onerror=alert(1)>';

/** The scenario the page tests look at, on the real 2021-22 season. */
export const SCENARIO = {
  season: { label: '2021-22', from: '2021-10-19', to: '2022-04-10' },
  /** Backfilled; February to April stay missing. */
  backfill: { from: '2021-10-19', to: '2022-01-31' },
  /** Its pre-game context is deleted before the backfill: the player processors fail that date. */
  hole: '2021-12-01',
  /** Corrected after the backfill (one more point): partitions reading it become stale. */
  correction: { date: '2022-01-19', player: 'lebronjames' },
} as const;

/**
 * A copy of the real seasons with unresolved sportsbook names (the real market labels, a typo and
 * the markup name), a hole in the pre-game context, a CLI backfill, then a Phase 3 correction.
 */
export async function prepareScenario(): Promise<RealSeasonCopy> {
  const copy = await realSeasonCopy();
  await copy.wh.transaction(async (tx) => {
    await insertPropLines(tx, [
      { name: 'Trey Young', date: SCENARIO.hole, team: 'ATL' },
      { name: XSS_NAME, date: SCENARIO.hole, team: 'BOS' },
    ]);
    await recordUnresolvedPropNames(tx, 'dashboard-fixture');
    await tx.exec(`DELETE FROM nba_analytics.upcoming_player_game_context WHERE game_date = CAST($d AS DATE)`, { d: SCENARIO.hole });
  });
  await copy.release();
  // Phase 4 only: Phase 5 (pred) stays missing until the predictions test builds it.
  const b = await cli(copy.path, ['backfill', '--from', SCENARIO.backfill.from, '--to', SCENARIO.backfill.to, '--processors', 'psza,tdza,pdc,pcf,mlfs']);
  if (b.code !== 1) throw new Error(`the scenario's backfill should fail the hole's partitions (exit 1), got ${b.code}: ${b.err}`);
  await withWriter(copy.path, (wh) =>
    wh.exec(`UPDATE nba_analytics.player_game_summary SET points = points + 1 WHERE game_date = CAST($d AS DATE) AND player_lookup = $p`, {
      d: SCENARIO.correction.date,
      p: SCENARIO.correction.player,
    }),
  );
  return copy;
}

/** Opens the file for writing just for `work` (the server never holds it, so this always can). */
export async function withWriter<T>(path: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

export interface DashboardSession {
  readonly server: ServeProcess;
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors, uncaught exceptions and dialogs of `page`. */
  readonly errors: string[];
  /** Closes the browser and the server, and removes the warehouse copy. */
  close(): Promise<void>;
}

/** `courtside serve` over the copy, and a Chromium page watched for errors. */
export async function openDashboard(copy: RealSeasonCopy): Promise<DashboardSession> {
  const server = await serve(copy.path);
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  return {
    server,
    browser,
    page,
    errors: watchErrors(page),
    async close() {
      await browser.close();
      await server.stop();
      await copy.cleanup();
    },
  };
}
