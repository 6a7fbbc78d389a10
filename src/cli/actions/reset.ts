// courtside reset: deletes the range's Phase 4 outputs, statuses and failures in one transaction.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { parseProcessorList } from '../../engine/present.js';
import { resetRange } from '../../engine/reset.js';
import { PROCESSORS } from '../../processors/index.js';
import type { ResetFlags } from '../commands/reset.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export async function reset(flags: ResetFlags, command: Command): Promise<void> {
  const { from, to } = checkRange(flags.from, flags.to);
  const keys = parseProcessorList(flags.processors);
  const selected = keys ? PROCESSORS.filter((p) => keys.includes(p.key)) : PROCESSORS;
  await withWarehouse(command, 'write', async (wh, g) => {
    const results = await resetRange(wh, selected, from, to);
    process.stdout.write(`${formatRows(results.map((r) => ({ ...r })), g.format)}\n`);
  });
}
