// The one interface every layer talks to. SQL uses named parameters ($name); each dialect binds them.
export type SqlValue = string | number | boolean | null | bigint | readonly string[] | readonly number[];
export type SqlParams = Readonly<Record<string, SqlValue>>;
export type Row = Record<string, unknown>;

export interface QueryOptions {
  /** Interrupt the query after this many milliseconds (QueryTimeoutError). */
  readonly timeoutMs?: number;
}

export interface Warehouse {
  readonly dialect: 'duckdb' | 'bigquery';
  /** Run a query and return its rows as plain JS values (DATE → 'YYYY-MM-DD', BIGINT → number). */
  query<T extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<T[]>;
  /**
   * Run one ad-hoc statement (a user's SQL) on a warehouse opened with access 'read': the engine
   * refuses anything that writes or reaches beyond the warehouse (UsageError). Refused outright on
   * a warehouse opened for writing.
   */
  readOnlyQuery(sql: string, options?: QueryOptions): Promise<Row[]>;
  /** Run a statement (or several separated by ';' when no params are given). */
  exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void>;
  /** Run `work` atomically: everything it writes commits together or not at all. */
  transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
