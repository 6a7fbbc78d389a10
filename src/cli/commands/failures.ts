// courtside failures --from D --to D [--processor P]: failure counts by processor × category
// (expected vs real) and the most frequent reasons.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { parsePositive } from '../../engine/present.js';
import { failuresReport } from '../../engine/reports.js';
import { PROCESSORS } from '../../processors/index.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

interface FailuresFlags {
  readonly from: string;
  readonly to: string;
  readonly processor?: string;
  readonly top?: string;
}

export function registerFailures(program: Command): void {
  program
    .command('failures')
    .description('failure counts by processor and category, and the top reasons')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .option('--processor <key>', 'one processor: psza, tdza, pdc, pcf, mlfs (or its processor_name)')
    .option('--top <n>', 'how many top reasons to list', '10')
    .action(async (flags: FailuresFlags, command: Command) => {
      const { from, to } = checkRange(flags.from, flags.to);
      let name: string | undefined;
      if (flags.processor) {
        const p = PROCESSORS.find((x) => x.key === flags.processor || x.processorName === flags.processor);
        if (!p) throw new UsageError(`--processor: unknown '${flags.processor}' (use ${PROCESSORS.map((x) => x.key).join(', ')})`);
        name = p.processorName;
      }
      const top = parsePositive(flags.top, '--top', true) ?? 10;
      await withWarehouse(command, async (wh, g) => {
        const report = await failuresReport(wh, from, to, name, top);
        if (g.format === 'json') {
          process.stdout.write(`${JSON.stringify({ by_category: report.byCategory, top_reasons: report.topReasons }, null, 2)}\n`);
          return;
        }
        const heading = (text: string) => (g.format === 'table' ? `${text}\n` : '');
        process.stdout.write(`${heading('Failures by processor and category')}${formatRows(report.byCategory, g.format)}\n\n`);
        process.stdout.write(`${heading('Top reasons')}${formatRows(report.topReasons, g.format)}\n`);
      });
    });
}
