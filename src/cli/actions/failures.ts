// courtside failures: the failures report for the range, optionally for one processor.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { parsePositive } from '../../engine/present.js';
import { failuresReport } from '../../engine/reports.js';
import { PROCESSORS } from '../../processors/index.js';
import type { FailuresFlags } from '../commands/failures.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export async function failures(flags: FailuresFlags, command: Command): Promise<void> {
  const { from, to } = checkRange(flags.from, flags.to);
  let name: string | undefined;
  if (flags.processor) {
    const p = PROCESSORS.find((x) => x.key === flags.processor || x.processorName === flags.processor);
    if (!p) throw new UsageError(`--processor: unknown '${flags.processor}' (use ${PROCESSORS.map((x) => x.key).join(', ')})`);
    name = p.processorName;
  }
  const top = parsePositive(flags.top, '--top', true) ?? 10;
  await withWarehouse(command, 'read', async (wh, g) => {
    const report = await failuresReport(wh, from, to, name, top);
    if (g.format === 'json') {
      process.stdout.write(`${JSON.stringify({ by_category: report.byCategory, top_reasons: report.topReasons }, null, 2)}\n`);
      return;
    }
    const heading = (text: string) => (g.format === 'table' ? `${text}\n` : '');
    process.stdout.write(`${heading('Failures by processor and category')}${formatRows(report.byCategory, g.format)}\n\n`);
    process.stdout.write(`${heading('Top reasons')}${formatRows(report.topReasons, g.format)}\n`);
  });
}
