// "By statement" section of `npm run bench`: bench/profile.ts run on the season backfill, the daily
// date and the no-op (fresh copies of the same warehouses as the whole-process figures) and on the
// ingest of both seasons (into a new file), the time of each category of statement, median of a few
// runs. Tells the processors' compute apart from the engine's bookkeeping around it.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshCopy, median } from './whole-process.js';

export interface ProfiledCommand {
  readonly name: string;
  readonly commandMs: number;
  readonly byCategory: Readonly<Record<string, number>>;
}

interface ProfileLine {
  readonly commandMs: number;
  readonly byCategory: Readonly<Record<string, number>>;
}

export function profileCommands(o: { root: string; work: string; ingested: string; backfilled: string; args: { season: readonly string[]; daily: readonly string[]; noop: readonly string[] }; runs: number }): ProfiledCommand[] {
  const db = join(o.work, 'u-profile.duckdb');
  /** `base` null: a new file (the ingest). */
  const one = (base: string | null, args: readonly string[]): ProfileLine => {
    if (base === null) for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
    else freshCopy(base, db)();
    // In the scratch folder, like the measured commands (no courtside.config.json of the checkout); tsx by its resolved path from there.
    const out = execFileSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(o.root, 'bench/profile.ts'), '--json', db, ...args], { cwd: o.work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ProfileLine;
  };
  const profile = (name: string, base: string | null, args: readonly string[]): ProfiledCommand => {
    const lines = Array.from({ length: o.runs }, () => one(base, args));
    const categories = Object.keys(lines[0]?.byCategory ?? {});
    return {
      name,
      commandMs: median(lines.map((l) => l.commandMs)),
      byCategory: Object.fromEntries(categories.map((c) => [c, median(lines.map((l) => l.byCategory[c] ?? 0))])),
    };
  };
  return [
    profile('season backfill', o.ingested, o.args.season),
    profile('daily date', o.backfilled, o.args.daily),
    profile('no-op backfill', o.backfilled, o.args.noop),
    profile('ingest, both seasons', null, ['ingest']),
  ];
}

export function statementProfileSection(profiles: readonly ProfiledCommand[], runs: number): string {
  const categories = Object.keys(profiles[0]?.byCategory ?? {}).filter((c) => profiles.some((p) => (p.byCategory[c] ?? 0) > 0));
  const row = (label: string, value: (p: ProfiledCommand) => number) => `| ${label} | ${profiles.map((p) => value(p)).join(' | ')} |`;
  return `### By statement (in process)

\`bench/profile.ts\` runs the command in-process with every statement timed and put in a category
(median of ${runs} runs each, ms). The processors of a level run concurrently, so the categories may
add up to more than the command; *commits* are each transaction's time beyond its statements (the
last level's batches write the file as they commit, so theirs include a checkpoint); the *checkpoint
beside the last level* folds the earlier levels' commits into the file on a connection of its own
while the last level computes (it overlaps the compute: it is not on the critical path as long as a
core is free); the closing checkpoint writes what is left. *compute* is what floor (a) runs too. The
ingest writes in one transaction (the staged-file checks run before it); of its categories only *raw
events* and part of *Phase 3 box scores* are what floors (d) and (e) do.

| category | ${profiles.map((p) => p.name).join(' | ')} |
|---|${profiles.map(() => '---:').join('|')}|
${categories.map((c) => row(c, (p) => p.byCategory[c] ?? 0)).join('\n')}
${row('**command, in total**', (p) => p.commandMs)}
`;
}
