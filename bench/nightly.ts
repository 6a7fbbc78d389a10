// `npm run bench:nightly`: the nightly loop's speed (issue 10), against the loopback feeds built
// from the bundled season — never part of the tests. Mid-season, like the daily figure of
// BENCHMARKS.md: the season bulk-loaded and backfilled through 2022-01-13, then
//   1. `daily --date 2022-01-14` (setup), 2. `daily --date 2022-01-15` — measured: fetch Jan 14's
//      finals and the Jan 15 slate, ingest both, Phase 4 for Jan 15, report;
//   3. the Jan 15 finals landed — `ingest --date 2022-01-15` measured: one date's incremental ingest.
// Each figure: the median of fresh copies, in-process and as the real CLI command (process start
// included). Writes bench/nightly-results.json and bench/nightly.md.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { addDays } from '../src/core/dates.js';
import { runDailyLoop } from '../src/daily/run-daily-loop.js';
import { seasonSoFar } from '../src/daily/testing/season-so-far.js';
import { loadConfig } from '../src/engine/config.js';
import { DEFAULT_FEED_CONFIG, type FeedConfig } from '../src/fetch/feed-config.js';
import { fetchDates } from '../src/fetch/fetch-dates.js';
import { loadFeedFixture } from '../src/fetch/testing/feed-fixture.js';
import { startFeedServer } from '../src/fetch/testing/feed-server.js';
import { ingestLandedDate, type LandedDateIngest } from '../src/ingest/landing/ingest-landed.js';
import { PROCESSORS } from '../src/processors/index.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(tmpdir(), 'courtside-bench-nightly');
const RUNS = process.argv.includes('--quick') ? 1 : 3;
const KEY = 'bench-key';
const [SETUP, NIGHT, NEXT] = ['2022-01-14', '2022-01-15', '2022-01-16'] as const;

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const log = (s: string) => process.stderr.write(`${s}\n`);

const fixture = await loadFeedFixture({ from: addDays(SETUP, -4), to: NEXT });
const server = await startFeedServer(fixture, { today: SETUP, apiKey: KEY });
const engine = loadConfig({ cwd: WORK, env: {} });
const feedFor = (landingDir: string): FeedConfig => ({
  ...DEFAULT_FEED_CONFIG,
  ...server.urls,
  landingDir,
  oddsApiKey: KEY,
  // The loopback server needs no pacing; against the real feeds minIntervalMs (default 1 s) adds one second per request.
  http: { ...DEFAULT_FEED_CONFIG.http, minIntervalMs: 0 },
});
const configFile = (landingDir: string) => {
  const path = join(landingDir, '..', 'courtside.config.json');
  writeFileSync(path, JSON.stringify({ nightly: { ...server.urls, landingDir, http: { minIntervalMs: 0 } } }));
  return path;
};
function cli(args: readonly string[], env: Record<string, string>): Promise<{ ms: number; code: number | null; err: string }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/courtside.mjs'), ...args], { cwd: WORK, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => done({ ms: performance.now() - started, code, err }));
  });
}
const fresh = (name: string, db: string, landing: string) => {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(db, join(dir, 'w.duckdb'));
  cpSync(landing, join(dir, 'landing'), { recursive: true });
  return { db: join(dir, 'w.duckdb'), landing: join(dir, 'landing') };
};

// Setup: the season so far, then the night of Jan 14.
log('setup: season through 2022-01-13 (bulk + backfill), then daily 2022-01-14');
const base = await seasonSoFar(addDays(SETUP, -1), { backfill: true });
const s14 = { db: join(WORK, 's14.duckdb'), landing: join(WORK, 's14-landing') };
await base.release();
copyFileSync(base.path, s14.db);
await base.cleanup();
{
  const wh = await DuckDBWarehouse.open(s14.db);
  server.today = SETUP;
  const r = await runDailyLoop(wh, { date: SETUP, feed: feedFor(s14.landing), engine, processors: PROCESSORS, log: () => undefined });
  if (r.exitCode !== 0) throw new Error(r.text);
  await wh.close();
}

// 1. daily for one date, end to end.
server.today = NIGHT;
const dailyRuns: { ms: number; steps: Record<string, number> }[] = [];
let s15: { db: string; landing: string } | undefined;
for (let i = 0; i < RUNS; i++) {
  const copy = fresh(`daily-${i}`, s14.db, s14.landing);
  const wh = await DuckDBWarehouse.open(copy.db);
  const t = performance.now();
  const r = await runDailyLoop(wh, { date: NIGHT, feed: feedFor(copy.landing), engine, processors: PROCESSORS, log: () => undefined });
  const ms = performance.now() - t;
  const steps = Object.fromEntries(
    (await wh.query<{ processor_name: string; ms: number }>(`SELECT processor_name, sum(duration_ms) AS ms FROM nba_processing.run_steps WHERE run_id = $id GROUP BY 1`, { id: r.report.runId })).map((x) => [x.processor_name, x.ms]),
  );
  await wh.close();
  if (r.exitCode !== 0) throw new Error(r.text);
  dailyRuns.push({ ms, steps });
  log(`  daily ${NIGHT} run ${i + 1}: ${(ms / 1000).toFixed(2)} s ${JSON.stringify(steps)}`);
  s15 = copy;
}
const dailyCli: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const copy = fresh(`daily-cli-${i}`, s14.db, s14.landing);
  const r = await cli(['--db', copy.db, 'daily', '--date', NIGHT], { COURTSIDE_CONFIG: configFile(copy.landing), COURTSIDE_ODDS_API_KEY: KEY });
  if (r.code !== 0) throw new Error(`courtside daily exited ${r.code}: ${r.err}`);
  dailyCli.push(r.ms);
  log(`  courtside daily --date ${NIGHT} run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s`);
}

