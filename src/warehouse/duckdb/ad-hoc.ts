// What `courtside sql` may run, judged by DuckDB's own parser, and its errors as a user should read
// them. The guarantee itself is the read-only, sandboxed database (DuckDBOpenOptions.readOnly).
import { StatementType } from '@duckdb/node-api';
import { CourtsideError, UsageError } from '../../core/errors.js';

/** Statement types that read: SELECT (also SHOW, DESCRIBE, SUMMARIZE, PRAGMA …), EXPLAIN, CALL. */
const READING: ReadonlySet<StatementType> = new Set([StatementType.SELECT, StatementType.EXPLAIN, StatementType.CALL]);

/** Refuses, before it runs, a statement whose type writes (and EXPORT, which would create a directory first). */
export function checkAdHocStatement(type: StatementType): void {
  if (READING.has(type)) return;
  throw new UsageError(
    `courtside sql is read-only: ${StatementType[type] ?? 'non-SELECT'} statements are refused (the commands that own the tables change them)`,
  );
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
