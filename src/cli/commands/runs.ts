// courtside runs [--limit N] [--run ID]: run history, or the batches of one run.
import type { Command } from 'commander';
import { parsePositive } from '../../engine/present.js';
import { runStepsReport, runsReport } from '../../engine/reports.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('run history (latest first), or the batches of one run with --run')
    .option('--limit <n>', 'how many runs', '20')
    .option('--run <id>', 'show the per-processor batches and timings of this run')
    .action(async (flags: { limit?: string; run?: string }, command: Command) => {
      const limit = parsePositive(flags.limit, '--limit', true) ?? 20;
      await withWarehouse(command, async (wh, g) => {
        const rows = flags.run ? await runStepsReport(wh, flags.run) : await runsReport(wh, limit);
        process.stdout.write(`${formatRows(rows, g.format)}\n`);
      });
    });
}
