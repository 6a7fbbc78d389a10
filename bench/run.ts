// `npm run bench`: every command as a user runs it (whole processes beside their floors, measured in
// the same run: user-commands.ts), then the in-process figures — ingest, full-season Phase 4 backfill
// (set-based vs per-date), a daily run, both seasons, and a SYNTHETIC scale-up. Each in-process
// figure is the median of its runs, each run in its own process (peak RSS per step). Writes
// BENCHMARKS.md (keeping the sections other benches own) and bench/results.json.
//   --quick        fewer repetitions (a smoke run)
//   --full         the synthetic scale-up at 2, 4, 6 and 10 seasons and the per-date mode over the season
//   --whole-only   only the whole-process section, printed (BENCHMARKS.md untouched); with
//                  --only season,bare-season,… (step keys, see user-commands.ts), --rounds N and
//                  --reuse (keep the warehouses of the last run) to compare a change quickly
// Per-statement timings of one command: bench/profile.ts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { keepSections } from './keep-sections.js';
import { measureUserCommands, userCommandsSection } from './user-commands.js';
import { predictionFigures, predictionsSection, writePredictionsSection } from './predictions.js';

const ROOT = resolve(import.meta.dirname, '..');
// COURTSIDE_BENCH_WORK: another scratch folder (two benches at once, e.g. before/after a change).
const WORK = process.env['COURTSIDE_BENCH_WORK'] ?? join(tmpdir(), 'courtside-bench');
const quick = process.argv.includes('--quick');
const wholeOnly = process.argv.includes('--whole-only');
const full = process.argv.includes('--full');
/** --predictions: only the prediction figures (ingest and Phase 4 built once, unmeasured); the rest of BENCHMARKS.md is kept. */
const predictionsOnly = process.argv.includes('--predictions');
const RUNS = quick ? 1 : 3;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface StepResult {
  readonly step: string;
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly partitions: number;
}

interface Figure {
  readonly name: string;
  readonly runs: readonly StepResult[];
  readonly medianSeconds: number;
  readonly peakRssMb: number;
  readonly partitions: number;
  readonly partitionsPerSecond: number | null;
  readonly note?: string;
}

function step(args: readonly string[]): StepResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/step.ts'), ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const last = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as StepResult;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function measure(name: string, runs: number, prepare: () => void, args: readonly string[], note?: string): Figure {
  const results: StepResult[] = [];
  for (let i = 0; i < runs; i++) {
    prepare();
    results.push(step(args));
    process.stderr.write(`  ${name} run ${i + 1}/${runs}: ${(results.at(-1)!.wallMs / 1000).toFixed(2)} s, ${results.at(-1)!.maxRssMb} MB\n`);
  }
  const medianSeconds = median(results.map((r) => r.wallMs)) / 1000;
  const partitions = results[0]?.partitions ?? 0;
  return {
    name,
    runs: results,
    medianSeconds,
    peakRssMb: Math.max(...results.map((r) => r.maxRssMb)),
    partitions,
    partitionsPerSecond: partitions > 0 ? Math.round((partitions / medianSeconds) * 10) / 10 : null,
    note,
  };
}

