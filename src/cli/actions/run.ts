// courtside run: daily mode for one date, then its summary.
import type { Command } from 'commander';
import { parseIsoDate, todayUtc } from '../../core/dates.js';
import { newRunId } from '../../core/ids.js';
import { loadConfig } from '../../engine/config.js';
import { parsePositive, parseProcessorList } from '../../engine/present.js';
import { runDaily } from '../../engine/run.js';
import { PROCESSORS } from '../../processors/index.js';
import type { RunFlags } from '../commands/run.js';
import { setExitCode, withWarehouse } from '../context.js';
import { printRunSummary, runOutputs } from '../engine-run-output.js';

export async function run(flags: RunFlags, command: Command): Promise<void> {
  const date = parseIsoDate(flags.date ?? todayUtc(), '--date');
  const config = loadConfig();
  const timeoutSeconds = parsePositive(flags.timeoutSeconds, '--timeout-seconds', false);
  const processors = parseProcessorList(flags.processors);
  await withWarehouse(command, 'write', async (wh, g) => {
    const runId = newRunId('daily');
    const summary = await runDaily(wh, PROCESSORS, {
      date,
      processors,
      timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : config.timeoutMs.daily,
      retry: config.retry,
      thresholds: config.thresholds,
      runId,
      command: 'run',
      args: { ...flags, date },
      ...runOutputs(wh, config, g.db, 'daily', runId, 'run'),
    });
    if (summary.processors.every((p) => p.planned === 0)) process.stderr.write(`courtside: ${date} is not a game date; nothing to do\n`);
    printRunSummary(summary, g.format);
    setExitCode(summary.exitCode);
  });
}
