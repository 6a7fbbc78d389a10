// courtside runs: the run history, or one run's batches.
import type { Command } from 'commander';
import { parsePositive } from '../../engine/present.js';
import { runStepsReport, runsReport } from '../../engine/reports.js';
import type { RunsFlags } from '../commands/runs.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export async function runs(flags: RunsFlags, command: Command): Promise<void> {
  const limit = parsePositive(flags.limit, '--limit', true) ?? 20;
  await withWarehouse(command, async (wh, g) => {
    const rows = flags.run ? await runStepsReport(wh, flags.run) : await runsReport(wh, limit);
    process.stdout.write(`${formatRows(rows, g.format)}\n`);
  });
}
