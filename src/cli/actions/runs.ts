// courtside runs: the run history, or one run's batches.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { parsePositive } from '../../engine/present.js';
import { runStepsReport, runsReport } from '../../engine/reports.js';
import type { RunsFlags } from '../commands/runs.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export async function runs(flags: RunsFlags, command: Command): Promise<void> {
  const limit = parsePositive(flags.limit, '--limit', true) ?? 20;
  await withWarehouse(command, 'read', async (wh, g) => {
    if (flags.run !== undefined) {
      const [known] = await wh.query<{ n: number }>('SELECT count(*) AS n FROM nba_processing.run_history WHERE run_id = $run_id', { run_id: flags.run });
      if (!known?.n) throw new UsageError(`--run: no run '${flags.run}' in the run history (\`courtside runs\` lists them)`);
    }
    const rows = flags.run !== undefined ? await runStepsReport(wh, flags.run) : await runsReport(wh, limit);
    process.stdout.write(`${formatRows(rows, g.format)}\n`);
  });
}
