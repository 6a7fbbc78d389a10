// `npm run bench`: ingest, full-season Phase 4 backfill (set-based vs per-date), a daily run,
// both seasons, and a SYNTHETIC 10-season scale-up. Each figure is the median of several runs,
// each run in its own process (peak RSS per step). Writes BENCHMARKS.md and bench/results.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { predictionFigures, predictionsSection, writePredictionsSection } from './predictions.js';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(tmpdir(), 'courtside-bench');
const quick = process.argv.includes('--quick');
/** --predictions: only the prediction figures (ingest and Phase 4 built once, unmeasured); the rest of BENCHMARKS.md is kept. */
const predictionsOnly = process.argv.includes('--predictions');
const RUNS = quick ? 1 : 3;

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

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const db = (name: string) => join(WORK, `${name}.duckdb`);
const nothing = () => undefined;
const copy = (from: string, to: string) => () => {
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  copyFileSync(from, to);
};
const figures: Figure[] = [];

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

process.stderr.write('ingest\n');
figures.push(measure('ingest 2021-22 (raw → Phase 3, one transaction)', RUNS, nothing, ['ingest', db('one'), '2021-22']));
figures.push(measure('ingest 2021-22 + 2022-23', RUNS, nothing, ['ingest', db('both'), '2021-22', '2022-23']));

process.stderr.write('phase 4\n');
const SEASON = ['2021-10-19', '2022-04-10'] as const;
const setBased = measure('Phase 4 backfill 2021-22, set-based (one batch)', RUNS, copy(db('one'), db('p4')), ['backfill', db('p4'), ...SEASON, 'all']);
figures.push(setBased);
const perDate = measure('Phase 4 backfill 2021-22, per-date mode (--batch-days 1)', quick ? 1 : 2, copy(db('one'), db('p4d')), ['backfill', db('p4d'), ...SEASON, '1']);
figures.push(perDate);
figures.push(measure('daily run of one date (2022-01-15), all five processors', RUNS, nothing, ['daily', db('p4'), '2022-01-15']));
figures.push(measure('Phase 4 backfill 2021-22 + 2022-23, set-based', RUNS, copy(db('both'), db('p4b')), ['backfill', db('p4b'), '2021-10-19', '2023-04-09', 'all']));

process.stderr.write('predictions\n');
const predictions = predictionFigures({ measure, copy, db, runs: RUNS, phase4: db('p4b') });

process.stderr.write('synthetic scale-up\n');
const scale: Figure[] = [];
for (const seasons of quick ? [2, 10] : [2, 4, 6, 10]) {
  const base = db(`synth-${seasons}`);
  copy(db('both'), base)();
  step(['synthesize', base, String(seasons)]);
  const last = `${2021 + seasons - 1 + 1}-06-30`;
  const f = measure(
    `SYNTHETIC ${seasons} seasons, Phase 4 backfill, set-based`,
    RUNS,
    copy(base, db(`synth-run-${seasons}`)),
    ['backfill', db(`synth-run-${seasons}`), '2021-10-01', last, 'all'],
    'real 2021-22/2022-23 Phase 3 rows replicated with shifted dates and ids',
  );
  scale.push(f);
  figures.push(f);
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

const ratio = perDate.medianSeconds / setBased.medianSeconds;
const results = {
  generatedAt: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  runsPerFigure: RUNS,
  figures,
  setBasedVsPerDateSpeedup: Math.round(ratio * 10) / 10,
  profile,
  predictions,
};
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

const row = (f: Figure) =>
  `| ${f.name} | ${f.medianSeconds.toFixed(2)} | ${f.peakRssMb} | ${f.partitions || '–'} | ${f.partitionsPerSecond ?? '–'} | ${f.runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')} |`;
const perSeason = scale.map((f) => `${f.name.match(/(\d+) seasons/)?.[1]} seasons: ${(f.medianSeconds / Number(f.name.match(/(\d+) seasons/)?.[1])).toFixed(2)} s/season`);
const md = `# Benchmarks

Measured by \`npm run bench\` on ${results.generatedAt.slice(0, 10)}: ${results.machine.cores} cores (${results.machine.cpu}), ${results.machine.memoryGb} GB RAM, Node ${results.machine.node}, DuckDB (embedded file).
Each figure is the median of the runs listed (each run a fresh process; peak RSS is that process's maximum resident set).
Raw figures: \`bench/results.json\`.

| step | median wall (s) | peak RSS (MB) | partitions | partitions/s | runs (s) |
|---|---:|---:|---:|---:|---|
${figures.map(row).join('\n')}

- **Set-based vs per-date** (same data, same run of this script): ${results.setBasedVsPerDateSpeedup}× faster set-based.
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
// Keep the section `npm run bench:dashboard` writes (between its markers); add this run's predictions section.
const previous = existsSync(join(ROOT, 'BENCHMARKS.md')) ? readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8') : '';
const dashboard = /<!-- dashboard:begin -->[\s\S]*<!-- dashboard:end -->/.exec(previous)?.[0];
const predictionsMd = predictionsSection(predictions, `by \`npm run bench\` on ${results.generatedAt.slice(0, 10)}`);
writeFileSync(join(ROOT, 'BENCHMARKS.md'), `${md}\n${predictionsMd}${dashboard ? `\n${dashboard}\n` : ''}`);
process.stdout.write(md);
