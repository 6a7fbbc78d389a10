// courtside backfill --from D --to D [--processors …] [--force] [--dry-run] [--batch-days N]:
// Phase 4 for a range in dependency order, only missing / failed / stale partitions unless --force.
import type { Command } from 'commander';

export interface BackfillFlags {
  readonly from: string;
  readonly to: string;
  readonly processors?: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly batchDays?: string;
  readonly timeoutSeconds?: string;
  readonly section?: string;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description('build Phase 4 partitions for a date range (missing, failed and stale ones unless --force)')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .option('--processors <list>', 'comma-separated subset of psza,tdza,pdc,pcf,mlfs,pred')
    .option('--force', 'rebuild every partition in range')
    .option('--dry-run', 'print the plan (partitions, order, reasons) and do nothing')
    .option('--batch-days <n>', 'calendar days per batch (default: the whole range; 1 = per-date mode)')
    .option('--timeout-seconds <n>', 'per-query timeout (default 60, or timeoutSeconds.backfill in courtside.config.json)')
    .option('--section <name>', 'with --dry-run on BigQuery: print one table, plan (what --format csv prints by default) or estimate')
    .action(async (flags: BackfillFlags, command: Command) => (await import('../actions/backfill.js')).backfill(flags, command));
}
