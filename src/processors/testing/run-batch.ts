// Test-only runner: what the engine does for one batch, minus bookkeeping, on the same SQL the
// engine runs (candidates staged once, then compute, audits and failures read them): replace the
// range, run the audits (any offending row fails the batch), collect entity failures.
import type { Row, SqlValue, Warehouse } from '../../warehouse/warehouse.js';
import type { ProcessorDefinition } from '../processor.js';
import { withBatchQueries } from '../batch-queries.js';

export interface BatchOptions {
  readonly from: string;
  readonly to: string;
  readonly runId?: string;
  /** Overrides of definition.thresholds, e.g. a smaller league_min_teams for a tiny fixture. */
  readonly thresholds?: Readonly<Record<string, number>>;
}

export interface BatchResult {
  readonly rows: Row[];
  readonly failures: Row[];
}

export function batchParams(def: ProcessorDefinition, opts: BatchOptions): Record<string, SqlValue> {
  return { from: opts.from, to: opts.to, run_id: opts.runId ?? 'test-run', ...def.thresholds, ...opts.thresholds };
}

export async function runBatch(wh: Warehouse, def: ProcessorDefinition, opts: BatchOptions): Promise<BatchResult> {
  const params = batchParams(def, opts);
  const range = `${def.dateColumn} BETWEEN $from::DATE AND $to::DATE`;
  const failures = await wh.transaction(async (tx) => {
    await tx.exec(`DELETE FROM ${def.outputTable} WHERE ${range}`, params);
    if (def.prepare) await def.prepare(tx, params, {});
    return withBatchQueries(tx, def, params, {}, async (queries) => {
      await tx.exec(`INSERT INTO ${def.outputTable} BY NAME SELECT * FROM (${queries.computeSql})`, params);
      for (const audit of def.audits) {
        const bad = await tx.query(audit.sql, params);
        if (bad.length > 0) throw new Error(`${def.processorName} audit ${audit.name} failed: ${JSON.stringify(bad.slice(0, 3))}`);
      }
      return tx.query(`SELECT * FROM (${queries.failuresSql}) ORDER BY analysis_date, entity_id, failure_category`, params);
    });
  });
  const rows = await wh.query(`SELECT * FROM ${def.outputTable} WHERE ${range} ORDER BY ${def.dateColumn}, ${def.entityColumn}`, params);
  return { rows, failures };
}

/** Runs processors in the given (dependency) order, one batch each, or one batch per date. */
export async function runPipeline(
  wh: Warehouse,
  defs: readonly ProcessorDefinition[],
  opts: BatchOptions & { readonly dates?: readonly string[] },
): Promise<void> {
  for (const def of defs) {
    if (opts.dates) for (const d of opts.dates) await runBatch(wh, def, { ...opts, from: d, to: d });
    else await runBatch(wh, def, opts);
  }
}
