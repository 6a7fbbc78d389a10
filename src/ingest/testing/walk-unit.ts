// Test helper (ZetaSQL suites only): proves every statement of an atomic unit (a WriteUnit) on
// BigQuery's analyzer and evaluator, in the order the unit runs them. The whole BigQuery script is
// analyzed once, as BigQuery receives it (BEGIN … COMMIT, the unit's renamed parameters); then each
// statement is evaluated on the tables as the statements before it left them — a DuckDB database
// walks the unit, and before each statement its tables are the fixtures of both engines:
//   INSERT / UPDATE / DELETE  differentialWrite (the rows written, volatile timestamps left out)
//   CREATE TEMP TABLE … AS    its SELECT by differential (then a table of the walk)
//   MERGE                     its USING source by differential (this ZetaSQL cannot run MERGE)
//   ASSERT (assertEmpty)      its condition by differential: TRUE on both
//   SELECT                    differential
// Views are tables on the ZetaSQL side holding what DuckDB's view returns at that point (their own
// SQL is proven apart); temp tables are evaluated as `nba_staging.<name>` (only their name changes).
import assert from 'node:assert/strict';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { tablesOf, type TableDef } from '../../warehouse/bigquery/parse-ddl.js';
import { rewriteCode } from '../../warehouse/bigquery/sql-segments.js';
import { assertionOf } from '../../warehouse/bigquery/testing/bigquery-forms.js';
import { completeRow, differential, differentialWrite, mergeSource } from '../../warehouse/bigquery/zetasql/differential.js';
import type { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import { firstKeyword } from '../../warehouse/statement-kind.js';
import type { Row, SqlParams, SqlValue } from '../../warehouse/warehouse.js';
import type { UnitStatement, WriteUnit } from '../write-unit.js';

export interface Walk {
  readonly zeta: ZetaSql;
  /** Tables (our DDL dialect) the unit reads and writes. */
  readonly ddl: string;
  /** CREATE VIEW statements (DuckDB runs them; ZetaSQL sees their rows as tables). */
  readonly views: string;
  /** Rows per `schema.table` before the unit (NOT NULL columns left out are completed). */
  readonly fixtures: Readonly<Record<string, readonly Row[]>>;
  /** The same unit built for each dialect (they differ in assertEmpty's statements only). */
  readonly duckdb: WriteUnit;
  readonly bigquery: WriteUnit;
  /** Columns whose values are the moment of writing (current_timestamp): left out of comparisons. */
  readonly volatile: readonly string[];
  /** JSON columns: compared as JSON (BigQuery's JSON type keeps an object's keys sorted, DuckDB's as written). */
  readonly json?: readonly string[];
  /** A name per statement for the coverage list. */
  readonly name: (index: number, sql: string) => string;
}

export interface WalkResult {
  /** The DuckDB database the unit ran on (the caller closes it). */
  readonly duck: DuckDBWarehouse;
  /** Statement names, one per statement proven. */
  readonly covered: string[];
  /** Per statement, what ZetaSQL gave (rows written, or returned). */
  readonly results: Row[][];
}

const TEMP_CREATE = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+/i;

/** The statement without the comments that lead it (SQL files start with a comment on their grain). */
const withoutLeadingComments = (sql: string): string => sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))+/, '').trim();

/** A DuckDB result type as our DDL names it (sum() of a BIGINT is a HUGEINT on DuckDB, an INT64 on BigQuery). */
function duckType(t: string): string {
  if (/^(DECIMAL|NUMERIC)/i.test(t)) return t;
  if (/^(HUGEINT|UHUGEINT|UBIGINT|UINTEGER|SMALLINT|TINYINT|USMALLINT|UTINYINT)$/i.test(t)) return 'BIGINT';
  if (/^FLOAT$/i.test(t)) return 'DOUBLE';
  return t.replace(/^STRUCT.*/i, 'VARCHAR');
}

