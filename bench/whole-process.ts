// Whole-process figures of `npm run bench`: each command run the way a user runs it — a fresh
// `node bin/courtside.mjs …` process (compiled dist/), on a fresh copy of the warehouse where the
// command writes — beside its floor, run the same way. Repetitions are interleaved (every step once
// per round, the order rotated each round) so that load on a shared machine falls on both sides of
// a ratio alike; each ratio is the median of the per-round ratios, with their spread.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface ProcessStep {
  readonly key: string;
  /** Arguments of `node` (a script and its arguments). */
  readonly argv: readonly string[];
  /** Runs before each repetition, untimed (a fresh copy of the warehouse). */
  readonly prepare?: () => void;
  /** Repetitions, default all rounds (the slowest steps may run in fewer). */
  readonly rounds?: number;
}

export interface ProcessRun {
  readonly round: number;
  readonly wallMs: number;
  /** User + system CPU of the process (null where /usr/bin/time is missing). */
  readonly cpuMs: number | null;
  readonly maxRssMb: number | null;
  /** 1-minute load average when the process started. */
  readonly load: number;
}

export interface StepStats {
  readonly runs: readonly ProcessRun[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianCpuMs: number | null;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** A fresh copy of `from` at `to` (the WAL of an earlier run removed). */
export const freshCopy = (from: string, to: string) => (): void => {
  for (const f of [to, `${to}.wal`]) rmSync(f, { force: true });
  copyFileSync(from, to);
};

const GNU_TIME = '/usr/bin/time';

/** The environment of a measured process: no COURTSIDE_* setting of whoever runs the bench leaks in. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COURTSIDE_')));
}

function runOnce(step: ProcessStep, round: number, cwd: string, timeFile: string): ProcessRun {
  step.prepare?.();
  const load = loadavg()[0] ?? 0;
  const timed = existsSync(GNU_TIME);
  const [command, args] = timed ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, process.execPath, ...step.argv]] : [process.execPath, [...step.argv]];
  const started = performance.now();
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`bench step ${step.key} (node ${step.argv.join(' ')}) exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  let cpuMs: number | null = null;
  let maxRssMb: number | null = null;
  if (timed) {
    const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    cpuMs = Math.round(((user ?? 0) + (sys ?? 0)) * 1000);
    maxRssMb = Math.round((rssKb ?? 0) / 1024);
  }
  return { round, wallMs: Math.round(wallMs), cpuMs, maxRssMb, load: Math.round(load * 100) / 100 };
}

/**
 * Runs every step once per round for `rounds` rounds, rotating the order each round, and returns
 * each step's runs and statistics by key.
 */
export function runRounds(steps: readonly ProcessStep[], rounds: number, cwd: string, log: (line: string) => void): Map<string, StepStats> {
  const runs = new Map<string, ProcessRun[]>(steps.map((s) => [s.key, []]));
  const timeFile = `${cwd}/time.out`;
  for (let round = 0; round < rounds; round++) {
    const order = steps.map((_s, i) => steps[(i + round) % steps.length]!);
    for (const step of order) {
      if (round >= (step.rounds ?? rounds)) continue;
      const run = runOnce(step, round, cwd, timeFile);
      runs.get(step.key)!.push(run);
      log(`  round ${round + 1}/${rounds} ${step.key}: ${(run.wallMs / 1000).toFixed(2)} s wall${run.cpuMs === null ? '' : `, ${(run.cpuMs / 1000).toFixed(2)} s CPU`} (load ${run.load})`);
    }
  }
  return new Map(
    [...runs].map(([key, rs]) => {
      const walls = rs.map((r) => r.wallMs);
      const cpus = rs.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
      return [key, { runs: rs, medianMs: median(walls), minMs: Math.min(...walls), maxMs: Math.max(...walls), medianCpuMs: cpus.length ? median(cpus) : null }];
    }),
  );
}

/** The ratio of a step to its floor: the median of the per-round ratios (same round, similar load), with their range. */
export function pairedRatio(step: StepStats, floor: StepStats): { readonly median: number; readonly min: number; readonly max: number } {
  const floorByRound = new Map(floor.runs.map((r) => [r.round, r.wallMs]));
  const ratios = step.runs.flatMap((r) => {
    const f = floorByRound.get(r.round);
    return f ? [r.wallMs / f] : [];
  });
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}
