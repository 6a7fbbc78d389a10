// While a real `backfill` process holds the DuckDB file, the dashboard neither blocks nor breaks
// it: the backfill starts although the server has been answering, the pages say the warehouse is
// busy and follow the run's live progress, and they come back by themselves when it ends.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { progressFilePath, readProgressFile, type ProgressSnapshot } from '../engine/progress-file.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { cli, openDashboard, screenshot, type DashboardSession, type ServeProcess } from './testing/dashboard-fixture.js';

// Ten days of six processors: 60 health cells, and a per-date forced rebuild (60 batches) that lasts
// long enough to be watched; three weeks proved the same at twice the time.
const RANGE = { from: '2021-11-12', to: '2021-11-21' };

async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('dashboard while a backfill holds the warehouse', { timeout: 600_000 }, () => {
  let copy: RealSeasonCopy;
  let session: DashboardSession | undefined;
  let server: ServeProcess;
  let page: Page;
  let errors: string[];

  before(async () => {
    copy = await realSeasonCopy();
    await copy.release();
    const first = await cli(copy.path, ['backfill', '--from', '2021-10-19', '--to', RANGE.to]);
    assert.equal(first.code, 0, first.err);
    session = await openDashboard(copy);
    ({ server, page, errors } = session);
  });
  after(() => (session ? session.close() : copy?.cleanup()));

  it('says busy with the run’s live progress, never breaks the run, and recovers when it ends', async () => {
    const health = `${server.url}/health?from=${RANGE.from}&to=${RANGE.to}`;
    await page.goto(health);
    const cells = await page.locator('#health-grid a.cell').count();
    assert.ok(cells > 50);
    await page.goto(`${server.url}/runs`);
    await page.goto(health);

    // A per-date rebuild, so the run lasts long enough to be watched; started after the server
    // has opened and closed the file for every request above.
    const run = cli(copy.path, ['backfill', '--from', RANGE.from, '--to', RANGE.to, '--force', '--batch-days', '1']);
    const progressPath = progressFilePath(copy.path);
    const first = await waitFor<ProgressSnapshot>('the progress file', () => readProgressFile(progressPath));

    const response = await page.reload();
    assert.equal(response?.status(), 503);
    await page.locator('#busy').waitFor();
    await page.locator('#live-progress [data-part="running"]').waitFor();
    assert.equal(await page.locator('#live-progress [data-field="run_id"]').textContent(), first.run_id);
    assert.equal(await page.locator('#live-progress [data-field="pid"]').textContent(), String(first.pid));
    assert.equal(await page.locator('#live-progress [data-field="partitions_total"]').textContent(), String(cells));
    const api = await fetch(`${server.url}/api/health?from=${RANGE.from}&to=${RANGE.to}`);
    assert.equal(api.status, 503);
    assert.equal(api.headers.get('retry-after'), '2');
    const body = (await api.json()) as { error: string; live: boolean; progress: ProgressSnapshot };
    assert.equal(body.error, 'warehouse_busy');
    assert.equal(body.live, true);
    assert.equal(body.progress.run_id, first.run_id);
    await screenshot(page, 'busy');

    // Follow the page (without reloading it) until it shows the grid again by itself.
    const seen: number[] = [];
    await waitFor('the page to recover', () => {
      void page
        .evaluate(() => (document.getElementById('busy') ? document.querySelector('[data-field="partitions_done"]')?.textContent ?? null : 'recovered'))
        .then((v) => v && v !== 'recovered' && seen.push(Number(v.replace(/,/g, ''))))
        .catch(() => undefined); // mid-navigation
      return readProgressFile(progressPath) === null;
    }, 180_000);
    const result = await run;
    assert.equal(result.code, 0, `the backfill succeeded while the dashboard was up: ${result.err}`);
    assert.match(result.out, /pdc\s+\d+\s+0\s+\d+/); // planned, up to date 0 (forced), complete …
    await page.locator('#health-grid').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#health-grid a.cell').count(), cells);
    assert.equal(await page.locator('#health-grid a.cell.s-missing, #health-grid a.cell.s-failed, #health-grid a.cell.s-stale').count(), 0);

    const distinct = [...new Set(seen)];
    assert.ok(distinct.length >= 2, `the page followed the run's progress (saw ${distinct.join(', ')})`);
    assert.deepEqual(distinct, [...distinct].sort((a, b) => a - b), 'progress only grows');
    assert.equal(existsSync(progressPath), false, 'the run removed its progress file');

    await page.goto(`${server.url}/runs`);
    const row = page.locator('#runs-table tbody tr').first();
    assert.match((await row.textContent()) ?? '', new RegExp(`${first.run_id}.*backfill.*success`));
    // Chromium reports the 503 document once (the reload above); nothing else went wrong.
    assert.deepEqual(errors, [`console: Failed to load resource: the server responded with a status of 503 (Service Unavailable) (${health})`]);
    assert.equal(server.stderr(), '');
  });
});
