// courtside runs [--limit N] [--run ID]: run history, or the batches of one run.
import type { Command } from 'commander';

export interface RunsFlags {
  readonly limit?: string;
  readonly run?: string;
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('run history (latest first), or the batches of one run with --run')
    .option('--limit <n>', 'how many runs', '20')
    .option('--run <id>', 'show the per-processor batches and timings of this run')
    .action(async (flags: RunsFlags, command: Command) => (await import('../actions/runs.js')).runs(flags, command));
}
