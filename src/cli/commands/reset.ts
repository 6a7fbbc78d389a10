// courtside reset --from D --to D [--processors …]: delete outputs, statuses and failures in range,
// in one transaction.
import type { Command } from 'commander';

export interface ResetFlags {
  readonly from: string;
  readonly to: string;
  readonly processors?: string;
}

export function registerReset(program: Command): void {
  program
    .command('reset')
    .description('delete Phase 4 outputs, partition statuses and failures in a range (atomically)')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .option('--processors <list>', 'comma-separated subset of psza,tdza,pdc,pcf,mlfs,pred (default: all)')
    .action(async (flags: ResetFlags, command: Command) => (await import('../actions/reset.js')).reset(flags, command));
}
