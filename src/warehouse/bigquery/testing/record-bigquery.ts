// Test helper: what a piece of the product sends to BigQuery, checked by BigQuery's analyzer. The
// fake REST server executes jobs on DuckDB, so a path run through it proves the client wiring but
// not the dialect; recording every query, exec and script the BigQueryWarehouse (and its session
// views) receives, then analyzing each with ZetaSQL as BigQuery would receive it — its parameters
// typed as the warehouse types them — covers the dialect of a whole path without a hand-made list.
import type { ParamType, QueryOptions, SqlParams } from '../../warehouse.js';
import { BigQueryWarehouse } from '../bigquery-warehouse.js';
import { tablesOf, type TableDef } from '../parse-ddl.js';
import type { ZetaSql } from '../zetasql/zetasql-server.js';
import type { FakeBigQuery } from './fake-bigquery-server.js';

export interface SentStatement {
  /** One statement, or a script's statements joined by ';'. */
  readonly sql: string;
  readonly params: SqlParams | undefined;
  readonly paramTypes: Readonly<Record<string, ParamType>> | undefined;
}

/** Every query, exec and script of every BigQueryWarehouse while `work` runs, in order. */
export async function recordBigQuery(work: () => Promise<void>): Promise<SentStatement[]> {
  const sent: SentStatement[] = [];
  const proto = BigQueryWarehouse.prototype;
  const original = { query: proto.query, exec: proto.exec, script: proto.script };
  const record = (sql: string, params: SqlParams | undefined, o: QueryOptions | undefined) => sent.push({ sql, params, paramTypes: o?.paramTypes });
  proto.query = function (this: BigQueryWarehouse, sql: string, params?: SqlParams, o?: QueryOptions) {
    record(sql, params, o);
    return original.query.call(this, sql, params, o);
  } as typeof proto.query;
  proto.exec = function (this: BigQueryWarehouse, sql: string, params?: SqlParams, o?: QueryOptions) {
    record(sql, params, o);
    return original.exec.call(this, sql, params, o);
  };
  proto.script = function (this: BigQueryWarehouse, statements: readonly string[], params?: SqlParams, o?: QueryOptions) {
    record(statements.join(';\n'), params, o);
    return original.script.call(this, statements, params, o);
  };
  try {
    await work();
  } finally {
    Object.assign(proto, original);
  }
  return sent;
}

/**
 * The catalog the statements ran against: every table and view of `schemas` as the fake's DuckDB
 * describes it now (views as tables: ZetaSQL's catalog has none), plus the staging tables the
 * statements created and dropped on the way (`CREATE OR REPLACE TABLE nba_staging.…`).
 */
export async function catalogOf(fake: FakeBigQuery, schemas: readonly string[], sent: readonly SentStatement[]): Promise<TableDef[]> {
  const columns = await fake.sql(
    `SELECT table_schema AS s, table_name AS t, column_name AS c, data_type AS ty FROM information_schema.columns
     WHERE table_schema IN (${schemas.map((s) => `'${s}'`).join(', ')}) ORDER BY table_schema, table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    const key = `${String(c['s'])}.${String(c['t'])}`;
    byTable.set(key, [...(byTable.get(key) ?? []), `${String(c['c'])} ${String(c['ty'])}`]);
  }
  const ddl = [...new Set(schemas)].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s};`);
  for (const [table, cols] of byTable) ddl.push(`CREATE TABLE IF NOT EXISTS ${table} (${cols.join(', ')});`);
  for (const s of sent) {
    const m = /^\s*CREATE OR REPLACE TABLE (nba_staging\.[a-z_0-9]+) (\([\s\S]*\))\s*$/i.exec(s.sql);
    if (m && !byTable.has(m[1] as string)) ddl.push(`CREATE TABLE IF NOT EXISTS ${m[1]} ${m[2]};`);
  }
  return [...tablesOf(ddl.join('\n')).values()];
}

/** Each statement that ZetaSQL refuses, with its error and its text (empty when all analyze). */
export async function unanalyzable(zeta: ZetaSql, sent: readonly SentStatement[], tables: readonly TableDef[]): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, s] of sent.entries()) {
    try {
      await zeta.analyze(s.sql, tables, s.params, s.paramTypes);
    } catch (err) {
      failures.push(`statement ${i + 1}: ${(err as Error).message.split('\n')[0]}\n  ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    }
  }
  return failures;
}
