// The statements of floor (a) (bare-sql.mjs), taken from the processors' definitions as the engine
// takes them (batchQueries, the output columns, the dialect pieces rendered for DuckDB): for each
// processor in dependency order, its staging statements, the delete of the range and the insert of
// its compute SQL. Parameters are the processor's thresholds, the range and a run id, each statement
// given only the ones it names (DuckDB refuses others).
import { outputColumns } from '../../src/engine/batch.js';
import { batchQueries } from '../../src/processors/batch-queries.js';
import type { ProcessorDefinition } from '../../src/processors/processor.js';
import { renderPieces } from '../../src/warehouse/dialect-pieces.js';

export interface BareStatement {
  readonly sql: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export function bareSqlStatements(processors: readonly ProcessorDefinition[], from: string, to: string): BareStatement[] {
  return processors.flatMap((p) => {
    const q = batchQueries(p);
    const columns = outputColumns(p).join(', ');
    const all: Record<string, string | number> = { ...p.thresholds, from, to, run_id: 'bench_floor' };
    const texts = [
      ...q.setup,
      `DELETE FROM ${p.outputTable} WHERE ${p.dateColumn} BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`,
      `INSERT INTO ${p.outputTable} (${columns})\nSELECT ${columns} FROM (${q.computeSql}) AS courtside_output`,
    ];
    return texts.map((text) => {
      const sql = renderPieces(text, 'duckdb');
      const named = new Set(Array.from(sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]));
      const missing = [...named].filter((n) => n !== undefined && !(n in all));
      if (missing.length > 0) throw new Error(`${p.key}: the floor has no value for $${missing.join(', $')}`);
      return { sql, params: Object.fromEntries(Object.entries(all).filter(([k]) => named.has(k))) };
    });
  });
}
