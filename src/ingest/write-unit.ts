// The writes of an ingest as ONE atomic unit (Warehouse.script): one transaction on DuckDB, one
// transaction script job on BigQuery. Statements are collected with their own parameters; a script
// binds one set of parameters for all of its statements, so a name that two statements bind to
// different values is renamed in the later one ($from → $from_2). The texts stay plain SQL files'
// texts otherwise: every statement can still be read, tested and proven on its own.
import { assertEmpty, type Dialect } from '../warehouse/dialect-pieces.js';
import { rewriteCode } from '../warehouse/bigquery/sql-segments.js';
import type { ParamType, QueryOptions, Row, SqlParams, SqlValue, Warehouse } from '../warehouse/warehouse.js';

export interface UnitStatement {
  /** The statement as added, with its own parameter names. */
  readonly sql: string;
  readonly params: SqlParams;
}

const same = (a: SqlValue | undefined, b: SqlValue): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;

export class WriteUnit {
  private readonly texts: string[] = [];
  private readonly values: Record<string, SqlValue> = {};
  private readonly types: Record<string, ParamType> = {};
  /** Every statement with its own parameters (for tests that prove statements one by one). */
  readonly added: UnitStatement[] = [];

  constructor(readonly dialect: Dialect) {}

  /** Appends a statement; `types` declares parameters whose JS value does not say their type (NULL, empty arrays). */
  add(sql: string, params: SqlParams = {}, types: Readonly<Record<string, ParamType>> = {}): this {
    const used = new Set<string>();
    rewriteCode(sql, 'duckdb', (code) => (code.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, n: string) => (used.add(n), m))));
    const missing = [...used].filter((n) => !(n in params));
    if (missing.length > 0) throw new Error(`WriteUnit: the statement names ${missing.map((n) => `$${n}`).join(', ')} but gives no value (${sql.replace(/\s+/g, ' ').slice(0, 80)}…)`);
    const renamed = new Map<string, string>();
    for (const [name, value] of Object.entries(params)) {
      if (!used.has(name)) continue;
      let target = name;
      for (let k = 2; target in this.values && !same(this.values[target], value); k++) target = `${name}_${k}`;
      this.values[target] = value;
      const type = types[name];
      if (type) this.types[target] = type;
      if (target !== name) renamed.set(name, target);
    }
    const text = renamed.size === 0 ? sql : rewriteCode(sql, 'duckdb', (code) => code.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, n: string) => (renamed.has(n) ? `$${renamed.get(n)}` : m)));
    this.texts.push(text.trim().replace(/;\s*$/, ''));
    this.added.push({ sql, params });
    return this;
  }

  /** Fails the whole unit when `query` returns a row (an audit): ASSERT on BigQuery, error() on DuckDB. */
  assertEmpty(query: string, message: string, params: SqlParams = {}): this {
    for (const statement of assertEmpty(this.dialect, query, message)) this.add(statement, params);
    return this;
  }

  get statements(): readonly string[] {
    return this.texts;
  }

  get params(): SqlParams {
    return this.values;
  }

  get paramTypes(): Readonly<Record<string, ParamType>> {
    return this.types;
  }

  /** Runs the unit: the rows of its last statement when that is a query. */
  async run(wh: Warehouse, options: QueryOptions = {}): Promise<Row[]> {
    if (this.texts.length === 0) return [];
    return wh.script(this.texts, this.values, { ...options, paramTypes: { ...this.types, ...options.paramTypes } });
  }
}
