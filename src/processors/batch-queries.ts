// The one way a batch reads a processor's queries, shared by the engine and the fixture tests:
// with staged queries, the candidate set is materialised once (a temporary table of the batch's
// own transaction or script) and both the output and the failures query read it.
import type { QueryOptions, SqlParams, Warehouse } from '../warehouse/warehouse.js';
import type { ProcessorDefinition } from './processor.js';
import { STAGED_CANDIDATES_TABLE } from './sql-file.js';

export interface BatchQueries {
  /** Statements to run first, in the same transaction (staging the candidates); may be none. */
  readonly setup: readonly string[];
  /** SELECT of the output rows for the batch. */
  readonly computeSql: string;
  /** SELECT of the entity failures for the batch. */
  readonly failuresSql: string;
}

const stripSemicolon = (sql: string) => sql.trim().replace(/;\s*$/, '');

/** The batch's statements as text: the engine puts them into its one atomic unit per batch. */
export function batchQueries(p: ProcessorDefinition): BatchQueries {
  const staged = p.staged;
  if (!staged) return { setup: [], computeSql: stripSemicolon(p.computeSql), failuresSql: stripSemicolon(p.failuresSql) };
  return {
    setup: [`CREATE OR REPLACE TEMP TABLE ${STAGED_CANDIDATES_TABLE} AS ${stripSemicolon(staged.candidatesSql)}`],
    computeSql: stripSemicolon(staged.computeSql),
    failuresSql: stripSemicolon(staged.failuresSql),
  };
}

/** Runs `work` (inside `tx`) with the batch's queries; the staged candidates are dropped afterwards. */
export async function withBatchQueries<T>(
  tx: Warehouse,
  p: ProcessorDefinition,
  params: SqlParams,
  options: QueryOptions,
  work: (queries: BatchQueries) => Promise<T>,
): Promise<T> {
  const queries = batchQueries(p);
  for (const statement of queries.setup) await tx.exec(statement, params, options);
  const result = await work(queries);
  if (queries.setup.length > 0) await tx.exec(`DROP TABLE IF EXISTS ${STAGED_CANDIDATES_TABLE}`, undefined, options);
  return result;
}
