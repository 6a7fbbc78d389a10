// courtside backfill: plans (--dry-run) or runs Phase 4 for the range and prints the summary.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { newRunId } from '../../core/ids.js';
import { loadConfig } from '../../engine/config.js';
import { parsePositive, parseProcessorList, planRows, upToDateFooter, upToDateRows } from '../../engine/present.js';
import type { BigQueryWarehouse } from '../../warehouse/bigquery/bigquery-warehouse.js';
import { idleBackfillPlan, planBackfill, runBackfill, type RunOptions } from '../../engine/run.js';
import { PROCESSORS } from '../../processors/index.js';
import type { BackfillFlags } from '../commands/backfill.js';
import { setExitCode, withWarehouse } from '../context.js';
import { checkSection, formatRows, formatTables } from '../format.js';
import { UsageError } from '../../core/errors.js';
import { isMigrated } from '../../warehouse/migrate.js';
import { printRunSummary, runOutputs } from '../engine-run-output.js';

export async function backfill(flags: BackfillFlags, command: Command): Promise<void> {
  const { from, to } = checkRange(flags.from, flags.to);
  if (flags.section !== undefined && !flags.dryRun) throw new UsageError('--section chooses a table of --dry-run (plan or estimate); give --dry-run');
  checkSection(flags.section, ['plan', 'estimate']);
  const config = loadConfig();
  const timeoutSeconds = parsePositive(flags.timeoutSeconds, '--timeout-seconds', false);
  const options = {
    from,
    to,
    processors: parseProcessorList(flags.processors),
    force: flags.force === true,
    batchDays: parsePositive(flags.batchDays, '--batch-days', true) ?? null,
    timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : config.timeoutMs.backfill,
    retry: config.retry,
    thresholds: config.thresholds,
  };
  // Without --force there may be nothing to do: find out read-only first, so that a backfill with
  // nothing to do neither migrates nor writes a run, and never holds the file's write lock.
  if (!flags.dryRun && !options.force && (await idleBackfill(command, options))) return;
  await withWarehouse(command, flags.dryRun ? 'read' : 'write', async (wh, g) => {
    const [dates] = await wh.query<{ n: number }>(
      `SELECT count(*) AS n FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
      { from, to },
    );
    if (!dates?.n) process.stderr.write(`courtside: no game dates between ${from} and ${to} in the schedule (has \`courtside ingest\` run on this database?)\n`);
    if (flags.dryRun) {
      const planned = await planBackfill(wh, PROCESSORS, options);
      if (wh.dialect !== 'bigquery') {
        if (flags.section !== undefined && flags.section !== 'plan') throw new UsageError(`--section ${flags.section}: a dry run on DuckDB prints only the plan (the cost estimate is BigQuery's)`);
        process.stdout.write(`${formatRows(planRows(planned.plan), g.format)}\n`);
        return;
      }
      // On BigQuery the plan's jobs have a price: their scan by dry runs, and the on-demand cost.
      const { pricePerTiBUsd } = wh as BigQueryWarehouse;
      const { estimateBackfill, estimateRows } = await import('../../engine/estimate.js');
      const estimates = await estimateBackfill(wh, planned, { pricePerTiBUsd, thresholds: options.thresholds, timeoutMs: options.timeoutMs });
      // Two tables: one JSON document for --format json (two arrays one after the other would not
      // parse), one table for --format csv (the plan unless --section estimate).
      const plan = planRows(planned.plan);
      const estimate = estimateRows(estimates);
      const { out, note } = formatTables(
        [
          { name: 'plan', title: 'Plan', rows: plan },
          { name: 'estimate', title: 'Estimate (BigQuery dry runs, on-demand price)', rows: estimate },
        ],
        g.format,
        { main: 'plan', section: flags.section, whole: { plan, estimate } },
      );
      if (note) process.stderr.write(`courtside: ${note}\n`);
      process.stdout.write(`${out}\n`);
      return;
    }
    const runId = newRunId('backfill');
    const summary = await runBackfill(wh, PROCESSORS, {
      ...options,
      runId,
      command: 'backfill',
      args: { ...flags },
      ...runOutputs(wh, config, g.db, 'backfill', runId, 'backfill'),
    });
    printRunSummary(summary, g.format);
    setExitCode(summary.exitCode);
  });
}

/**
 * Prints the summary and returns true when the backfill has nothing to do, read-only. A warehouse
 * that a write would migrate first (an older layout) is not read here: false, and the write path
 * migrates and plans as always.
 */
async function idleBackfill(command: Command, options: RunOptions): Promise<boolean> {
  return withWarehouse(command, 'read', async (wh, g) => {
    if (!(await isMigrated(wh))) return false;
    const idle = await idleBackfillPlan(wh, PROCESSORS, options);
    if (!idle) return false;
    if (idle.gameDates.length === 0) process.stderr.write(`courtside: no game dates between ${options.from} and ${options.to} in the schedule (has \`courtside ingest\` run on this database?)\n`);
    process.stdout.write(`${formatRows(upToDateRows(idle.processors, idle.plan), g.format)}\n${g.format === 'table' ? `${upToDateFooter(idle.plan, options.from, options.to)}\n` : ''}`);
    return true;
  });
}
