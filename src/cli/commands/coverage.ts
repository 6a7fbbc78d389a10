// courtside coverage --from D --to D: per processor, game dates and partitions by status.
import type { Command } from 'commander';

export interface CoverageFlags {
  readonly from: string;
  readonly to: string;
}

export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('per processor: game dates, complete, bootstrap, failed, skipped, missing partitions')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .action(async (flags: CoverageFlags, command: Command) => (await import('../actions/coverage.js')).coverage(flags, command));
}
