// Runs the jobs the fake BigQuery server receives on a DuckDB database: the query text turned back
// into our SQL (`@name` → `$name`, `<prefix>schema.` → `schema.`), statement by statement, with
// BEGIN/COMMIT/ROLLBACK TRANSACTION as DuckDB transactions and temp tables on the job's own
// connection. BigQuery-only statements it cannot run (scripting, temp functions, …) fail the job
// with a message saying so, never silently.
import { DuckDBTypeId, type DuckDBConnection, type DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import type { DatasetNames } from '../dataset-names.js';
import type { RestQueryParameter, RestParameterValue } from '../query-parameters.js';
import { fromBigQuerySql } from '../rewrite-sql.js';
import { splitStatements } from '../sql-segments.js';
import { firstKeyword } from '../../statement-kind.js';
import { alterTableToDuckdb, createTableToDuckdb, type FakeTableLayout } from './bigquery-ddl-to-duckdb.js';
import { assertionOf, bigQueryFormsToDuckdb } from './bigquery-forms.js';

export interface RestField {
  readonly name: string;
  readonly type: string;
  readonly mode: 'NULLABLE' | 'REPEATED';
  readonly fields?: readonly RestField[];
}

export interface QueryResult {
  readonly schema: readonly RestField[];
  readonly rows: readonly { f: { v: unknown }[] }[];
}

export interface ExecutionResult {
  readonly statementType: string;
  readonly result?: QueryResult;
  readonly affectedRows: number;
}

/** A job failure in BigQuery's terms (errorResult). */
export class FakeJobFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** BigQuery scripting and statements DuckDB cannot run: reported as such. */
const UNSUPPORTED = /^(DECLARE|SET|IF|LOOP|WHILE|REPEAT|FOR|BREAK|LEAVE|CONTINUE|ITERATE|RETURN|RAISE|EXECUTE|EXPORT|LOAD|CALL|BEGIN\s+(?!TRANSACTION\b)|CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?(FUNCTION|PROCEDURE|TABLE\s+FUNCTION))/i;

function paramValue(type: RestQueryParameter['parameterType'], value: RestParameterValue): DuckDBValue {
  if (type.type === 'ARRAY') return listValue((value.arrayValues ?? []).map((v) => paramValue(type.arrayType ?? { type: 'STRING' }, v)));
  if (value.value === undefined || value.value === null) return null;
  switch (type.type) {
    case 'INT64': {
      const n = Number(value.value);
      return Number.isSafeInteger(n) ? n : BigInt(value.value);
    }
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return Number(value.value);
    case 'BOOL':
      return value.value === 'true';
    default:
      return value.value; // STRING, DATE, TIMESTAMP: our SQL casts
  }
}

function restField(name: string, t: DuckDBType): RestField {
  switch (t.typeId) {
    case DuckDBTypeId.LIST: {
      const child = restField(name, (t as unknown as { valueType: DuckDBType }).valueType);
      return { ...child, mode: 'REPEATED' };
    }
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.TINYINT: case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UTINYINT:
      return { name, type: 'INTEGER', mode: 'NULLABLE' };
    case DuckDBTypeId.DOUBLE: case DuckDBTypeId.FLOAT:
      return { name, type: 'FLOAT', mode: 'NULLABLE' };
    case DuckDBTypeId.DECIMAL:
      return { name, type: 'NUMERIC', mode: 'NULLABLE' };
    case DuckDBTypeId.BOOLEAN:
      return { name, type: 'BOOLEAN', mode: 'NULLABLE' };
    case DuckDBTypeId.DATE:
      return { name, type: 'DATE', mode: 'NULLABLE' };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_TZ: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS: case DuckDBTypeId.TIMESTAMP_S:
      return { name, type: 'TIMESTAMP', mode: 'NULLABLE' };
    default:
      return { name, type: t.alias === 'JSON' ? 'JSON' : 'STRING', mode: 'NULLABLE' };
  }
}

/** A DuckDB JS value as REST cell text (TIMESTAMP as int64 microseconds, as useInt64Timestamp asks). */
function cellValue(field: RestField, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (field.mode === 'REPEATED') return (v as unknown[]).map((e) => ({ v: cellValue({ ...field, mode: 'NULLABLE' }, e) }));
  if (v instanceof Date) return field.type === 'DATE' ? v.toISOString().slice(0, 10) : String(BigInt(v.getTime()) * 1000n);
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

const STATEMENT_TYPES: Readonly<Record<string, string>> = {
  SELECT: 'SELECT', WITH: 'SELECT', INSERT: 'INSERT', UPDATE: 'UPDATE', DELETE: 'DELETE', MERGE: 'MERGE', TRUNCATE: 'TRUNCATE_TABLE',
  CREATE: 'CREATE_TABLE', ALTER: 'ALTER_TABLE', DROP: 'DROP_TABLE', BEGIN: 'BEGIN_TRANSACTION', COMMIT: 'COMMIT_TRANSACTION', ROLLBACK: 'ROLLBACK_TRANSACTION',
};

export function statementTypeOf(bigQuerySql: string, dialectSplit = true): string {
  const statements = dialectSplit ? splitStatements(bigQuerySql, 'mixed') : [bigQuerySql];
  if (statements.length !== 1) return 'SCRIPT';
  const k = firstKeyword(statements[0] as string);
  if (k === 'CREATE' && /^\s*CREATE\s+(OR\s+REPLACE\s+)?VIEW/i.test(statements[0] as string)) return 'CREATE_VIEW';
  return STATEMENT_TYPES[k] ?? k;
}

export interface ExecuteOptions {
  readonly connection: DuckDBConnection;
  readonly names: DatasetNames;
  readonly parameters: readonly RestQueryParameter[];
  /** Which statement's rows are the job's result in a script: LAST (default) or FIRST_SELECT. */
  readonly keyResultStatement?: string;
  readonly onTable?: (table: string, layout: FakeTableLayout) => void;
}

async function runOne(o: ExecuteOptions, duckSql: string, params: Record<string, DuckDBValue>): Promise<{ result?: QueryResult; changed: number }> {
  const bound = namedValues(duckSql, params);
  const keyword = firstKeyword(duckSql);
  if (keyword === 'SELECT' || keyword === 'WITH') {
    const reader = await o.connection.runAndReadAll(duckSql, bound);
    const types = reader.columnTypes();
    const schema = reader.columnNames().map((n, i) => restField(n, types[i] as DuckDBType));
    const rows = reader.getRowsJS().map((values) => ({ f: values.map((v, i) => ({ v: cellValue(schema[i] as RestField, v) })) }));
    return { result: { schema, rows }, changed: 0 };
  }
  const r = await o.connection.run(duckSql, bound);
  return { changed: Number(r.rowsChanged) };
}

/** A job's query parameters as DuckDB values, by name. */
export function parameterValues(parameters: readonly RestQueryParameter[]): Record<string, DuckDBValue> {
  const out: Record<string, DuckDBValue> = {};
  for (const p of parameters) out[p.name] = paramValue(p.parameterType, p.parameterValue);
  return out;
}

/** The values of `params` that `duckSql` names (DuckDB refuses extra ones). */
export function namedValues(duckSql: string, params: Record<string, DuckDBValue>): Record<string, DuckDBValue> {
  const named = new Set(Array.from(duckSql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]));
  return Object.fromEntries(Object.entries(params).filter(([k]) => named.has(k)));
}

/** Runs one job's query text; throws FakeJobFailure as BigQuery would fail the job. */
export async function executeQuery(o: ExecuteOptions, bigQuerySql: string): Promise<ExecutionResult> {
  // 'mixed': the text is ours, made BigQuery's; processors' DuckDB literals ('''s') must not open a triple-quoted string.
  const statements = splitStatements(bigQuerySql, 'mixed');
  const params = parameterValues(o.parameters);
  let inTransaction = false;
  let first: QueryResult | undefined;
  let last: QueryResult | undefined;
  let affected = 0;
  try {
    for (const [i, statement] of statements.entries()) {
      const sql = bigQueryFormsToDuckdb(fromBigQuerySql(statement, o.names)).trim();
      const where = statements.length > 1 ? ` (statement ${i + 1} of the script)` : '';
      const assertion = assertionOf(statement);
      if (assertion) {
        // ASSERT fails the job when its condition is FALSE or NULL, with the description in the message.
        const condition = bigQueryFormsToDuckdb(fromBigQuerySql(assertion.condition, o.names));
        const out = await runOne(o, `SELECT (${condition}) AS ok`, params);
        if (out.result?.rows[0]?.f[0]?.v !== 'true') throw new FakeJobFailure('invalidQuery', `${assertion.description || 'Assertion failed'}${where}`);
        continue;
      }
      if (/^BEGIN(\s+TRANSACTION)?$/i.test(sql)) {
        await o.connection.run('BEGIN TRANSACTION');
        inTransaction = true;
      } else if (/^COMMIT(\s+TRANSACTION)?$/i.test(sql)) {
        await o.connection.run('COMMIT');
        inTransaction = false;
      } else if (/^ROLLBACK(\s+TRANSACTION)?$/i.test(sql)) {
        await o.connection.run('ROLLBACK');
        inTransaction = false;
      } else if (UNSUPPORTED.test(sql)) {
        throw new FakeJobFailure('invalidQuery', `fake BigQuery runs statements on DuckDB and cannot run '${sql.slice(0, 40)}…'${where}: BigQuery scripting or routines are not supported by the fake`);
      } else {
        const created = createTableToDuckdb(sql);
        const duckSql = created?.sql ?? alterTableToDuckdb(sql) ?? sql;
        let out: { result?: QueryResult; changed: number };
        try {
          out = await runOne(o, duckSql, params);
        } catch (err) {
          const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
          // DuckDB's write-write conflict is BigQuery's "concurrent update" abort.
          if (/Conflict/i.test(message)) throw new FakeJobFailure('invalidQuery', `Transaction is aborted due to concurrent update against table${where}: ${message}`);
          throw new FakeJobFailure('invalidQuery', `${message}${where}`);
        }
        if (created) o.onTable?.(created.table, created.layout);
        affected += out.changed;
        if (out.result) {
          first ??= out.result;
          last = out.result;
        } else if (i === statements.length - 1) last = undefined;
      }
    }
    if (inTransaction && statements.length > 1) throw new FakeJobFailure('invalidQuery', 'Transaction was not committed: the script ended inside BEGIN TRANSACTION');
  } catch (err) {
    if (inTransaction) await o.connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const result = statements.length > 1 && o.keyResultStatement === 'FIRST_SELECT' ? first : last;
  return { statementType: statementTypeOf(bigQuerySql), affectedRows: affected, ...(result ? { result } : {}) };
}

/** Appends a local file to a table (a load job). */
export async function executeLoad(connection: DuckDBConnection, table: string, file: string, format: string, skipLeadingRows: number, truncate: boolean): Promise<number> {
  if (truncate) await connection.run(`DELETE FROM ${table}`);
  const sql =
    format === 'PARQUET'
      ? `INSERT INTO ${table} BY NAME SELECT * FROM read_parquet($file)`
      : `INSERT INTO ${table} SELECT * FROM read_csv($file, header = ${skipLeadingRows > 0}, all_varchar = true, auto_detect = true)`;
  const r = await connection.run(sql, { file });
  return Number(r.rowsChanged);
}

/** A rough scan size for dry runs: the DuckDB size estimate of every table the text names. */
export async function estimateBytes(instance: DuckDBInstance, duckSql: string): Promise<number> {
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT schema_name || '.' || table_name AS name, estimated_size, column_count FROM duckdb_tables()`);
    let bytes = 0;
    for (const [name, size, columns] of reader.getRowsJS()) {
      if (new RegExp(`(?<![A-Za-z0-9_])${String(name).replace('.', '\\s*\\.\\s*')}(?![A-Za-z0-9_])`, 'i').test(duckSql)) bytes += Number(size) * Number(columns) * 8;
    }
    return bytes;
  } finally {
    connection.closeSync();
  }
}
