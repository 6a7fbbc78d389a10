// The differential proof of one processor's SQL (used by each processor's *.bq.test.ts): every
// statement the engine sends for a batch of it passes BigQuery's analyzer (ZetaSQL), and on the same
// fixture tables ZetaSQL's reference evaluator gives the rows DuckDB gives — compute, failures, the staged
// candidates and the compute and failures that read them back, each audit (clean and violated), the
// failures MERGE's source, and the batch's whole BigQuery script analyzed statement by statement.
import assert from 'node:assert/strict';
import { batchParams, batchStatements } from '../../engine/batch.js';
import { DEFAULT_RETRY } from '../../engine/retry.js';
import { tablesOf } from '../../warehouse/bigquery/parse-ddl.js';
import { differential, mergeSource, type DifferentialResult } from '../../warehouse/bigquery/zetasql/differential.js';
import type { ResultColumn, ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { TypeProto } from '../../warehouse/bigquery/zetasql/zetasql-values.js';
import type { Row, SqlValue } from '../../warehouse/warehouse.js';
import { batchQueries } from '../batch-queries.js';
import type { ProcessorDefinition } from '../processor.js';
import { STAGED_CANDIDATES_TABLE } from '../sql-file.js';
import { FROM, TO, type FixtureTables, type ProcessorSqlFixture } from './differential-fixture.js';
import { PROCESSOR_SQL_DDL } from './processor-sql-ddl.js';

/** Where the staged candidates live in the tests: a catalog table (ZetaSQL's inline rows need one). */
const STAGED_FIXTURE = `nba_processing.${STAGED_CANDIDATES_TABLE}`;

export interface ProcessorProof {
  /** Output rows (without processed_at, which is each engine's clock), as ZetaSQL gave them. */
  readonly compute: readonly Row[];
  readonly failures: readonly Row[];
  readonly candidates: readonly Row[];
  /** The statements proven, named. */
  readonly covered: readonly string[];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  TYPE_INT64: 'BIGINT', TYPE_DOUBLE: 'DOUBLE', TYPE_NUMERIC: 'DECIMAL(38, 9)', TYPE_STRING: 'VARCHAR', TYPE_BOOL: 'BOOLEAN',
  TYPE_DATE: 'DATE', TYPE_TIMESTAMP: 'TIMESTAMP', TYPE_JSON: 'JSON',
};

function ddlType(t: TypeProto): string {
  if (t.typeKind === 'TYPE_ARRAY') return `${ddlType(t.arrayType?.elementType ?? { typeKind: 'TYPE_STRING' })}[]`;
  const name = TYPE_NAMES[t.typeKind];
  if (!name) throw new Error(`staged candidates: no DDL type for ${t.typeKind}`);
  return name;
}

/** The staged candidates' table as BigQuery types it (the columns of the candidates query on ZetaSQL). */
function stagedDdl(columns: readonly ResultColumn[]): string {
  return `CREATE TABLE IF NOT EXISTS ${STAGED_FIXTURE} (\n${columns.map((c) => `  ${c.name} ${ddlType(c.type)}`).join(',\n')}\n);`;
}


export interface ProveOptions {
  /** Threshold overrides (e.g. a smaller league for TDZA's computed average). */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** A label for the statements of this run (several runs of one processor). */
  readonly label?: string;
}

export async function proveProcessor(zeta: ZetaSql, p: ProcessorDefinition, fx: ProcessorSqlFixture, o: ProveOptions = {}): Promise<ProcessorProof> {
  const covered: string[] = [];
  const label = (name: string) => `${p.key} ${o.label ? `(${o.label}) ` : ''}${name}`;
  const params: Record<string, SqlValue> = { ...p.thresholds, ...o.thresholds, from: FROM, to: TO, run_id: 'differential' };
  const same = async (name: string, sql: string, fixtures: FixtureTables = fx.inputs, ddl = PROCESSOR_SQL_DDL): Promise<DifferentialResult> => {
    // FLOAT64 exactly (no tolerance): both engines must do the same IEEE operations on the same values
    const r = await differential(zeta, { ddl, fixtures, sql, params, floatTolerance: 0 });
    assert.equal(r.mismatch, undefined, `${label(name)}: ${r.mismatch}`);
    covered.push(label(name));
    return r;
  };
  // processed_at is each engine's clock: compared without it
  const withoutClock = (sql: string) => `SELECT {{star_except(processed_at)}} FROM (${sql}) AS courtside_output`;

  const compute = await same('compute', withoutClock(p.computeSql));
  const failures = await same('failures', p.failuresSql);
  assert.ok(compute.zetasql.length > 0, `${p.key}: the fixture gives rows`);

  // Staged: the candidates, then compute and failures reading them back from a table of BigQuery's types.
  const q = batchQueries(p);
  const staged = p.staged;
  assert.ok(staged, `${p.key} stages its candidates`);
  const candidates = await same('staged candidates (CREATE TEMP TABLE … AS)', staged.candidatesSql);
  const ddl = `${PROCESSOR_SQL_DDL}\n${stagedDdl(candidates.columns)}`;
  const withStaged = { ...fx.inputs, [STAGED_FIXTURE]: candidates.zetasql };
  const reread = (sql: string) => sql.replace(`FROM ${STAGED_CANDIDATES_TABLE})`, `FROM ${STAGED_FIXTURE})`);
  assert.notEqual(reread(q.computeSql), q.computeSql, 'the staged compute reads the staged candidates');
  const stagedCompute = await same('staged compute (INSERT … SELECT)', withoutClock(reread(q.computeSql)), withStaged, ddl);
  const stagedFailures = await same('staged failures (MERGE source)', reread(q.failuresSql), withStaged, ddl);
  assert.equal(stagedCompute.zetasql.length, compute.zetasql.length);
  assert.equal(stagedFailures.zetasql.length, failures.zetasql.length);

  // Audits: none fires on the rows the processor wrote; each finds the row that breaks it, on both engines.
  const outputs = { ...fx.inputs, [p.outputTable]: fx.outputs[p.key] };
  const first = fx.outputs[p.key][0] as Row;
  const bad: Record<string, Row> = {
    as_of_window: { ...first, source_last_game_date: first[p.dateColumn] },
    grain_unique: first,
    feature_vector_shape: { ...first, features: (first['features'] as number[] | undefined)?.slice(1) ?? [] },
    // pred's: a fit dated after its prediction, quantiles out of order, a probability above 1
    training_window_before_date: { ...first, refit_date: '2021-12-06' },
    quantiles_ordered: { ...first, points_q10: Number(first['points_q90'] ?? 0) + 1 },
    probabilities_in_range: { ...first, points_line: 20.5, p_over: 1.5, p_under: -0.5, implied_p_over: 0.5 },
  };
  for (const a of p.audits) {
    const clean = await same(`audit ${a.name}`, a.sql, outputs);
    assert.equal(clean.zetasql.length, 0, `${p.key} audit ${a.name} fires on the processor's own rows`);
    const extra = bad[a.name];
    assert.ok(extra, `a violation of audit ${a.name}`);
    const broken = await differential(zeta, { ddl: PROCESSOR_SQL_DDL, fixtures: { ...outputs, [p.outputTable]: [...fx.outputs[p.key], extra] }, sql: a.sql, params });
    assert.equal(broken.mismatch, undefined, broken.mismatch);
    assert.ok(broken.zetasql.length > 0, `${p.key} audit ${a.name} finds its violation`);
  }

  // The batch as one BigQuery script: every statement analyzes (temp table, DELETE, INSERT with named
  // columns, one ASSERT per audit, the failures MERGE, statuses); the MERGE's source evaluates alike.
  const spec = { from: FROM, to: TO, dates: [{ date: TO, isBootstrap: false }], fingerprints: ['f'] };
  const context = { runId: 'differential', timeoutMs: 60_000, retry: DEFAULT_RETRY, thresholds: { ...p.thresholds, ...o.thresholds } };
  const bp = batchParams(p, spec, context, new Date('2021-11-05T10:00:00Z'), new Date('2021-11-05T10:00:01Z'));
  const script = ['BEGIN TRANSACTION', ...batchStatements('bigquery', p), 'COMMIT TRANSACTION'].join(';\n');
  const nodes = (await zeta.analyze(script, [...tablesOf(PROCESSOR_SQL_DDL).values()], bp)).map((n) => n.node);
  assert.deepEqual(nodes, [
    'resolvedBeginStmtNode', 'resolvedCreateTableAsSelectStmtNode', 'resolvedDeleteStmtNode', 'resolvedInsertStmtNode',
    ...p.audits.map(() => 'resolvedAssertStmtNode'),
    'resolvedMergeStmtNode', 'resolvedDeleteStmtNode', 'resolvedInsertStmtNode', 'resolvedQueryStmtNode', 'resolvedCommitStmtNode',
  ]);
  covered.push(label('batch script (BEGIN … COMMIT, analyzed)'), label('insert of the output rows (analyzed)'), label('failures MERGE (analyzed)'));
  const merge = batchStatements('duckdb', { ...p, staged: undefined }).find((s) => s.startsWith('MERGE')) ?? '';
  await differential(zeta, { ddl: PROCESSOR_SQL_DDL, fixtures: fx.inputs, sql: mergeSource(merge), params: bp }).then((r) => {
    assert.equal(r.mismatch, undefined, `${label('failures MERGE source')}: ${r.mismatch}`);
    assert.equal(r.zetasql.length, failures.zetasql.length);
  });
  covered.push(label('failures MERGE source'));

  return { compute: compute.zetasql, failures: failures.zetasql, candidates: candidates.zetasql, covered };
}