async function describe(duck: DuckDBWarehouse, relation: string, as: string): Promise<string> {
  const cols = await duck.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${relation})`);
  return `CREATE TABLE IF NOT EXISTS ${as} (${cols.map((c) => `${c.column_name} ${duckType(c.column_type)}`).join(', ')});`;
}

async function insertRows(duck: DuckDBWarehouse, def: TableDef, rows: readonly Row[]): Promise<void> {
  for (const partial of rows) {
    const row = completeRow(def, partial);
    const names = def.columns.map((c) => c.name);
    const params: Record<string, SqlValue> = {};
    names.forEach((n, i) => (params[`c${i}`] = (row[n] ?? null) as SqlValue));
    await duck.exec(`INSERT INTO ${def.schema}.${def.name} (${names.join(', ')}) VALUES (${names.map((_n, i) => `$c${i}`).join(', ')})`, params);
  }
}

/** `INSERT INTO t (…) <query>` → the query. */
function insertQuery(statement: string): string {
  const sql = statement.replace(/^(\s*--[^\n]*\n)+/, '');
  const m = /^\s*INSERT\s+INTO\s+[A-Za-z_][A-Za-z0-9_.]*\s*\(/i.exec(sql);
  if (!m) throw new Error(`not an INSERT … (columns) query: ${sql.slice(0, 80)}`);
  let depth = 1;
  let i = m[0].length;
  for (; i < sql.length && depth > 0; i++) {
    if (sql[i] === '(') depth++;
    if (sql[i] === ')') depth--;
  }
  return sql.slice(i).trim();
}

export async function walkUnit(w: Walk): Promise<WalkResult> {
  // DuckDB's assertEmpty is two statements (count the violations, then error() on one), BigQuery's one
  // ASSERT: the pair is one step of the walk.
  const duckSteps: UnitStatement[][] = [];
  for (const s of w.duckdb.added) {
    const last = duckSteps.at(-1);
    if (last && /^\s*SET VARIABLE courtside_assert_rows\b/.test(last.at(-1)?.sql ?? '')) last.push(s);
    else duckSteps.push([s]);
  }
  assert.equal(duckSteps.length, w.bigquery.added.length, 'both units have the same steps');
  const duck = await DuckDBWarehouse.open(':memory:');
  await duck.applyDdl(w.ddl);
  const tables = tablesOf(w.ddl);
  for (const [name, rows] of Object.entries(w.fixtures)) {
    const def = tables.get(name);
    if (!def) throw new Error(`fixture ${name} has no CREATE TABLE`);
    await insertRows(duck, def, rows);
  }
  await duck.applyDdl(w.views);
  const viewNames = [...w.views.matchAll(/CREATE\s+OR\s+REPLACE\s+VIEW\s+([a-z_]+\.[a-z_]+)/gi)].map((m) => m[1] as string);
  let viewDdl = '';
  for (const v of viewNames) viewDdl += `${await describe(duck, v, v)}\n`;

  // The whole script, as BigQuery receives it (views as tables: ZetaSQL's catalog has no views).
  const analyzed = await w.zeta.analyze(['BEGIN TRANSACTION', ...w.bigquery.statements, 'COMMIT TRANSACTION'].join(';\n'), [...tablesOf(`${w.ddl}\n${viewDdl}`).values()], w.bigquery.params, w.bigquery.paramTypes);
  assert.equal(analyzed.length, w.bigquery.statements.length + 2);

  const temps = new Map<string, string>(); // temp table → its DDL as nba_staging.<name>
  const renameTemps = (sql: string): string => {
    if (temps.size === 0) return sql;
    const re = new RegExp(`(?<![A-Za-z0-9_.])(${[...temps.keys()].join('|')})(?![A-Za-z0-9_])`, 'g');
    return rewriteCode(sql, 'duckdb', (code) => code.replace(re, 'nba_staging.$1'));
  };
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
  const asJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.stringify(sortKeys(JSON.parse(v))) : v);
  const normalize = (rows: Row[]): Row[] =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, w.volatile.includes(k) ? null : w.json?.includes(k) ? asJson(v) : v])));
  const covered: string[] = [];
  const results: Row[][] = [];
  for (const [i, steps] of duckSteps.entries()) {
    const own = steps.at(-1) as UnitStatement;
    const bq = w.bigquery.added[i];
    if (!bq) throw new Error(`statement ${i} missing in the BigQuery unit`);
    const evalDdl = `${w.ddl}\n${viewDdl}\n${[...temps.values()].join('\n')}`;
    const snapshot: Record<string, Row[]> = {};
    for (const name of tablesOf(evalDdl).keys()) {
      const temp = name.startsWith('nba_staging.') && temps.has(name.slice('nba_staging.'.length));
      snapshot[name] = await duck.query(`SELECT * FROM ${temp ? name.slice('nba_staging.'.length) : name}`);
    }
    const params = own.params as SqlParams;
    const name = w.name(i, own.sql);
    const where = `statement ${i + 1} (${name})`;
    const kind = firstKeyword(bq.sql);
    const text = withoutLeadingComments(bq.sql);
    const temp = TEMP_CREATE.exec(text);
    const assertion = assertionOf(text);
    let zetaRows: Row[] = [];
    if (temp) {
      const r = await differential(w.zeta, { ddl: evalDdl, fixtures: snapshot, sql: renameTemps(text.slice(temp[0].length)), params });
      assert.equal(r.mismatch, undefined, `${where}: ${r.mismatch}`);
      zetaRows = r.zetasql;
    } else if (assertion) {
      const r = await differential(w.zeta, { ddl: evalDdl, fixtures: snapshot, sql: `SELECT ${renameTemps(assertion.condition)} AS ok`, params });
      assert.equal(r.mismatch, undefined, `${where}: ${r.mismatch}`);
      assert.deepEqual(r.zetasql, [{ ok: true }], `${where}: the audit passes`);
      zetaRows = r.zetasql;
    } else if (kind === 'MERGE') {
      const r = await differential(w.zeta, { ddl: evalDdl, fixtures: snapshot, sql: renameTemps(mergeSource(bq.sql)), params });
      assert.equal(r.mismatch, undefined, `${where}: ${r.mismatch}`);
      zetaRows = r.zetasql;
    } else if (kind === 'SELECT' || kind === 'WITH') {
      const r = await differential(w.zeta, { ddl: evalDdl, fixtures: snapshot, sql: renameTemps(bq.sql), params });
      assert.equal(r.mismatch, undefined, `${where}: ${r.mismatch}`);
      zetaRows = r.zetasql;
    } else {
      try {
        const r = await differentialWrite(w.zeta, { ddl: evalDdl, fixtures: snapshot, sql: renameTemps(bq.sql), params, normalize });
        assert.equal(r.mismatch, undefined, `${where}: ${r.mismatch}`);
        zetaRows = r.zetasql;
      } catch (err) {
        // This build's evaluator fails ("Missing name") on some INSERT … WITH: its query is compared instead.
        if (kind !== 'INSERT' || !/Missing name/.test(String(err))) throw err;
        // (its columns are unnamed: the moment of writing is taken out by its text)
        const query = insertQuery(bq.sql).replace(/CAST\(current_timestamp AS TIMESTAMP\)/g, 'CAST(NULL AS TIMESTAMP)');
        const r = await differential(w.zeta, { ddl: evalDdl, fixtures: snapshot, sql: renameTemps(query), params });
        assert.equal(r.mismatch, undefined, `${where} (its query): ${r.mismatch}`);
        zetaRows = r.zetasql;
      }
    }
    for (const step of steps) await duck.exec(step.sql, step.params as SqlParams);
    if (temp) temps.set(temp[1] as string, await describe(duck, temp[1] as string, `nba_staging.${temp[1]}`));
    covered.push(name);
    results.push(zetaRows);
  }
  return { duck, covered, results };
}
