// `npm run bench:dashboard`: how fast the season health page is served and painted (target ≤ 1 s)
// on the bundled data — the real 2021-22 season backfilled, `courtside serve` in its own process,
// Chromium loading /health?season=2021-22 several times. Writes the "Dashboard" section of
// BENCHMARKS.md (between its markers; `npm run bench` keeps it) and prints it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { realSeasonCopy } from '../src/testing/real-season.js';
import { cli, launchBrowser, pageTiming, ROOT, serve } from '../src/web/testing/dashboard-fixture.js';

const LOADS = 9;
const SEASON = { label: '2021-22', from: '2021-10-19', to: '2022-04-10' };
const DASHBOARD_BEGIN = '<!-- dashboard:begin -->';
const DASHBOARD_END = '<!-- dashboard:end -->';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const copy = await realSeasonCopy();
await copy.release();
try {
  const b = await cli(copy.path, ['backfill', '--from', SEASON.from, '--to', SEASON.to]);
  if (b.code !== 0) throw new Error(`backfill failed: ${b.err}`);
  const server = await serve(copy.path);
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const url = `${server.url}/health?season=${SEASON.label}`;
    const loads: { served: number; painted: number; loaded: number }[] = [];
    let cells = 0;
    for (let i = 0; i < LOADS; i++) {
      await page.goto(url);
      loads.push(await pageTiming(page));
      cells = await page.locator('#health-grid a.cell').count();
    }
    // The server alone: the same page as JSON, timed from here.
    const api: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const t = performance.now();
      await (await fetch(`${server.url}/api/health?season=${SEASON.label}`)).json();
      api.push(performance.now() - t);
    }
    const warm = loads.slice(1);
    const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const section = `${DASHBOARD_BEGIN}
## Dashboard

Measured by \`npm run bench:dashboard\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end):
the season health page \`/health?season=${SEASON.label}\` (${cells} partition cells) of the real season, backfilled,
served by \`courtside serve\` (the warehouse opened read-only for the request) and loaded ${LOADS} times in Chromium.
From the browser's navigation timing: *served* = response end, *painted* = first contentful paint (the
grid is in the first paint: the HTML arrives whole and only the stylesheet blocks rendering).

| figure | median (ms) | loads (ms) |
|---|---:|---|
| first load: served | ${loads[0]?.served.toFixed(0)} | – |
| first load: painted | ${loads[0]?.painted.toFixed(0)} | – |
| warm loads: served | ${median(warm.map((l) => l.served)).toFixed(0)} | ${fmt(warm.map((l) => l.served))} |
| warm loads: painted | ${median(warm.map((l) => l.painted)).toFixed(0)} | ${fmt(warm.map((l) => l.painted))} |
| warm loads: load event | ${median(warm.map((l) => l.loaded)).toFixed(0)} | ${fmt(warm.map((l) => l.loaded))} |
| same page as JSON (\`/api/health\`), server round trip | ${median(api).toFixed(0)} | ${fmt(api)} |

Target (issue 11): served and painted in ≤ 1 s.
${DASHBOARD_END}
`;
    const path = join(ROOT, 'BENCHMARKS.md');
    const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
    const at = old.indexOf(DASHBOARD_BEGIN);
    const end = old.indexOf(DASHBOARD_END);
    const next = at >= 0 && end > at ? old.slice(0, at) + section.trimEnd() + old.slice(end + DASHBOARD_END.length) : `${old.trimEnd()}\n\n${section}`;
    writeFileSync(path, next);
    process.stdout.write(section);
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  await copy.cleanup();
}
