// courtside backfill --from D --to D [--processors …] [--force] [--dry-run] [--batch-days N]:
// Phase 4 for a range in dependency order, only missing / failed / stale partitions unless --force.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { newRunId } from '../../core/ids.js';
import { createNotifier, loadConfig } from '../../engine/config.js';
import { parsePositive, parseProcessorList, planRows, summaryRows } from '../../engine/present.js';
import { createProgress } from '../../engine/progress.js';
import { planBackfill, runBackfill } from '../../engine/run.js';
import { PROCESSORS } from '../../processors/index.js';
import { setExitCode, withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

interface BackfillFlags {
  readonly from: string;
  readonly to: string;
  readonly processors?: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly batchDays?: string;
  readonly timeoutSeconds?: string;
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
    .action(async (flags: BackfillFlags, command: Command) => {
      const { from, to } = checkRange(flags.from, flags.to);
      const config = loadConfig();
      const timeoutSeconds = parsePositive(flags.timeoutSeconds, '--timeout-seconds', false);
      const options = {
        from,
        to,
        processors: parseProcessorList(flags.processors),
        force: flags.force === true,
        batchDays: parsePositive(flags.batchDays, '--batch-days', true) ?? null,
        timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : config.timeoutMs.backfill,
        retry: config.retry,
        thresholds: config.thresholds,
      };
      await withWarehouse(command, async (wh, g) => {
        const [dates] = await wh.query<{ n: number }>(
          `SELECT count(*) AS n FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
          { from, to },
        );
        if (!dates?.n) process.stderr.write(`courtside: no game dates between ${from} and ${to} in the schedule (has \`courtside ingest\` run on this database?)\n`);
        if (flags.dryRun) {
          const { plan } = await planBackfill(wh, PROCESSORS, options);
          process.stdout.write(`${formatRows(planRows(plan), g.format)}\n`);
          return;
        }
        const runId = newRunId('backfill');
        const summary = await runBackfill(wh, PROCESSORS, {
          ...options,
          runId,
          command: 'backfill',
          args: { ...flags },
          notifier: createNotifier(wh, config, 'backfill', runId),
          progress: createProgress(),
        });
        process.stdout.write(`${formatRows(summaryRows(summary), g.format)}\n`);
        setExitCode(summary.exitCode);
      });
    });
}
