// courtside run: daily mode for one date, then its summary.
import type { Command } from 'commander';
import { parseIsoDate, todayUtc } from '../../core/dates.js';
import { newRunId } from '../../core/ids.js';
import { createNotifier, loadConfig } from '../../engine/config.js';
import { parsePositive, parseProcessorList, summaryFooter, summaryRows } from '../../engine/present.js';
import { createProgress } from '../../engine/progress.js';
import { runDaily } from '../../engine/run.js';
import { PROCESSORS } from '../../processors/index.js';
import type { RunFlags } from '../commands/run.js';
import { setExitCode, withWarehouse } from '../context.js';
import { formatRows } from '../format.js';
import { interruptionText } from '../../engine/notify/messages.js';
import { progressFilePath, withProgressFile } from '../../engine/progress-file.js';
import { resolveDbPath } from '../../warehouse/db-path.js';

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
      notifier: createNotifier(wh, config, 'daily', runId, undefined, { echoSummary: false }), // the summary is printed below, once
      // Beside the terminal's bar or log lines, a file other processes (the dashboard) can read.
      progress: withProgressFile(createProgress(), progressFilePath(resolveDbPath(g.db)), { runId, command: 'run' }),
    });
    if (summary.processors.every((p) => p.planned === 0)) process.stderr.write(`courtside: ${date} is not a game date; nothing to do\n`);
    process.stdout.write(`${formatRows(summaryRows(summary), g.format)}\n${g.format === 'table' ? `${summaryFooter(summary)}\n` : ''}`);
    // Whoever stopped the run reads stderr: say what was done, whatever the output format.
    const interrupted = interruptionText(summary);
    if (interrupted) process.stderr.write(`courtside: ${interrupted}\n`);
    setExitCode(summary.exitCode);
  });
}
