// The one interface every layer talks to. SQL uses named parameters ($name); each dialect binds them.
export type SqlValue = string | number | boolean | null | bigint | readonly string[] | readonly number[];
export type SqlParams = Readonly<Record<string, SqlValue>>;
export type Row = Record<string, unknown>;

/**
 * A parameter's SQL type where the value alone does not say it: NULL, a DATE or TIMESTAMP passed as
 * text, an integral number meant as FLOAT64, an empty array. BigQuery needs it; DuckDB ignores it
 * (our SQL casts: `CAST($d AS DATE)`).
 */
export type ParamType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'NUMERIC' | 'ARRAY<STRING>' | 'ARRAY<INT64>' | 'ARRAY<FLOAT64>';

export interface QueryOptions {
  /** Interrupt the query after this many milliseconds (QueryTimeoutError). BigQuery: jobTimeoutMs, then jobs.cancel. */
  readonly timeoutMs?: number;
  /** Job labels on BigQuery (run_id, processor, command); keys and values are normalised to BigQuery's rules. DuckDB ignores them. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Declared types of parameters whose JS value is ambiguous (see ParamType). */
  readonly paramTypes?: Readonly<Record<string, ParamType>>;
}

/** Partitioning and clustering of one table on BigQuery (DuckDB has neither). */
export interface TableLayout {
  /** A DATE column: one partition per day. */
  readonly partitionBy?: string;
  /** Up to four columns, most selective filter first. */
  readonly clusterBy?: readonly string[];
}

/** Layout per `schema.table` (the names our DDL uses). */
export type TableLayouts = Readonly<Record<string, TableLayout>>;

export interface LoadResult {
  /** Rows the load added to the table. */
  readonly rows: number;
}

export interface DryRunResult {
  /** SELECT, INSERT, MERGE, SCRIPT … (BigQuery's names; DuckDB's statement type otherwise). */
  readonly statementType: string;
  /** Bytes the statement would scan; null where the engine cannot say (DuckDB). */
  readonly totalBytesProcessed: number | null;
}

/**
 * A query's result by column: names in select order, and each column's values in row order (an
 * array, or a Float64Array where a column holds only numbers: DuckDB's DOUBLE columns without NULLs).
 */
export interface ColumnarResult {
  readonly names: readonly string[];
  readonly columns: readonly ArrayLike<unknown>[];
  readonly rows: number;
}

export interface Warehouse {
  readonly dialect: 'duckdb' | 'bigquery';
  /** Run a query and return its rows as plain JS values (DATE → 'YYYY-MM-DD', BIGINT → number). */
  query<T extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<T[]>;
  /**
   * The same result by column: each column's values in row order, the same plain values `query`
   * gives. For a numeric read of many rows (a model's training rows): no object per row. Optional —
   * a warehouse without it is read with `query` (see `queryColumns` in query-columns.ts).
   */
  queryColumns?(sql: string, params?: SqlParams, options?: QueryOptions): Promise<ColumnarResult>;
  /**
   * Run one ad-hoc statement (a user's SQL) on a warehouse opened with access 'read': the engine
   * refuses anything that writes or reaches beyond the warehouse (UsageError). Refused outright on
   * a warehouse opened for writing.
   */
  readOnlyQuery(sql: string, options?: QueryOptions): Promise<Row[]>;
  /** Run a statement (or several separated by ';' when no params are given). */
  exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void>;
  /**
   * Run `work` atomically: everything it writes commits together or not at all. On BigQuery every
   * call inside is its own job (a session transaction): prefer `script` where the job count matters.
   */
  transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T>;
  /**
   * Run `statements` atomically as one unit and return the rows of the last one if it is a query
   * (SELECT/WITH; no other statement may be a bare query). DuckDB: one transaction on one connection.
   * BigQuery: ONE multi-statement script job `BEGIN TRANSACTION; …; COMMIT TRANSACTION;`.
   * `CREATE TEMP TABLE x AS …` is allowed (it lives until the unit ends). Statements carry no
   * trailing ';'. The same `params` are bound in every statement that names them.
   */
  script(statements: readonly string[], params?: SqlParams, options?: QueryOptions): Promise<Row[]>;
  /**
   * Append a local Parquet or CSV file (CSV: header row, columns in table order) to `table`
   * (`schema.table`). BigQuery: one load job (never row-by-row inserts); DuckDB: read_parquet/COPY.
   */
  load(table: string, localFile: string, format: 'parquet' | 'csv', options?: QueryOptions): Promise<LoadResult>;
  /**
   * Create schemas and tables from our DDL (DuckDB dialect, CREATE … IF NOT EXISTS). DuckDB runs it
   * as written; BigQuery renders it (types, PARTITION BY / CLUSTER BY from `layouts`) and creates
   * missing datasets first.
   */
  applyDdl(ddl: string, layouts?: TableLayouts): Promise<void>;
  /**
   * The columns of `schema.table` (a table or view) in order, or undefined when there is none. From the
   * catalog: DuckDB's information_schema, BigQuery's tables.get (an API call, no query job; BigQuery's
   * INFORMATION_SCHEMA is per dataset and region, so no one query text reads both).
   */
  columns(table: string): Promise<readonly string[] | undefined>;
  /**
   * Write what is committed so far into the warehouse file now, while later work goes on, instead
   * of all of it when the warehouse closes. Optional: a warehouse without a log to fold in (BigQuery)
   * has none. Never throws (a failed early checkpoint leaves the work to the closing one); resolves
   * when the checkpoint has finished or been skipped.
   */
  checkpointCommitted?(): Promise<void>;
  /**
   * While on, a commit that leaves more than a few MB in the log writes the file at once instead
   * (DuckDB's automatic checkpoint), rather than logging its rows now and writing them again when
   * the warehouse closes: for a run's last writes, which the close would checkpoint right after.
   * Optional, like checkpointCommitted, and like it never throws.
   */
  checkpointAtCommit?(on: boolean): Promise<void>;
  /** Validate a statement without running it; BigQuery also says how many bytes it would scan. */
  dryRun(sql: string, params?: SqlParams, options?: QueryOptions): Promise<DryRunResult>;
  close(): Promise<void>;
}
