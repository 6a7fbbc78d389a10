// Test helper: a Warehouse that runs everything on another one and records each query and exec with
// its parameters, so that what a JS step (pred's prepare: training rows, model store) sent can be
// proven statement by statement on ZetaSQL afterwards.
import type { DryRunResult, LoadResult, QueryOptions, Row, SqlParams, TableLayouts, Warehouse } from '../../warehouse/warehouse.js';

export interface RecordedStatement {
  readonly kind: 'query' | 'exec';
  readonly sql: string;
  readonly params: SqlParams;
}

export class RecordingWarehouse implements Warehouse {
  readonly statements: RecordedStatement[] = [];
  constructor(private readonly inner: Warehouse) {}

  get dialect(): 'duckdb' | 'bigquery' {
    return this.inner.dialect;
  }
  async query<T extends Row = Row>(sql: string, params: SqlParams = {}, o?: QueryOptions): Promise<T[]> {
    this.statements.push({ kind: 'query', sql, params });
    return this.inner.query<T>(sql, params, o);
  }
  readOnlyQuery(sql: string, o?: QueryOptions): Promise<Row[]> {
    return this.inner.readOnlyQuery(sql, o);
  }
  async exec(sql: string, params: SqlParams = {}, o?: QueryOptions): Promise<void> {
    this.statements.push({ kind: 'exec', sql, params });
    await this.inner.exec(sql, params, o);
  }
  transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) => work(new RecordingSession(tx, this.statements)));
  }
  script(statements: readonly string[], params?: SqlParams, o?: QueryOptions): Promise<Row[]> {
    return this.inner.script(statements, params, o);
  }
  load(table: string, localFile: string, format: 'parquet' | 'csv', o?: QueryOptions): Promise<LoadResult> {
    return this.inner.load(table, localFile, format, o);
  }
  applyDdl(ddl: string, layouts?: TableLayouts): Promise<void> {
    return this.inner.applyDdl(ddl, layouts);
  }
  columns(table: string): Promise<readonly string[] | undefined> {
    return this.inner.columns(table);
  }
  dryRun(sql: string, params?: SqlParams, o?: QueryOptions): Promise<DryRunResult> {
    return this.inner.dryRun(sql, params, o);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The transaction's warehouse, recording into its parent's list. */
class RecordingSession extends RecordingWarehouse {
  constructor(inner: Warehouse, shared: RecordedStatement[]) {
    super(inner);
    Object.defineProperty(this, 'statements', { value: shared });
  }
}
