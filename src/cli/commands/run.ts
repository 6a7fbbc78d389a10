// courtside run [--date D]: daily mode for one date — every partition of the date is rebuilt,
// freshness is checked, and problems are notified (rate-limited per signature).
import type { Command } from 'commander';
import { parseIsoDate, todayUtc } from '../../core/dates.js';
import { newRunId } from '../../core/ids.js';
import { createNotifier, loadConfig } from '../../engine/config.js';
import { parsePositive, parseProcessorList, summaryRows } from '../../engine/present.js';
import { createProgress } from '../../engine/progress.js';
import { runDaily } from '../../engine/run.js';
import { PROCESSORS } from '../../processors/index.js';
import { setExitCode, withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

interface RunFlags {
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
    .action(async (flags: RunFlags, command: Command) => {
      const date = parseIsoDate(flags.date ?? todayUtc(), '--date');
      const config = loadConfig();
      const timeoutSeconds = parsePositive(flags.timeoutSeconds, '--timeout-seconds', false);
      await withWarehouse(command, async (wh, g) => {
        const runId = newRunId('daily');
        const summary = await runDaily(wh, PROCESSORS, {
          date,
          processors: parseProcessorList(flags.processors),
          timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : config.timeoutMs.daily,
          retry: config.retry,
          thresholds: config.thresholds,
          runId,
          command: 'run',
          args: { ...flags, date },
          notifier: createNotifier(wh, config, 'daily', runId),
          progress: createProgress(),
        });
        if (summary.processors.every((p) => p.planned === 0)) process.stderr.write(`courtside: ${date} is not a game date; nothing to do\n`);
        process.stdout.write(`${formatRows(summaryRows(summary), g.format)}\n`);
        setExitCode(summary.exitCode);
      });
    });
}
