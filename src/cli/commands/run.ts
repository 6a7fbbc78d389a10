// courtside run [--date D]: daily mode for one date — every partition of the date is rebuilt,
// freshness is checked, and problems are notified (rate-limited per signature).
import type { Command } from 'commander';

export interface RunFlags {
  readonly date?: string;
  readonly processors?: string;
  readonly timeoutSeconds?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('daily mode for one game date: notifications on, freshness checked')
    .option('--date <date>', 'the date to process (default: today, UTC)')
    .option('--processors <list>', 'comma-separated subset of psza,tdza,pdc,pcf,mlfs,pred')
    .option('--timeout-seconds <n>', 'per-query timeout (default 300, or timeoutSeconds.daily in courtside.config.json)')
    .action(async (flags: RunFlags, command: Command) => (await import('../actions/run.js')).run(flags, command));
}
