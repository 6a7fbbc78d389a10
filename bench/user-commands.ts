// The "as a user runs it" section of `npm run bench` (issue 13): five commands, each a fresh process
// of the built CLI, beside the floors recorded in the same run — the processors' SQL run bare by a
// script (a), a process that opens the warehouse and exits (b), `node -e 0` (c), a bare DuckDB
// ingest pass (d), and the same pass storing the deduplicated events (e, a reference: the issue's
// target is against (d), which stores no events although ingest must). Ratios are per round
// (interleaved), so shared-machine load cancels out.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { PROCESSORS } from '../src/processors/index.js';
import type { ProcessorKey } from '../src/processors/processor.js';
import { bareSqlStatements } from './floors/bare-sql-statements.js';
import { profileCommands, statementProfileSection, type ProfiledCommand } from './statement-profile.js';
import { freshCopy, median, pairedRatio, runRounds, type ProcessStep, type StepStats } from './whole-process.js';

/** Phase 4 only, named on every command: the figures stay Phase 4 as processors are added (predictions). */
const PHASE4: readonly ProcessorKey[] = ['psza', 'tdza', 'pdc', 'pcf', 'mlfs'];
export const SEASON = { from: '2021-10-19', to: '2022-04-10' } as const;
export const DAILY_DATE = '2022-01-15';

export interface Comparison {
  readonly step: string;
  readonly command: string;
  readonly floor: string;
  readonly target: string;
  readonly stats: StepStats;
  readonly floorStats: StepStats;
  readonly ratio: { readonly median: number; readonly min: number; readonly max: number };
  /** Median CPU time (user + system) of the command over its floor's: what the load does not change much. */
  readonly cpuRatio: number | null;
}

export interface UserCommandFigures {
  readonly rounds: number;
  readonly ingestRounds: number;
  readonly comparisons: readonly Comparison[];
  readonly load: { readonly median: number; readonly min: number; readonly max: number };
  /** The same three Phase 4 commands in-process, by statement category (none with --only). */
  readonly profiles: readonly ProfiledCommand[];
  readonly profileRuns: number;
}

interface Options {
  readonly root: string;
  readonly work: string;
  readonly rounds: number;
  readonly ingestRounds: number;
  readonly log: (line: string) => void;
  /** Keep the bases (ingested, backfilled) of an earlier run in `work` when they are there. */
  readonly reuseBases?: boolean;
  /** Only these step keys (and so only the comparisons they make up); default all. */
  readonly only?: readonly string[];
}

