// courtside coverage [--from D] [--to D]: per processor, game dates and partitions by status
// (default range: the warehouse's first to last game date).
import type { Command } from 'commander';

export interface CoverageFlags {
  readonly from?: string;
  readonly to?: string;
}

export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('per processor: game dates, complete (with rows), complete but empty, bootstrap, failed, skipped, missing partitions')
    .option('--from <date>', "first date (YYYY-MM-DD; default: the warehouse's first game date)")
    .option('--to <date>', "last date, inclusive (default: the warehouse's last game date)")
    .action(async (flags: CoverageFlags, command: Command) => (await import('../actions/coverage.js')).coverage(flags, command));
}
