// courtside failures --from D --to D [--processor P]: failure counts by processor × category
// (expected vs real) and the most frequent reasons.
import type { Command } from 'commander';

export interface FailuresFlags {
  readonly from: string;
  readonly to: string;
  readonly processor?: string;
  readonly top?: string;
  readonly section?: string;
}

export function registerFailures(program: Command): void {
  program
    .command('failures')
    .description('failure counts by processor and category, and the top reasons')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .option('--processor <key>', 'one processor: psza, tdza, pdc, pcf, mlfs, pred (or its processor_name)')
    .option('--top <n>', 'how many top reasons to list', '10')
    .option('--section <name>', 'print one table: by_category (what --format csv prints by default) or top_reasons')
    .action(async (flags: FailuresFlags, command: Command) => (await import('../actions/failures.js')).failures(flags, command));
}