// --reuse: keep the scratch folder's warehouses from an earlier run (the whole-process bases).
const reuse = process.argv.includes('--reuse');
if (!reuse) rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
// The commands run the compiled CLI: build it from these sources first.
execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
const loadAtStart = loadavg()[0] ?? 0;
const nothing = () => undefined;
const copy = (from: string, to: string) => () => {
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  copyFileSync(from, to);
};
const db = (name: string) => join(WORK, `${name}.duckdb`);
if (predictionsOnly) {
  process.stderr.write('predictions only: ingest and Phase 4 (unmeasured)\n');
  step(['ingest', db('both'), '2021-22', '2022-23']);
  copy(db('both'), db('p4b'))();
  step(['backfill', db('p4b'), '2021-10-19', '2023-04-09', 'all']);
  const pf = predictionFigures({ measure, copy, db, runs: RUNS, phase4: db('p4b') });
  writeFileSync(join(ROOT, 'bench/predictions.json'), `${JSON.stringify({ generatedAt: new Date().toISOString(), figures: pf }, null, 2)}\n`);
  writePredictionsSection(join(ROOT, 'BENCHMARKS.md'), predictionsSection(pf, `by \`npm run bench -- --predictions\` on ${new Date().toISOString().slice(0, 10)}`));
  process.exit(0);
}
// --only help,node,…: only these whole-process steps (with --whole-only, to compare a change quickly).
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1]?.split(',') : undefined;
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 2 : 5;
const userCommands = measureUserCommands({ root: ROOT, work: WORK, rounds, ingestRounds: quick ? 1 : Math.min(3, rounds), log, reuseBases: reuse, ...(only ? { only } : {}) });
const userSection = userCommandsSection(userCommands);
if (wholeOnly) {
  process.stdout.write(userSection);
  process.exit(0);
}
// In-process figures: each step in its own process (tsx), timed around the work itself.
process.stderr.write('in process: ingest\n');
const figures: Figure[] = [];
// Ingest is measured as a whole process above (three times); once each here is enough for the table.
figures.push(measure('ingest 2021-22 (raw → Phase 3, one transaction)', 1, nothing, ['ingest', db('one'), '2021-22']));
figures.push(measure('ingest 2021-22 + 2022-23', 1, nothing, ['ingest', db('both'), '2021-22', '2022-23']));

process.stderr.write('in process: phase 4\n');
const SEASON = ['2021-10-19', '2022-04-10'] as const;
// Per-date mode pays each processor's fixed cost 165 times a season (over a minute): by default it is
// measured over one month, beside the set-based run of the same month (--full: the whole season).
const PER_DATE = full ? SEASON : (['2022-01-01', '2022-01-31'] as const);
const perDateLabel = full ? '2021-22' : 'January 2022';
const setBased = measure('Phase 4 backfill 2021-22, set-based (one batch)', RUNS, copy(db('one'), db('p4')), ['backfill', db('p4'), ...SEASON, 'all']);
figures.push(setBased);
const setBasedSpan = full ? setBased : measure(`Phase 4 backfill ${perDateLabel}, set-based (one batch)`, RUNS, copy(db('one'), db('p4m')), ['backfill', db('p4m'), ...PER_DATE, 'all']);
if (!full) figures.push(setBasedSpan);
const perDate = measure(`Phase 4 backfill ${perDateLabel}, per-date mode (--batch-days 1)`, full ? 2 : 1, copy(db('one'), db('p4d')), ['backfill', db('p4d'), ...PER_DATE, '1']);
figures.push(perDate);
figures.push(measure('daily run of one date (2022-01-15), all five processors', RUNS, nothing, ['daily', db('p4'), '2022-01-15']));
figures.push(measure('Phase 4 backfill 2021-22 + 2022-23, set-based', full ? RUNS : 1, copy(db('both'), db('p4b')), ['backfill', db('p4b'), '2021-10-19', '2023-04-09', 'all']));

process.stderr.write('in process: predictions\n');
const predictions = predictionFigures({ measure, copy, db, runs: RUNS, phase4: db('p4b') });

process.stderr.write('in process: synthetic scale-up\n');
const scale: Figure[] = [];
for (const seasons of full ? [2, 4, 6, 10] : [10]) {
  const base = db(`synth-${seasons}`);
  copy(db('both'), base)();
  step(['synthesize', base, String(seasons)]);
  const last = `${2021 + seasons - 1 + 1}-06-30`;
  const f = measure(
    `SYNTHETIC ${seasons} seasons, Phase 4 backfill, set-based`,
    full ? RUNS : 1,
    copy(base, db(`synth-run-${seasons}`)),
    ['backfill', db(`synth-run-${seasons}`), '2021-10-01', last, 'all'],
    'real 2021-22/2022-23 Phase 3 rows replicated with shifted dates and ids',
  );
  scale.push(f);
  figures.push(f);
  rmSync(base, { force: true });
}

