// courtside reset --from D --to D [--processors …]: delete outputs, statuses and failures in range,
// in one transaction.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { parseProcessorList } from '../../engine/present.js';
import { resetRange } from '../../engine/reset.js';
import { PROCESSORS } from '../../processors/index.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export function registerReset(program: Command): void {
  program
    .command('reset')
    .description('delete Phase 4 outputs, partition statuses and failures in a range (atomically)')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date, inclusive')
    .option('--processors <list>', 'comma-separated subset of psza,tdza,pdc,pcf,mlfs,pred (default: all)')
    .action(async (flags: { from: string; to: string; processors?: string }, command: Command) => {
      const { from, to } = checkRange(flags.from, flags.to);
      const keys = parseProcessorList(flags.processors);
      const selected = keys ? PROCESSORS.filter((p) => keys.includes(p.key)) : PROCESSORS;
      await withWarehouse(command, async (wh, g) => {
        const results = await resetRange(wh, selected, from, to);
        process.stdout.write(`${formatRows(results.map((r) => ({ ...r })), g.format)}\n`);
      });
    });
}
