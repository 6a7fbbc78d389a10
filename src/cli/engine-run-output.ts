// What the commands that run the engine (backfill, run, registry reprocess) hand it for output, and
// what they print of the run: one place, so that the three say the same things the same way.
import { createNotifier, type EngineConfig } from '../engine/config.js';
import type { Notifier } from '../engine/notify/event.js';
import { interruptionText } from '../engine/notify/messages.js';
import { summaryFooter, summaryRows } from '../engine/present.js';
import { createProgress, type Progress } from '../engine/progress.js';
import { progressFilePath, withProgressFile } from '../engine/progress-file.js';
import type { RunMode, RunSummary } from '../engine/types.js';
import { resolveDbPath } from '../warehouse/db-path.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { formatRows, type OutputFormat } from './format.js';

/**
 * The run's notifier (its summary is not echoed: printRunSummary prints it, once) and its progress:
 * the terminal's bar or log lines, beside a file other processes (the dashboard) can read.
 */
export function runOutputs(wh: Warehouse, config: EngineConfig, db: string | undefined, mode: RunMode, runId: string, command: string): { readonly notifier: Notifier; readonly progress: Progress } {
  return {
    notifier: createNotifier(wh, config, mode, runId, undefined, { echoSummary: false }),
    progress: withProgressFile(createProgress(), progressFilePath(resolveDbPath(db)), { runId, command }),
  };
}

/**
 * The run's summary rows in `format` (with the footer in table format) unless `rows` is false (a
 * command whose own rows are the output, outside table format); then, whatever the format, on stderr
 * what an interruption left: whoever stopped the run reads stderr.
 */
export function printRunSummary(summary: RunSummary, format: OutputFormat, rows = true): void {
  if (rows) process.stdout.write(`${formatRows(summaryRows(summary), format)}\n${format === 'table' ? `${summaryFooter(summary)}\n` : ''}`);
  const interrupted = interruptionText(summary);
  if (interrupted) process.stderr.write(`courtside: ${interrupted}\n`);
}
