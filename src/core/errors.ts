// One root error with a machine-readable code; the CLI maps `exitCode` to the process exit status.
export class CourtsideError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Wrong flags, bad dates, missing configuration: exit code 2. */
export class UsageError extends CourtsideError {
  constructor(message: string) {
    super('USAGE', message, 2);
  }
}

/** The --db file cannot serve as the warehouse: missing, not DuckDB, not ours, busy, too new. Exit code 2. */
export class WarehouseFileError extends CourtsideError {
  readonly path: string;
  constructor(code: string, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 2, options);
    this.path = path;
  }
}

/** A source file that cannot be loaded as it is; names the file and, where known, the row. */
export class InputError extends CourtsideError {
  readonly file: string;
  readonly row: number | undefined;
  constructor(file: string, message: string, row?: number, options?: { cause?: unknown }) {
    super('BAD_INPUT', `${file}${row === undefined ? '' : `, row ${row}`}: ${message}`, 2, options);
    this.file = file;
    this.row = row;
  }
}

/** Where the warehouse writes: its file, the file's write-ahead log, or DuckDB's spill directory. */
export type StorageRole = 'database file' | 'write-ahead log' | 'temp directory';

/** The disk under one of the warehouse's storage paths is full; names the path and its role. */
export class NoSpaceError extends CourtsideError {
  readonly role: StorageRole | undefined;
  readonly path: string | undefined;
  constructor(role: StorageRole | undefined, path: string | undefined, message: string, options?: { cause?: unknown }) {
    super('NO_SPACE', message, 1, options);
    this.role = role;
    this.path = path;
  }
}

/** A warehouse query that ran past its timeout and was interrupted. */
export class QueryTimeoutError extends CourtsideError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, sql: string) {
    super('QUERY_TIMEOUT', `query interrupted after ${timeoutMs} ms: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    this.timeoutMs = timeoutMs;
  }
}

/** A failure inside a processor, with the processor and date range attached. */
export class ProcessorError extends CourtsideError {
  readonly processor: string;
  readonly from: string;
  readonly to: string;
  constructor(processor: string, from: string, to: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(cause instanceof QueryTimeoutError ? 'QUERY_TIMEOUT' : 'PROCESSING_ERROR', `${processor} ${from}..${to}: ${reason}`, 1, { cause });
    this.processor = processor;
    this.from = from;
    this.to = to;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
