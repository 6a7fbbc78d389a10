// Test-only runner: what the engine does for one batch, minus bookkeeping. Replace the range,
// collect entity failures, run the audits (any offending row fails the batch).
import type { Row, SqlValue, Warehouse } from '../../warehouse/warehouse.js';
import type { ProcessorDefinition } from '../processor.js';

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
  await wh.transaction(async (tx) => {
    await tx.exec(`DELETE FROM ${def.outputTable} WHERE ${range}`, params);
    await tx.exec(`INSERT INTO ${def.outputTable} BY NAME SELECT * FROM (${def.computeSql})`, params);
    for (const audit of def.audits) {
      const bad = await tx.query(audit.sql, params);
      if (bad.length > 0) throw new Error(`${def.processorName} audit ${audit.name} failed: ${JSON.stringify(bad.slice(0, 3))}`);
    }
  });
  const failures = await wh.query(`SELECT * FROM (${def.failuresSql}) ORDER BY analysis_date, entity_id, failure_category`, params);
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

/** A content hash of a table's rows in range, ignoring processed_at and run_id. */
export async function tableHash(wh: Warehouse, def: ProcessorDefinition, from: string, to: string): Promise<{ rows: number; hash: string }> {
  const [r] = await wh.query(
    `SELECT count(*) AS rows, coalesce(sum(hash(to_json(t))), 0)::VARCHAR AS hash
     FROM (SELECT * EXCLUDE (processed_at, run_id) FROM ${def.outputTable} WHERE ${def.dateColumn} BETWEEN $from::DATE AND $to::DATE) t`,
    { from, to },
  );
  return { rows: Number(r?.['rows'] ?? 0), hash: String(r?.['hash'] ?? '') };
}
