// `reset`: forget a range for some processors — outputs, partition statuses and failure rows — in
// one transaction, so the next backfill rebuilds exactly that range.
import { checkRange, type IsoDate } from '../core/dates.js';
import { errorMessage } from '../core/errors.js';
import { newRunId } from '../core/ids.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { finishRun, startRun } from './history.js';
import { withRetry } from './retry.js';
import { createOutputTables } from './run.js';

export interface ResetResult {
  readonly processor: string;
  readonly output_rows: number;
  readonly statuses: number;
  readonly failures: number;
}

const RESET_COUNTS = 'courtside_reset_counts';

/**
 * The reset as one atomic unit (one script job on BigQuery): count what each processor has in
 * [$from, $to] into a temp table, delete it, return the counts. Params: $from, $to, $key_<i>, $name_<i>.
 */
export function resetStatements(processors: readonly ProcessorDefinition[]): string[] {
  const range = (column: string) => `${column} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;
  const where = (p: ProcessorDefinition, i: number) => ({
    output: `${p.outputTable} WHERE ${range(p.dateColumn)}`,
    statuses: `nba_processing.partition_status WHERE processor_name = $name_${i} AND ${range('partition_date')}`,
    failures: `nba_processing.precompute_failures WHERE processor_name = $name_${i} AND ${range('analysis_date')}`,
  });
  const counts = processors
    .map((p, i) => {
      const w = where(p, i);
      return `SELECT ${i} AS ord, $key_${i} AS processor, (SELECT count(*) FROM ${w.output}) AS output_rows,
       (SELECT count(*) FROM ${w.statuses}) AS statuses, (SELECT count(*) FROM ${w.failures}) AS failures`;
    })
    .join('\nUNION ALL\n');
  return [
    `CREATE OR REPLACE TEMP TABLE ${RESET_COUNTS} AS\n${counts}`,
    ...processors.flatMap((p, i) => Object.values(where(p, i)).map((w) => `DELETE FROM ${w}`)),
    `SELECT processor, output_rows, statuses, failures FROM ${RESET_COUNTS} ORDER BY ord`,
  ];
}

export function resetParams(processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate): Record<string, string> {
  return Object.fromEntries([['from', from], ['to', to], ...processors.flatMap((p, i) => [[`key_${i}`, p.key], [`name_${i}`, p.processorName]])]);
}

export async function resetRange(wh: Warehouse, processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate): Promise<ResetResult[]> {
  checkRange(from, to);
  const runId = newRunId('reset');
  await startRun(wh, runId, 'reset', { from, to, processors: processors.map((p) => p.key) }, 'maintenance', new Date());
  let rows;
  try {
    await createOutputTables(wh, processors);
    rows = processors.length === 0 ? [] : await withRetry(() => wh.script(resetStatements(processors), resetParams(processors, from, to)));
  } catch (err) {
    // The script is one unit: nothing was deleted. Said in the run history (else the run stays
    // 'running' until a later command calls it interrupted); a failure to say so does not hide err.
    await finishRun(wh, runId, 'failed', { error: errorMessage(err) }).catch(() => undefined);
    throw err;
  }
  const results: ResetResult[] = rows.map((r) => ({ processor: String(r['processor']), output_rows: Number(r['output_rows']), statuses: Number(r['statuses']), failures: Number(r['failures']) }));
  await finishRun(wh, runId, 'success', { reset: results });
  return results;
}