export function measureUserCommands(o: Options): UserCommandFigures {
  const bin = join(o.root, 'bin/courtside.mjs');
  const floor = (name: string) => join(o.root, 'bench/floors', name);
  const db = (name: string) => join(o.work, `${name}.duckdb`);
  const processors = ['--processors', PHASE4.join(',')];
  const pbp = ['2021-22', '2022-23'].map((s) => join(o.root, `data/pbp/pbp_${s}.parquet`));

  // Bases, built by the CLI itself (untimed): both seasons ingested, and the same with 2021-22 backfilled.
  const setup = (args: readonly string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: o.work, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench setup courtside ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  };
  if (!(o.reuseBases && existsSync(db('u-ingested')) && existsSync(db('u-backfilled')))) {
    o.log('whole process: setting up the warehouses (ingest, backfill; untimed)');
    for (const f of [db('u-ingested'), `${db('u-ingested')}.wal`]) rmSync(f, { force: true });
    setup(['--db', db('u-ingested'), 'ingest']);
    freshCopy(db('u-ingested'), db('u-backfilled'))();
    setup(['--db', db('u-backfilled'), 'backfill', '--from', SEASON.from, '--to', SEASON.to, ...processors]);
  }

  const phase4 = PROCESSORS.filter((p) => PHASE4.includes(p.key));
  const statements = (name: string, from: string, to: string) => {
    const file = join(o.work, `${name}.json`);
    writeFileSync(file, JSON.stringify(bareSqlStatements(phase4, from, to)));
    return file;
  };
  const seasonSql = statements('bare-season', SEASON.from, SEASON.to);
  const daySql = statements('bare-day', DAILY_DATE, DAILY_DATE);

  const seasonArgs = ['backfill', '--from', SEASON.from, '--to', SEASON.to, '--force', ...processors];
  const dailyArgs = ['run', '--date', DAILY_DATE, ...processors];
  const noopArgs = ['backfill', '--from', SEASON.from, '--to', SEASON.to, ...processors];
  const all: ProcessStep[] = [
    { key: 'help', argv: [bin, '--help'] },
    { key: 'node', argv: ['-e', '0'] },
    { key: 'noop', argv: [bin, '--db', db('u-noop'), ...noopArgs], prepare: freshCopy(db('u-backfilled'), db('u-noop')) },
    { key: 'open', argv: [floor('open-exit.mjs'), db('u-open')], prepare: freshCopy(db('u-backfilled'), db('u-open')) },
    { key: 'daily', argv: [bin, '--db', db('u-daily'), ...dailyArgs], prepare: freshCopy(db('u-backfilled'), db('u-daily')) },
    { key: 'bare-day', argv: [floor('bare-sql.mjs'), db('u-bare-day'), daySql], prepare: freshCopy(db('u-backfilled'), db('u-bare-day')) },
    { key: 'season', argv: [bin, '--db', db('u-season'), ...seasonArgs], prepare: freshCopy(db('u-ingested'), db('u-season')) },
    { key: 'bare-season', argv: [floor('bare-sql.mjs'), db('u-bare-season'), seasonSql], prepare: freshCopy(db('u-ingested'), db('u-bare-season')) },
    {
      key: 'ingest',
      argv: [bin, '--db', db('u-ingest'), 'ingest'],
      prepare: () => ['', '.wal'].forEach((s) => rmSync(db('u-ingest') + s, { force: true })),
      rounds: o.ingestRounds,
    },
    { key: 'bare-ingest', argv: [floor('bare-ingest.mjs'), db('u-bare-ingest'), ...pbp], rounds: o.ingestRounds },
    { key: 'bare-ingest-events', argv: [floor('bare-ingest-events.mjs'), db('u-bare-ingest-events'), ...pbp], rounds: o.ingestRounds },
  ];
  const steps = all.filter((s) => !o.only || o.only.includes(s.key));
  o.log(`whole process: ${o.rounds} interleaved rounds (ingest in ${o.ingestRounds})`);
  const stats = runRounds(steps, o.rounds, o.work, o.log);
  const get = (key: string) => stats.get(key)!;
  const compare = (step: string, command: string, key: string, floorName: string, floorKey: string, target: string): Comparison[] =>
    stats.has(key) && stats.has(floorKey)
      ? [{ step, command, floor: floorName, target, stats: get(key), floorStats: get(floorKey), ratio: pairedRatio(get(key), get(floorKey)), cpuRatio: cpuRatio(get(key), get(floorKey)) }]
      : [];
  const loads = [...stats.values()].flatMap((s) => s.runs.map((r) => r.load));
  const profileRuns = o.rounds >= 5 ? 3 : 1;
  o.log(`by statement: ${profileRuns} profiled run(s) of each command`);
  const profiles = o.only
    ? []
    : profileCommands({ root: o.root, work: o.work, ingested: db('u-ingested'), backfilled: db('u-backfilled'), args: { season: seasonArgs, daily: dailyArgs, noop: noopArgs }, runs: profileRuns });
  return {
    rounds: o.rounds,
    ingestRounds: o.ingestRounds,
    comparisons: [
      ...compare('Phase 4 backfill of 2021-22 (825 partitions)', `backfill --from ${SEASON.from} --to ${SEASON.to} --force`, 'season', '(a) the five processors’ SQL, bare, same range', 'bare-season', '≤ 1.2× (a)'),
      ...compare(`one daily date`, `run --date ${DAILY_DATE}`, 'daily', '(a) the same SQL for the one date', 'bare-day', '≤ 1.5× (a); ≤ 1.5 s'),
      ...compare('no-op backfill (all 825 partitions complete)', `backfill --from ${SEASON.from} --to ${SEASON.to}`, 'noop', '(b) open the warehouse and exit', 'open', '≤ 2× (b); ≤ 0.6 s'),
      ...compare('help', '--help', 'help', '(c) `node -e 0`', 'node', '≤ 0.3 s'),
      ...compare('ingest of both seasons', 'ingest', 'ingest', '(d) bare DuckDB: read, dedupe, box scores', 'bare-ingest', '≤ 2.5× (d)'),
      ...compare('ingest of both seasons', 'ingest', 'ingest', '(e) as (d), storing the deduplicated events', 'bare-ingest-events', 'reference, no target'),
    ],
    load: { median: median(loads), min: Math.min(...loads), max: Math.max(...loads) },
    profiles,
    profileRuns,
  };
}

