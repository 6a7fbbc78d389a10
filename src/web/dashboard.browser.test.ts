// The dashboard end to end: `courtside serve` in its own process over the real 2021-22 season
// (see SCENARIO), every page checked in Chromium against the CLI's own reports, clicks from the
// grid and the slate, escaping, 400/405, read-only, and screenshots for the lead's note.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FEATURE_NAMES } from '../processors/ml-feature-store/features.js';
import type { RealSeasonCopy } from '../testing/real-season.js';
import type { Row } from '../warehouse/warehouse.js';
import {
  cli, cliJson, openDashboard, pageTiming, prepareScenario, ROOT, SCENARIO, screenshot, watchErrors, XSS_NAME,
  type Browser, type DashboardSession, type ServeProcess,
} from './testing/dashboard-fixture.js';

const { season, hole } = SCENARIO;
const SLATE_DATE = '2022-01-15';

/** Text of every cell, row by row, of a table's body. */
async function tableText(page: Page, selector: string): Promise<string[][]> {
  return page.locator(`${selector} tbody tr`).evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
}

const sum = (rows: readonly Row[], key: string) => rows.reduce((n, r) => n + Number(r[key]), 0);

describe('dashboard in Chromium on the real 2021-22 season', { timeout: 600_000 }, () => {
  let copy: RealSeasonCopy;
  let session: DashboardSession | undefined;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const sql = <T extends Row>(query: string) => cliJson<T[]>(copy.path, ['sql', query]);

  before(async () => {
    copy = await prepareScenario();
    session = await openDashboard(copy);
    ({ server, browser, page, errors } = session);
  });
  after(() => (session ? session.close() : copy?.cleanup()));

  it('binds 127.0.0.1 only', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(server.url).port);
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: external, port }, () => (s.destroy(), resolve(false)));
        s.on('error', () => resolve(true));
      });
      assert.equal(refused, true, `${external}:${port} must not answer`);
    }
  });

  it('health grid: one cell per partition, coloured as coverage and the planner say; painted in time', async (t) => {
    const coverage = await cliJson<Row[]>(copy.path, ['coverage', '--from', season.from, '--to', season.to]);
    const plan = await cliJson<Row[]>(copy.path, ['backfill', '--from', season.from, '--to', season.to, '--dry-run']);
    const staleInPlan = plan.reduce((n, r) => n + [...String(r['why']).matchAll(/\b(stale_version|stale_upstream|upstream_planned):(\d+)/g)].reduce((m, x) => m + Number(x[2]), 0), 0);
    const response = await page.goto(`${server.url}/health?season=${season.label}`);
    assert.equal(response?.status(), 200);
    const timing = await pageTiming(page);
    const count = (status: string) => page.locator(`#health-grid a.cell.s-${status}`).count();
    assert.equal(await page.locator('#health-grid a.cell').count(), sum(coverage, 'game_dates'));
    assert.equal(sum(coverage, 'game_dates'), 6 * 165); // five Phase 4 processors and pred
    assert.equal(await count('failed'), sum(coverage, 'failed'));
    assert.equal(await count('failed'), 4);
    assert.equal(await count('skipped'), sum(coverage, 'skipped'));
    assert.equal(await count('missing'), sum(coverage, 'missing'));
    assert.ok(staleInPlan > 0, 'the correction made partitions stale');
    assert.equal(await count('stale'), staleInPlan);
    assert.equal((await count('complete')) + (await count('bootstrap')) + (await count('stale')), sum(coverage, 'complete') + sum(coverage, 'complete_empty') + sum(coverage, 'bootstrap'));
    assert.equal(await page.locator('#legend [data-count="stale"]').textContent(), String(staleInPlan));
    // The failed cells are the hole's player processors; TDZA (team games) does not read the context.
    const failed = await page.locator('#health-grid a.cell.s-failed').evaluateAll((cells) => cells.map((c) => `${c.closest('[data-processor]')?.getAttribute('data-processor')} ${c.getAttribute('data-date')}`));
    assert.deepEqual(failed, ['psza', 'pdc', 'pcf', 'mlfs'].map((p) => `${p} ${hole}`));
    await screenshot(page, 'health');
    // Warm loads (the first one above also started Chromium's renderer): what an operator sees.
    const warm: { served: number; painted: number; loaded: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.url}/health?season=${season.label}`);
      warm.push(await pageTiming(page));
    }
    const report = { first: timing, warm };
    writeFileSync(join(ROOT, '.artifacts/health-timing.json'), `${JSON.stringify(report, null, 2)}\n`);
    t.diagnostic(`season health page (990 cells): first load served ${timing.served.toFixed(0)} ms, painted ${timing.painted.toFixed(0)} ms; warm painted ${warm.map((w) => w.painted.toFixed(0)).join(', ')} ms`);
  });

  it('a click on a failed cell opens its partition, listing the same failures as `courtside failures`', async () => {
    await page.goto(`${server.url}/health?season=${season.label}`);
    await page.locator('#health-grid a.cell.s-failed').first().click();
    await page.waitForURL(new RegExp(`/partitions/psza/${hole}$`));
    assert.equal(await page.locator('#partition-status').textContent(), 'failed');
    assert.match((await page.locator('h1').textContent()) ?? '', /PlayerShotZoneAnalysisProcessor/);
    await screenshot(page, 'partition-failed');
    for (const [processor, date] of [['psza', hole], ['psza', '2021-11-03'], ['pcf', '2022-01-10']] as const) {
      if (page.url() !== `${server.url}/partitions/${processor}/${date}`) await page.goto(`${server.url}/partitions/${processor}/${date}`);
      const cli = await cliJson<{ by_category: Row[]; top_reasons: Row[] }>(copy.path, ['failures', '--from', date, '--to', date, '--processor', processor, '--top', '10000']);
      assert.ok(cli.by_category.length > 0, `${processor} ${date} has failures`);
      assert.deepEqual(
        (await tableText(page, '#partition-by-category')).map((r) => r.slice(0, 4)),
        cli.by_category.map((r) => [r['failure_category'], r['failures'], r['expected'], r['real']].map((x) => Number.isFinite(Number(x)) ? Number(x).toLocaleString('en-US') : String(x))),
      );
      assert.deepEqual(
        (await tableText(page, '#partition-reasons')).map((r) => r.join(' | ')).sort(),
        cli.top_reasons.map((r) => `${r['failure_category']} | ${r['failure_reason']} | ${Number(r['failures']).toLocaleString('en-US')}`).sort(),
      );
    }
  });

  it('failures: counts by processor × category as the CLI, and the entities behind a count', async () => {
    const cli = await cliJson<{ by_category: Row[] }>(copy.path, ['failures', '--from', season.from, '--to', season.to]);
    await page.goto(`${server.url}/failures?from=${season.from}&to=${season.to}`);
    assert.deepEqual(
      (await tableText(page, '#failures-by-category')).map((r) => r.slice(0, 5).join(' ')),
      cli.by_category.map((r) => [r['processor_name'], r['failure_category'], ...['failures', 'expected', 'real'].map((k) => Number(r[k]).toLocaleString('en-US'))].join(' ')),
    );
    // The smallest count with several entities: its entity table adds up to it.
    const pick = [...cli.by_category].filter((r) => Number(r['entities']) > 1).sort((a, b) => Number(a['entities']) - Number(b['entities']))[0];
    assert.ok(pick);
    const row = page.locator('#failures-by-category tbody tr', { hasText: String(pick['processor_name']) }).filter({ hasText: String(pick['failure_category']) });
    await row.locator('a').first().click();
    await page.waitForURL(/category=/);
    const entities = await tableText(page, '#failure-entities');
    assert.equal(entities.length, Number(pick['entities']));
    assert.equal(entities.reduce((n, r) => n + Number(r[1]), 0), Number(pick['failures']));
    await screenshot(page, 'failures');
  });

  it('runs: the history and a run with its per-processor steps', async () => {
    const runs = await cliJson<Row[]>(copy.path, ['runs']);
    const run = runs[0];
    assert.ok(run);
    await page.goto(`${server.url}/runs`);
    const rows = await tableText(page, '#runs-table');
    assert.equal(rows.length, runs.length);
    assert.deepEqual(rows[0]?.slice(0, 4), [run['run_id'], 'backfill', 'backfill', 'partial']);
    assert.equal(await page.locator('#live-progress [data-part="idle"]').isVisible(), true);
    await screenshot(page, 'runs');
    await page.locator('#runs-table a', { hasText: String(run['run_id']) }).click();
    await page.waitForURL(/\/runs\/backfill_/);
    const steps = await cliJson<Row[]>(copy.path, ['runs', '--run', String(run['run_id'])]);
    assert.equal((await tableText(page, '#run-steps')).length, steps.length);
    const perProcessor = await tableText(page, '#run-processors');
    assert.deepEqual(perProcessor.map((r) => [r[0], r[5]]), [['psza', '1'], ['tdza', '0'], ['pdc', '1'], ['pcf', '1'], ['mlfs', '1']]);
    await screenshot(page, 'run');
  });

  it('registry: pending names with where they were seen and likely matches; a markup name stays text', async () => {
    const pending = await cliJson<Row[]>(copy.path, ['registry', 'pending']);
    await page.goto(`${server.url}/registry`);
    const rows = await tableText(page, '#registry-pending');
    assert.equal(rows.length, pending.length);
    assert.ok(pending.length >= 3);
    const trey = rows.find((r) => r[1] === 'treyyoung');
    assert.ok(trey);
    assert.match(trey[7] ?? '', /Trae Young \(1629027\)/);
    assert.equal(trey[6], 'UpcomingPlayerGameContextProcessor');
    assert.equal(await page.getByText(XSS_NAME, { exact: true }).count(), 1);
    assert.equal(await page.locator('img').count(), 0);
    await screenshot(page, 'registry');
    await page.getByText(XSS_NAME, { exact: true }).click();
    await page.waitForURL(/\/registry\/imgsrcxonerroralert1$/);
    assert.deepEqual((await tableText(page, '#registry-failures')).map((r) => r.slice(0, 4)), [[XSS_NAME, hole, 'UpcomingPlayerGameContextProcessor', 'BOS']]);
    assert.equal(await page.locator('img').count(), 0);
  });

  it('slate: the day’s players with real features; a click opens the player with his chart and feature vector', async () => {
    await page.goto(`${server.url}/slate?date=${SLATE_DATE}`);
    const [counts] = await sql<{ games: number; players: number }>(
      `SELECT (SELECT count(*) FROM nba_reference.schedule WHERE game_date = DATE '${SLATE_DATE}') AS games,
              (SELECT count(*) FROM nba_analytics.upcoming_player_game_context WHERE game_date = DATE '${SLATE_DATE}') AS players`,
    );
    assert.equal(await page.locator('section.game').count(), counts?.games);
    assert.equal(await page.locator('a.player-link').count(), counts?.players);
    const first = page.locator('a.player-link').first();
    const name = (await first.textContent()) ?? '';
    const lookup = decodeURIComponent(/\/players\/([a-z0-9]+)/.exec((await first.getAttribute('href')) ?? '')?.[1] ?? '');
    const firstRow = (await tableText(page, 'section.game:first-of-type table.slate'))[0] ?? [];
    const [pdc] = await sql<{ avg10: number }>(`SELECT points_avg_last_10 AS avg10 FROM nba_precompute.player_daily_cache WHERE player_lookup = '${lookup}' AND cache_date = DATE '${SLATE_DATE}'`);
    assert.equal(firstRow[4], Number(pdc?.avg10).toFixed(1)); // avg 10 column
    await screenshot(page, 'slate');

    await first.click();
    await page.waitForURL(new RegExp(`/players/${lookup}\\?date=${SLATE_DATE}$`));
    assert.match((await page.locator('#player-name').textContent()) ?? '', new RegExp(`^${name}`));
    const [mlfs] = await sql<{ names: string[]; sources: string[]; features: number[] }>(
      `SELECT feature_names AS names, feature_sources AS sources, features FROM nba_predictions.ml_feature_store_v2 WHERE player_lookup = '${lookup}' AND game_date = DATE '${SLATE_DATE}'`,
    );
    const vector = await tableText(page, '#feature-vector');
    assert.equal(vector.length, FEATURE_NAMES.length);
    assert.deepEqual(vector.map((r) => r[1]), mlfs?.names);
    assert.deepEqual(vector.map((r) => r[3]), mlfs?.sources);
    assert.deepEqual(vector.map((r) => r[2]), mlfs?.features.map((x) => x.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 })));
    await page.locator('#player-chart[data-rendered="3"] canvas').first().waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /no predictions yet/);
    await screenshot(page, 'player');
  });

  it('player rolling averages (before each game) equal PDC’s for the same dates', async () => {
    const res = await fetch(`${server.url}/api/players/nikolajokic?season=${season.label}`);
    assert.equal(res.status, 200);
    const view = (await res.json()) as { games: { game_date: string; avg_last_5_before: number | null; avg_last_10_before: number | null }[] };
    const pdc = await sql<{ d: string; a5: number; a10: number; n: number }>(
      `SELECT cache_date AS d, points_avg_last_5 AS a5, points_avg_last_10 AS a10, games_played_season AS n FROM nba_precompute.player_daily_cache WHERE player_lookup = 'nikolajokic'`,
    );
    const byDate = new Map(pdc.map((r) => [r.d, r]));
    let compared = 0;
    for (const g of view.games) {
      const p = byDate.get(g.game_date);
      if (!p || p.n < 10) continue;
      assert.ok(Math.abs(Number(g.avg_last_5_before) - p.a5) < 0.006, `${g.game_date} avg 5: ${g.avg_last_5_before} vs PDC ${p.a5}`);
      assert.ok(Math.abs(Number(g.avg_last_10_before) - p.a10) < 0.006, `${g.game_date} avg 10: ${g.avg_last_10_before} vs PDC ${p.a10}`);
      compared += 1;
    }
    assert.ok(compared >= 30, `compared ${compared} dates`);
  });

  it('JSON: every page answers under /api and with Accept: application/json', async () => {
    for (const path of ['/health', '/failures', '/runs', '/registry', '/players?q=jokic', '/players/nikolajokic', `/slate?date=${SLATE_DATE}`, `/partitions/pdc/${hole}`]) {
      for (const [url, headers] of [[`${server.url}/api${path}`, {}], [`${server.url}${path}`, { Accept: 'application/json' }]] as const) {
        const res = await fetch(url, { headers });
        assert.equal(res.status, 200, url);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/, url);
        assert.equal(typeof (await res.json()), 'object');
      }
    }
    const health = (await (await fetch(`${server.url}/api/health?season=${season.label}`)).json()) as { grid: { cells: unknown[] } };
    assert.equal(health.grid.cells.length, 6 * 165);
  });

  it('bad query strings get a 400 with a message, other methods a 405, and the file is never written', async () => {
    const before = createHash('sha256').update(readFileSync(copy.path)).digest('hex');
    const bad = await browser.context.newPage();
    const badErrors = watchErrors(bad);
    const cases = [
      ['/health?from=2021-13-01&to=2021-12-01', /from is not a calendar date: '2021-13-01'/],
      ['/health?season=2021', /season must look like 2021-22, got '2021'/],
      ['/failures?from=2021-11-01&to=2021-11-30&category=NOPE', /category must be one of/],
      ['/slate?date=tomorrow', /date must be YYYY-MM-DD, got 'tomorrow'/],
      ['/players/nikolajokic?sort=desc', /unknown query parameter 'sort'/],
      [`/partitions/xyz/${hole}`, /unknown processor 'xyz'/],
    ] as const;
    for (const [path, message] of cases) {
      const response = await bad.goto(`${server.url}${path}`);
      assert.equal(response?.status(), 400, path);
      const text = (await bad.locator('#error-message').textContent()) ?? '';
      assert.match(text, message);
      assert.doesNotMatch(await bad.content(), /\bat \S+ \(|\.ts:\d+/, 'no stack trace');
    }
    await screenshot(bad, 'bad-request');
    // Chromium reports each non-2xx document once; nothing else may go wrong on these pages.
    assert.deepEqual(badErrors, cases.map(([path]) => `console: Failed to load resource: the server responded with a status of 400 (Bad Request) (${server.url}${path})`));
    await bad.close();
    const json = await fetch(`${server.url}/api/slate?date=2022-02-30`);
    assert.equal(json.status, 400);
    assert.deepEqual(await json.json(), { error: 'bad_request', message: "date is not a calendar date: '2022-02-30'" });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${server.url}/health`, { method, body: method === 'DELETE' ? undefined : 'x' });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    }
    assert.equal((await fetch(`${server.url}/api/registry`, { method: 'POST' })).status, 405);
    assert.equal(createHash('sha256').update(readFileSync(copy.path)).digest('hex'), before, 'serving never writes the warehouse');
    assert.equal(server.stderr(), '', 'no unexpected server errors');
  });

  it('predictions, once the table exists: the median and 80% band on the chart, and edges on the slate', async () => {
    // Phase 5 for the scenario's range, by the real processor (the server holds the file only per request);
    // the hole's date fails its dependency check (exit 1), every other date is built.
    const built = await cli(copy.path, ['backfill', '--from', SCENARIO.backfill.from, '--to', SCENARIO.backfill.to, '--processors', 'pred']);
    assert.equal(built.code, 1, built.err);
    assert.match(built.err, /pred MISSING_DEPENDENCIES/);
    await page.goto(`${server.url}/players/nikolajokic?season=${season.label}`);
    await page.locator('#player-chart[data-rendered="6"] canvas').first().waitFor();
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /no predictions yet/);
    await screenshot(page, 'player-predictions');
    await page.goto(`${server.url}/slate?date=${SLATE_DATE}`);
    const headers = await page.locator('section.game:first-of-type table.slate thead th').allTextContents();
    const at = headers.indexOf('predicted');
    assert.ok(at > 0);
    const row = (await tableText(page, 'section.game:first-of-type table.slate'))[0] ?? [];
    const lookup = decodeURIComponent(/\/players\/([a-z0-9]+)/.exec((await page.locator('a.player-link').first().getAttribute('href')) ?? '')?.[1] ?? '');
    const [stored] = await sql<{ median: number }>(
      `SELECT predicted_points_median AS median FROM nba_predictions.player_points_predictions WHERE game_date = DATE '${SLATE_DATE}' AND player_lookup = '${lookup}'`,
    );
    assert.equal(row[at]?.split(' ')[0], Number(stored?.median).toFixed(1));
  });

  it('no console errors or uncaught exceptions on any page', () => {
    assert.deepEqual(errors, []);
  });
});
