// courtside coverage --from D --to D: per processor, game dates and partitions by status.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { coverageReport } from '../../engine/reports.js';
import { PROCESSORS } from '../../processors/index.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('per processor: game dates, complete, bootstrap, failed, skipped, missing partitions')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .action(async (flags: { from: string; to: string }, command: Command) => {
      const { from, to } = checkRange(flags.from, flags.to);
      await withWarehouse(command, async (wh, g) => {
        process.stdout.write(`${formatRows(await coverageReport(wh, PROCESSORS, from, to), g.format)}\n`);
      });
    });
}