const sec = (ms: number) => (ms / 1000).toFixed(2);
const cpuRatio = (a: StepStats, b: StepStats): number | null => (a.medianCpuMs !== null && b.medianCpuMs ? a.medianCpuMs / b.medianCpuMs : null);
const cpu = (s: StepStats) => (s.medianCpuMs === null ? '–' : sec(s.medianCpuMs));

export function userCommandsSection(f: UserCommandFigures): string {
  const rows = f.comparisons.map(
    (c) =>
      `| ${c.step}: \`courtside ${c.command}\` | ${sec(c.stats.medianMs)} | ${sec(c.stats.minMs)}–${sec(c.stats.maxMs)} | ${cpu(c.stats)} | ${c.floor} | ${sec(c.floorStats.medianMs)} | ${cpu(c.floorStats)} | **${c.ratio.median.toFixed(2)}×** (${c.ratio.min.toFixed(2)}–${c.ratio.max.toFixed(2)}) | ${c.cpuRatio === null ? '–' : `${c.cpuRatio.toFixed(2)}×`} | ${c.target} |`,
  );
  return `## As a user runs it (whole process)

Each command is a fresh \`node bin/courtside.mjs … --processors psza,tdza,pdc,pcf,mlfs\` process (the
compiled CLI), on a fresh copy of a warehouse with both seasons ingested (the backfill) or also 2021-22
backfilled (the daily date, the no-op), beside its floor run the same way in the same round: (a)
\`bench/floors/bare-sql.mjs\`, the five processors' own staging and compute SQL over the range inserted
into their tables on one connection, nothing else; (b) \`bench/floors/open-exit.mjs\`, open the warehouse
and exit; (c) \`node -e 0\`; (d) \`bench/floors/bare-ingest.mjs\`, read both play-by-play files,
deduplicate and aggregate player-game box scores into a new file; (e)
\`bench/floors/bare-ingest-events.mjs\`, the same, but first storing the deduplicated events (the 24 feed
columns nba_raw keeps, as read) and aggregating from them, with the ingest's two DuckDB settings. (e) is a
reference, not the issue's floor: SYSTEM.md requires ingest to store the raw events, which (d) does not.
${f.rounds} interleaved rounds (ingest in ${f.ingestRounds}), the order rotated each round; *ratio* = median of the per-round wall-time ratios
(range); *CPU* = user + system time of the process (median), less sensitive to the machine's load.
Load average during these runs: median ${f.load.median.toFixed(1)} (${f.load.min.toFixed(1)}–${f.load.max.toFixed(1)}) on ${cpus().length} cores.

| command | median (s) | min–max (s) | CPU (s) | floor | floor median (s) | floor CPU (s) | ratio | CPU ratio | target |
|---|---:|---:|---:|---|---:|---:|---:|---:|---|
${rows.join('\n')}
${f.profiles.length > 0 ? `\n${statementProfileSection(f.profiles, f.profileRuns)}` : ''}`;
}
