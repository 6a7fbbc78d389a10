// courtside coverage: the coverage report for the range.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { coverageReport } from '../../engine/reports.js';
import { PROCESSORS } from '../../processors/index.js';
import type { CoverageFlags } from '../commands/coverage.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export async function coverage(flags: CoverageFlags, command: Command): Promise<void> {
  const { from, to } = checkRange(flags.from, flags.to);
  await withWarehouse(command, 'read', async (wh, g) => {
    process.stdout.write(`${formatRows(await coverageReport(wh, PROCESSORS, from, to), g.format)}\n`);
  });
}
