// `reset`: forget a range for some processors — outputs, partition statuses and failure rows — in
// one transaction, so the next backfill rebuilds exactly that range.
import { checkRange, type IsoDate } from '../core/dates.js';
import { newRunId } from '../core/ids.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { finishRun, startRun } from './history.js';
import { withRetry } from './retry.js';

export interface ResetResult {
  readonly processor: string;
  readonly output_rows: number;
  readonly statuses: number;
  readonly failures: number;
}

async function countAndDelete(tx: Warehouse, table: string, where: string, params: Readonly<Record<string, string>>): Promise<number> {
  const rows = await tx.query<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${table} WHERE ${where}`, params);
  await tx.exec(`DELETE FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]?.n ?? 0);
}

export async function resetRange(wh: Warehouse, processors: readonly ProcessorDefinition[], from: IsoDate, to: IsoDate): Promise<ResetResult[]> {
  checkRange(from, to);
  const runId = newRunId('reset');
  await startRun(wh, runId, 'reset', { from, to, processors: processors.map((p) => p.key) }, 'maintenance', new Date());
  for (const p of processors) await wh.exec(p.ddl);
  const results = await withRetry(() =>
    wh.transaction(async (tx) => {
      const out: ResetResult[] = [];
      for (const p of processors) {
        const params = { from, to, name: p.processorName };
        out.push({
          processor: p.key,
          output_rows: await countAndDelete(tx, p.outputTable, `${p.dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, params),
          statuses: await countAndDelete(tx, 'nba_processing.partition_status', `processor_name = $name AND partition_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, params),
          failures: await countAndDelete(tx, 'nba_processing.precompute_failures', `processor_name = $name AND analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, params),
        });
      }
      return out;
    }),
  );
  await finishRun(wh, runId, 'success', { reset: results });
  return results;
}