// 2. incremental ingest of one date: the Jan 15 finals, landed the next morning.
if (!s15) throw new Error('no state after the measured night');
server.today = NEXT;
await fetchDates({ config: feedFor(s15.landing), dates: [NIGHT] });
const ingestRuns: LandedDateIngest[] = [];
const ingestMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const copy = fresh(`ingest-${i}`, s15.db, s15.landing);
  const wh = await DuckDBWarehouse.open(copy.db);
  const t = performance.now();
  const r = await ingestLandedDate(wh, NIGHT, { landingDir: copy.landing, runId: `bench_${i}`, bookmakers: DEFAULT_FEED_CONFIG.bookmakers });
  ingestMs.push(performance.now() - t);
  await wh.close();
  if (r.status !== 'ingested') throw new Error(`ingest ${r.status}: ${r.error ?? ''}`);
  ingestRuns.push(r);
  log(`  ingest ${NIGHT} run ${i + 1}: ${(ingestMs.at(-1)! / 1000).toFixed(2)} s ${JSON.stringify(r.timings)}`);
}
const ingestCli: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const copy = fresh(`ingest-cli-${i}`, s15.db, s15.landing);
  const r = await cli(['--db', copy.db, 'ingest', '--date', NIGHT, '--landing', copy.landing], {});
  if (r.code !== 0) throw new Error(`courtside ingest exited ${r.code}: ${r.err}`);
  ingestCli.push(r.ms);
  log(`  courtside ingest --date ${NIGHT} run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s`);
}
await server.close();
await fixture.close();

const one = ingestRuns[0];
const results = {
  generatedAt: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Math.round(loadavg()[0]! * 10) / 10 },
  runs: RUNS,
  daily: { date: NIGHT, inProcessMs: dailyRuns.map((r) => Math.round(r.ms)), medianS: median(dailyRuns.map((r) => r.ms)) / 1000, stepsMs: dailyRuns.map((r) => r.steps), cliMs: dailyCli.map(Math.round), cliMedianS: median(dailyCli) / 1000 },
  ingest: {
    date: NIGHT,
    games: one?.games.loaded,
    events: one?.rowsLoaded,
    inProcessMs: ingestMs.map(Math.round),
    medianS: median(ingestMs) / 1000,
    stagesMs: ingestRuns.map((r) => r.timings),
    cliMs: ingestCli.map(Math.round),
    cliMedianS: median(ingestCli) / 1000,
  },
};
writeFileSync(join(ROOT, 'bench/nightly-results.json'), `${JSON.stringify(results, null, 2)}\n`);
const md = `# Nightly loop benchmarks

Measured by \`npm run bench:nightly\` on ${results.generatedAt.slice(0, 10)}: ${results.machine.cores} cores (${results.machine.cpu}), ${results.machine.memoryGb} GB RAM,
Node ${results.machine.node}; 1-minute load average at the end: ${results.machine.loadAverage1m} (the machine is shared: figures are upper bounds).
Loopback feeds built from the bundled season; season bulk-loaded and backfilled through 2022-01-13, then one night (2022-01-14) run.

| step | target | median in-process (s) | runs (s) | median as a command (s) | command runs (s) |
|---|---:|---:|---|---:|---|
| \`daily --date ${NIGHT}\`: fetch ${SETUP} finals + ${NIGHT} slate, ingest both, Phase 4 for ${NIGHT}, report | ≤ 3 | ${results.daily.medianS.toFixed(2)} | ${results.daily.inProcessMs.map((m) => (m / 1000).toFixed(2)).join(', ')} | ${results.daily.cliMedianS.toFixed(2)} | ${results.daily.cliMs.map((m) => (m / 1000).toFixed(2)).join(', ')} |
| \`ingest --date ${NIGHT}\`: ${one?.games.loaded} games, ${one?.rowsLoaded} events → nba_raw, registry, Phase 3 | ≤ 1 | ${results.ingest.medianS.toFixed(2)} | ${results.ingest.inProcessMs.map((m) => (m / 1000).toFixed(2)).join(', ')} | ${results.ingest.cliMedianS.toFixed(2)} | ${results.ingest.cliMs.map((m) => (m / 1000).toFixed(2)).join(', ')} |

Where the daily run's time goes (ms per step, each run): ${results.daily.stepsMs.map((s) => JSON.stringify(s)).join('; ')}.
Where the ingest's time goes (ms per stage, each run): ${results.ingest.stagesMs.map((s) => JSON.stringify(s)).join('; ')}.
"As a command" includes starting Node and loading the TypeScript sources through tsx (about a second).
`;
writeFileSync(join(ROOT, 'bench/nightly.md'), md);
process.stdout.write(md);
