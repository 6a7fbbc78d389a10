// Test helper: a Warehouse that runs nothing and records every statement the engine sends, with its
// parameters, so that the exact texts can be checked elsewhere (ZetaSQL, the differential tests).
import type { DryRunResult, LoadResult, QueryOptions, Row, SqlParams, TableLayouts, Warehouse } from '../../warehouse/warehouse.js';

export interface CapturedStatement {
  readonly kind: 'query' | 'exec' | 'script' | 'ddl';
  readonly sql: string;
  readonly params: SqlParams;
  /** For statements of a script: its index in the unit and the unit's size. */
  readonly unit?: { readonly index: number; readonly of: number };
}

export class CaptureWarehouse implements Warehouse {
  readonly statements: CapturedStatement[] = [];
  constructor(
    readonly dialect: 'duckdb' | 'bigquery',
    /** Rows a query (or a script's last query) returns, by its text. */
    private readonly answer: (sql: string) => Row[] = () => [],
  ) {}

  async query<T extends Row = Row>(sql: string, params: SqlParams = {}, _o?: QueryOptions): Promise<T[]> {
    this.statements.push({ kind: 'query', sql, params });
    return this.answer(sql) as T[];
  }
  async readOnlyQuery(sql: string): Promise<Row[]> {
    return this.query(sql);
  }
  async exec(sql: string, params: SqlParams = {}, _o?: QueryOptions): Promise<void> {
    this.statements.push({ kind: 'exec', sql, params });
  }
  async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    return work(this);
  }
  async script(statements: readonly string[], params: SqlParams = {}, _o?: QueryOptions): Promise<Row[]> {
    statements.forEach((sql, index) => this.statements.push({ kind: 'script', sql, params, unit: { index, of: statements.length } }));
    return this.answer(statements.at(-1) ?? '');
  }
  async load(): Promise<LoadResult> {
    throw new Error('CaptureWarehouse does not load files');
  }
  async applyDdl(ddl: string, _layouts?: TableLayouts): Promise<void> {
    this.statements.push({ kind: 'ddl', sql: ddl, params: {} });
  }
  /** Every table exists here, with the columns `columnsOf` gives (default: none named). */
  columnsOf: (table: string) => readonly string[] | undefined = () => [];
  async columns(table: string): Promise<readonly string[] | undefined> {
    return this.columnsOf(table);
  }
  async dryRun(sql: string): Promise<DryRunResult> {
    return { statementType: sql.trim().split(/\s+/)[0]?.toUpperCase() ?? '', totalBytesProcessed: null };
  }
  async close(): Promise<void> {}
}