// Where the time goes: per-processor batch timings from the engine's own run history.
async function perProcessor(path: string): Promise<Record<string, unknown>[]> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    return await wh.query(
      `SELECT h.mode, s.processor_name, count(*) AS batches, max(s.partitions) AS partitions_per_batch,
              round(median(s.duration_ms)) AS median_ms
       FROM nba_processing.run_steps s JOIN nba_processing.run_history h USING (run_id)
       GROUP BY ALL ORDER BY h.mode, median_ms DESC`,
    );
  } finally {
    await wh.close();
  }
}
const profile = { season: await perProcessor(db('p4')), perDate: await perProcessor(db('p4d')) };

// Per partition: the per-date run and its set-based counterpart cover the same dates.
const ratio = perDate.medianSeconds / perDate.partitions / (setBasedSpan.medianSeconds / setBasedSpan.partitions);
const results = {
  generatedAt: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  runsPerFigure: RUNS,
  figures,
  setBasedVsPerDateSpeedup: Math.round(ratio * 10) / 10,
  profile,
  userCommands,
  predictions,
};
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

const row = (f: Figure) =>
  `| ${f.name} | ${f.medianSeconds.toFixed(2)} | ${f.peakRssMb} | ${f.partitions || '–'} | ${f.partitionsPerSecond ?? '–'} | ${f.runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')} |`;
const perSeason = scale.map((f) => `${f.name.match(/(\d+) seasons/)?.[1]} seasons: ${(f.medianSeconds / Number(f.name.match(/(\d+) seasons/)?.[1])).toFixed(2)} s/season`);
const md = `# Benchmarks

Measured by \`npm run bench\` on ${results.generatedAt.slice(0, 10)}: ${results.machine.cores} cores (${results.machine.cpu}), ${results.machine.memoryGb} GB RAM, Node ${results.machine.node}, DuckDB (embedded file).
The machine is shared: 1-minute load average ${loadAtStart.toFixed(1)} when the bench started, ${(loadavg()[0] ?? 0).toFixed(1)} when it ended.
Raw figures: \`bench/results.json\`.

${userSection}
## In process

Each figure is the median of the runs listed, timed inside the process around the work itself (no
start-up, no opening of the warehouse); each run is a fresh process, and peak RSS is its maximum
resident set.

| step | median wall (s) | peak RSS (MB) | partitions | partitions/s | runs (s) |
|---|---:|---:|---:|---:|---|
${figures.map(row).join('\n')}

- **Set-based vs per-date** (${perDateLabel}, per partition, same run of this script): ${results.setBasedVsPerDateSpeedup}× faster set-based.
- **Prior art** for the same Phase 4 work: ~196 s per date after tuning (30+ min before), about 9 h for one season.
- **Growth in seasons** (SYNTHETIC rows, labelled so): ${perSeason.join('; ')}.

## Where the time goes

Per processor, from \`nba_processing.run_steps\` of the runs above (median batch duration). A
whole season is one batch per processor; a daily run is one date; per-date mode pays each
processor's fixed cost (dependency facts, failure classification, audits, status writes) per date.

| mode | processor | batches | partitions per batch | median batch (ms) |
|---|---|---:|---:|---:|
${[...profile.season, ...profile.perDate.filter((r) => r['mode'] === 'backfill').map((r): Record<string, unknown> => ({ ...r, mode: 'per-date backfill' }))]
  .map((r) => `| ${r['mode']} | ${r['processor_name']} | ${r['batches']} | ${r['partitions_per_batch']} | ${r['median_ms']} |`)
  .join('\n')}

Targets (issues 2 and 5): one-season ingest ≤ 10 s; full-season Phase 4 ≤ 10 s; daily run ≤ 1 s; set-based ≥ 10× per-date; ten seasons ≤ 60 s and no worse than linear; peak RSS ≤ 1.5 GB.
`;
// The sections other benches own (dashboard, nightly) are carried over as they were; this run's
// predictions section replaces the previous one.
const previous = existsSync(join(ROOT, 'BENCHMARKS.md')) ? readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8') : '';
const predictionsMd = predictionsSection(predictions, `by \`npm run bench\` on ${results.generatedAt.slice(0, 10)}`);
writeFileSync(join(ROOT, 'BENCHMARKS.md'), [md, predictionsMd, ...keepSections(previous, ['predictions'])].join('\n'));
process.stdout.write(md);
