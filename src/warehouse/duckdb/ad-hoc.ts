// What `courtside sql` may run, judged by DuckDB's own parser, and its errors as a user should read
// them. The guarantee itself is the read-only, sandboxed database (DuckDBOpenOptions.readOnly).
import type { DuckDBConnection, DuckDBPreparedStatement, StatementType } from '@duckdb/node-api';
import { duckdb } from './node-api.js';
import { CourtsideError, UsageError } from '../../core/errors.js';
import { NO_STATEMENT } from '../ad-hoc-text.js';

/** Statement types that read: SELECT (also SHOW, DESCRIBE, SUMMARIZE, PRAGMA …), EXPLAIN, CALL. */
const READING: ReadonlySet<StatementType> = new Set([duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN, duckdb.StatementType.CALL]);

const EXTENSIONS = (statements: string) =>
  `courtside sql reads the warehouse only, and extensions are out of reach: ${statements} statements are refused ` +
  '(the sandbox keeps files and URLs closed whatever is loaded). Query the warehouse\'s own tables: `courtside sql "SHOW TABLES"` lists them';
const SETTINGS =
  "courtside sql runs with the warehouse's settings locked: SET statements are refused (SET, RESET, USE and SET VARIABLE). " +
  'Name tables with their schema instead of USE, e.g. nba_analytics.player_game_summary';

/**
 * Why a statement type that writes nothing is refused, and what to do instead, where "read-only"
 * alone would not say it (DuckDB's type name is not the statement written: INSTALL is a LOAD, USE a SET).
 */
const REFUSALS: ReadonlyMap<StatementType, string> = new Map([
  [duckdb.StatementType.LOAD, EXTENSIONS('INSTALL and LOAD')],
  [duckdb.StatementType.UPDATE_EXTENSIONS, EXTENSIONS('UPDATE EXTENSIONS')],
  [duckdb.StatementType.ATTACH, 'courtside sql reads this warehouse only: ATTACH statements are refused (to query another Courtside warehouse, give its path with --db)'],
  [duckdb.StatementType.DETACH, 'courtside sql reads this warehouse only: DETACH statements are refused (--db chooses the warehouse it reads)'],
  [duckdb.StatementType.SET, SETTINGS],
  [duckdb.StatementType.VARIABLE_SET, SETTINGS],
  [duckdb.StatementType.TRANSACTION, 'courtside sql runs one read-only statement on its own: transaction statements (BEGIN, COMMIT, ROLLBACK) are refused; give the query itself'],
  [duckdb.StatementType.PREPARE, 'courtside sql runs one statement per call: PREPARE statements are refused (the prepared statement would be gone before an EXECUTE); give the query itself'],
]);

/**
 * Refuses, before it runs, a statement whose type writes (and EXPORT, which would create a
 * directory first), or that reaches beyond one query on this warehouse (extensions, other
 * databases, settings, transactions).
 */
export function checkAdHocStatement(type: StatementType): void {
  if (READING.has(type)) return;
  throw new UsageError(
    REFUSALS.get(type) ?? `courtside sql is read-only: ${duckdb.StatementType[type] ?? 'non-SELECT'} statements are refused (the commands that own the tables change them)`,
  );
}

/** The refusal of a text DuckDB reads as `count` statements (never 1). */
export function statementCountError(count: number): UsageError {
  if (count === 0) return new UsageError(NO_STATEMENT);
  return new UsageError(
    `courtside sql runs exactly one statement per call; DuckDB reads ${count} in this text ` +
      "(statements separated by ';', or a PIVOT without IN (…), which DuckDB expands into two): run them one at a time",
  );
}

/** Our tables all live in schemas, so DuckDB's SHOW TABLES (the default schema only) would list nothing. */
export const SHOW_TABLES_SQL = `SELECT schema_name || '.' || table_name AS name, 'table' AS type, column_count AS columns
FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
UNION ALL
SELECT schema_name || '.' || view_name, 'view', column_count
FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary
ORDER BY name`;

interface SerializedSelect {
  readonly statements?: readonly {
    readonly node?: { readonly type?: string; readonly where_clause?: unknown; readonly modifiers?: readonly unknown[]; readonly from_table?: { readonly type?: string; readonly table_name?: string; readonly show_type?: string } };
  }[];
}

/** True for a plain `SHOW TABLES`, as DuckDB's parser sees it (comments, case and spacing aside). */
export async function isShowTables(connection: DuckDBConnection, sql: string, prepared: DuckDBPreparedStatement): Promise<boolean> {
  // Cheap gate first: SHOW TABLES yields exactly one column, `name`.
  if (prepared.statementType !== duckdb.StatementType.SELECT || prepared.columnCount !== 1 || prepared.columnName(0) !== 'name') return false;
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql(CAST($sql AS VARCHAR)) AS tree', { sql }, { sql: duckdb.VARCHAR });
  const tree = JSON.parse(String(reader.getRowsJS()[0]?.[0] ?? '{}')) as SerializedSelect;
  const node = tree.statements?.length === 1 ? tree.statements[0]?.node : undefined;
  const from = node?.from_table;
  return node?.type === 'SELECT_NODE' && node.where_clause === null && (node.modifiers ?? []).length === 0
    && from?.type === 'SHOW_REF' && from.table_name === '"tables"' && from.show_type === 'SHOW_UNQUALIFIED';
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** DuckDB's error for a user's statement, as a Courtside error with the exit code it deserves. */
export function adHocError(err: unknown): Error {
  if (err instanceof CourtsideError) return err;
  const message = firstLine(err);
  if (/read-only mode/i.test(message)) {
    return new UsageError(`courtside sql is read-only: the statement would write to the warehouse, and DuckDB refused it (${message})`);
  }
  if (/^Permission Error/i.test(message) || /disabled (by|through) configuration/i.test(message)) {
    return new UsageError(`courtside sql reads the warehouse only: files, URLs and extensions are out of reach (${message})`);
  }
  if (/^(Parser|Catalog|Binder|Invalid Input|Not implemented|Conversion|Invalid type) Error/i.test(message) || /^Failed to (extract|prepare)/i.test(message)) {
    return new UsageError(`invalid SQL: ${message.replace(/^Failed to (extract|prepare) statements?: /i, '')}`);
  }
  return new CourtsideError('QUERY_FAILED', `query failed: ${message}`, 1, { cause: err });
}
