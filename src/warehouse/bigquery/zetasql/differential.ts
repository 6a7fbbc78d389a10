// The differential check: one SQL text (our dialect: $name parameters), the same fixture tables,
// run on DuckDB and on ZetaSQL (BigQuery's reference evaluator); the rows must be equal — exactly for
// integers, strings, dates, booleans and NUMERIC, within a stated tolerance for FLOAT64, JSON as JSON
// values (key order and number spelling aside: BigQuery keeps neither). The first
// difference is reported with its row and column, so a failing test says what to fix.
//
// Use it for every statement the product sends (issue 8, part 2):
//   const zeta = await ZetaSql.start();                  // once per test file
//   const diff = await differential(zeta, { ddl, fixtures: { 'nba_analytics.player_game_summary': rows }, sql, params });
//   assert.equal(diff.mismatch, undefined, diff.mismatch);
// Writes: differentialWrite() compares the rows an INSERT/UPDATE/DELETE touches. MERGE: analyze it
// (zeta.analyze) and evaluate its USING source with differential() — the evaluator cannot run MERGE.
import { createHash } from 'node:crypto';
import { DuckDBWarehouse } from '../../duckdb/duckdb-warehouse.js';
import type { ParamType, Row, SqlParams, SqlValue } from '../../warehouse.js';
import { firstKeyword } from '../../statement-kind.js';
import { tablesOf, type TableDef } from '../parse-ddl.js';
import type { Fixture, ResultColumn, ZetaSql } from './zetasql-server.js';

export interface DifferentialCase {
  /** CREATE SCHEMA / CREATE TABLE statements in our DDL dialect (as in the schema.ts files). */
  readonly ddl: string;
  /** Rows per `schema.table`, values as the warehouse returns them ('YYYY-MM-DD' dates, numbers…). */
  readonly fixtures: Readonly<Record<string, readonly Row[]>>;
  /** One query, our dialect. */
  readonly sql: string;
  readonly params?: SqlParams;
  readonly paramTypes?: Readonly<Record<string, ParamType>>;
  /** Compare rows in order (the query has an ORDER BY that fixes it); default: as multisets. */
  readonly ordered?: boolean;
  /** Relative tolerance for FLOAT64 columns (default 1e-9). */
  readonly floatTolerance?: number;
}

export interface DifferentialResult {
  readonly duckdb: Row[];
  readonly zetasql: Row[];
  readonly columns: readonly ResultColumn[];
  /** undefined when both engines gave the same rows; otherwise the first difference, in words. */
  readonly mismatch?: string;
}

/** Parameters per fixture INSERT: a statement per row cost ~1.5 ms (3+ s for pred's 2,100-row fixture). */
const PARAMS_PER_INSERT = 4000;

async function insertFixture(wh: DuckDBWarehouse, def: TableDef, rows: readonly Row[]): Promise<void> {
  // A list is bound as JSON text and cast to the column's type: bound as a JS array, its element type
  // would be guessed from its first element (a DOUBLE[] starting with 24 would be an INTEGER[]).
  // Every value is cast to its column's type where it stands, as a one-row INSERT casts it: a
  // many-row VALUES would otherwise first give each column one type common to all its rows.
  const names = def.columns.map((c) => c.name);
  const perInsert = Math.max(1, Math.floor(PARAMS_PER_INSERT / Math.max(1, names.length)));
  for (let start = 0; start < rows.length; start += perInsert) {
    const params: Record<string, SqlValue> = {};
    const tuples = rows.slice(start, start + perInsert).map((row, r) => {
      const values = def.columns.map((c, i) => {
        const v = row[c.name] ?? null;
        const name = `r${r}c${i}`;
        params[name] = (c.type.array && v !== null ? JSON.stringify(v) : v) as SqlValue;
        return c.type.array ? `CAST(CAST($${name} AS JSON) AS ${c.sourceType})` : `CAST($${name} AS ${c.sourceType})`;
      });
      return `(${values.join(', ')})`;
    });
    await wh.exec(`INSERT INTO ${def.schema}.${def.name} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** BigQuery's name of an unaliased result column (the n-th: f<n>_). */
const ANONYMOUS = /^f\d+_$/;

const canonical = (row: Row, columns: readonly string[]) => JSON.stringify(columns.map((c) => row[c] ?? null));

function sameValue(a: unknown, b: unknown, isFloat: boolean, tolerance: number): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i], isFloat, tolerance));
  if (typeof a === 'number' && typeof b === 'number') {
    if (!isFloat) return a === b;
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * JSON values compare as JSON: BigQuery's JSON type keeps no key order and no number spelling (its
 * `{"a":1}` is DuckDB's `{"b":…,"a":1.00}` with the keys sorted), so text equality would test formatting.
 */
function sameJson(a: unknown, b: unknown): boolean {
  const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
  const same = (x: unknown, y: unknown): boolean => {
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return x === y;
    if (Array.isArray(x) || Array.isArray(y)) return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((e, i) => same(e, y[i]));
    const [kx, ky] = [Object.keys(x).sort(), Object.keys(y).sort()];
    return kx.length === ky.length && kx.every((k, i) => k === ky[i] && same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
  };
  return same(parse(a), parse(b));
}

function isFloatType(t: ResultColumn['type']): boolean {
  return t.typeKind === 'TYPE_DOUBLE' || t.typeKind === 'TYPE_FLOAT' || (t.typeKind === 'TYPE_ARRAY' && isFloatType(t.arrayType?.elementType ?? { typeKind: '' }));
}

/**
 * The first difference between two result sets, or undefined. Columns are matched by position; a
 * name must match too unless ZetaSQL's is anonymous (an unaliased expression: BigQuery calls it
 * f0_, DuckDB spells the expression), which the comparison then takes from DuckDB.
 */
export function firstDifference(duck: readonly Row[], zeta: readonly Row[], columns: readonly ResultColumn[], ordered: boolean, tolerance: number): string | undefined {
  const duckNames = Object.keys(duck[0] ?? {});
  if (duck.length > 0 && duckNames.length !== columns.length) return `column count differs: duckdb (${duckNames.join(', ')}) vs zetasql (${columns.map((c) => c.name || '<anonymous>').join(', ')})`;
  for (const [i, c] of columns.entries()) {
    if (duck.length > 0 && c.name !== '' && !ANONYMOUS.test(c.name) && c.name !== duckNames[i]) return `column ${i + 1} is named ${JSON.stringify(duckNames[i])} on duckdb and ${JSON.stringify(c.name)} on zetasql`;
  }
  const names = columns.map((c, i) => duckNames[i] ?? c.name);
  const zetaRows = zeta.map((row) => Object.fromEntries(columns.map((c, i) => [names[i] as string, row[c.name]])));
  if (duck.length !== zeta.length) return `row count differs: duckdb ${duck.length}, zetasql ${zeta.length}`;
  const sort = (rows: readonly Row[]) => (ordered ? [...rows] : [...rows].sort((a, b) => canonical(a, names).localeCompare(canonical(b, names))));
  const [d, z] = [sort(duck), sort(zetaRows)];
  for (let i = 0; i < d.length; i++) {
    for (const [k, c] of columns.entries()) {
      const name = names[k] as string;
      const a = d[i]?.[name];
      const b = z[i]?.[name];
      const equal = c.type.typeKind === 'TYPE_JSON' && a !== null && a !== undefined && b !== null && b !== undefined ? sameJson(a, b) : sameValue(a, b, isFloatType(c.type), tolerance);
      if (!equal) {
        return `row ${i + 1}${ordered ? '' : ' (rows sorted)'}, column ${name}: duckdb ${JSON.stringify(a)}, zetasql ${JSON.stringify(b)}\n  duckdb row:  ${JSON.stringify(d[i])}\n  zetasql row: ${JSON.stringify(z[i])}`;
      }
    }
  }
  return undefined;
}

/** A fresh in-memory DuckDB with the case's tables and fixture rows. */
async function loadFixtures(ddl: string, fixtures: readonly Fixture[]): Promise<DuckDBWarehouse> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    await wh.applyDdl(ddl);
    for (const f of fixtures) await insertFixture(wh, f.def, f.rows);
    return wh;
  } catch (err) {
    await wh.close();
    throw err;
  }
}

/**
 * The fixture databases read last (least recently read first), by content: the DDL and every value
 * with its JS type. A test's queries mostly read one fixture (pred's ~12 read its inputs), and loading
 * it is most of a query's cost on DuckDB (~1 s for 2,100 rows, the query tens of ms). Only queries
 * read a kept database (DuckDB must call the statement a SELECT): nothing they run changes it, so
 * each sees exactly the rows a fresh load gives. Writes always get a fresh one.
 */
interface Loaded {
  readonly key: string;
  readonly wh: Promise<DuckDBWarehouse>;
  users: number;
  evicted: boolean;
}
const KEPT = 8;
const kept: Loaded[] = [];

function fixtureKey(ddl: string, fixtures: readonly Fixture[]): string {
  const h = createHash('sha256').update(ddl);
  const typed = (v: unknown): string =>
    v === null || v === undefined ? 'n' : v instanceof Date ? `d${v.toISOString()}` : typeof v === 'bigint' ? `b${v}` : `${Array.isArray(v) ? 'a' : typeof v}${JSON.stringify(v)}`;
  for (const f of fixtures) {
    h.update(`\u0000${f.def.schema}.${f.def.name}:${f.rows.length}`);
    for (const row of f.rows) for (const c of f.def.columns) h.update(`\u0001${typed(row[c.name])}`);
  }
  return h.digest('hex');
}

/** Closes a database no longer kept once nobody reads it (a failed load has nothing to close). */
async function closeUnused(l: Loaded): Promise<void> {
  if (l.evicted && l.users === 0) await (await l.wh.catch(() => undefined))?.close();
}

/** The rows DuckDB gives for the case's query, on its fixture loaded once (see `kept`) or afresh. */
async function duckdbRows(c: DifferentialCase, fixtures: readonly Fixture[]): Promise<Row[]> {
  const key = fixtureKey(c.ddl, fixtures);
  const hit = kept.findIndex((k) => k.key === key);
  const l: Loaded = hit >= 0 ? (kept.splice(hit, 1)[0] as Loaded) : { key, wh: loadFixtures(c.ddl, fixtures), users: 0, evicted: false };
  kept.push(l);
  l.users++;
  try {
    const wh = await l.wh;
    if ((await wh.dryRun(c.sql, c.params)).statementType === 'SELECT') return await wh.query(c.sql, c.params);
    // not a query: a database of its own
    const fresh = await loadFixtures(c.ddl, fixtures);
    try {
      return await fresh.query(c.sql, c.params);
    } finally {
      await fresh.close();
    }
  } catch (err) {
    const at = kept.indexOf(l);
    if (at >= 0) {
      kept.splice(at, 1); // a failed load or query: not kept
      l.evicted = true;
    }
    throw err;
  } finally {
    while (kept.length > KEPT) {
      const old = kept.shift() as Loaded;
      old.evicted = true;
      await closeUnused(old);
    }
    l.users--;
    await closeUnused(l);
  }
}

/** Runs the case on DuckDB (its fixture loaded into an in-memory database) and on ZetaSQL and compares the rows. */
export async function differential(zeta: ZetaSql, c: DifferentialCase): Promise<DifferentialResult> {
  const tables = tablesOf(c.ddl);
  for (const name of Object.keys(c.fixtures)) if (!tables.has(name)) throw new Error(`fixture ${name} has no CREATE TABLE in the case's DDL`);
  const fixtures: Fixture[] = [...tables.entries()].map(([name, def]) => ({ def, rows: c.fixtures[name] ?? [] }));
  // the engines side by side: ZetaSQL evaluates in its own process while DuckDB loads and answers here
  const [duckdb, z] = await Promise.all([duckdbRows(c, fixtures), zeta.evaluateQuery(c.sql, fixtures, c.params, c.paramTypes)]);
  const mismatch = firstDifference(duckdb, z.rows, z.columns, c.ordered === true, c.floatTolerance ?? 1e-9);
  return { duckdb, zetasql: z.rows, columns: z.columns, ...(mismatch ? { mismatch } : {}) };
}

/** Neutral values for NOT NULL columns a fixture row leaves out (so fixtures name only what matters). */
export function completeRow(def: TableDef, partial: Row): Row {
  const row: Row = {};
  for (const c of def.columns) {
    if (c.name in partial) row[c.name] = partial[c.name];
    else if (!c.notNull) row[c.name] = null;
    else if (c.type.array) row[c.name] = [];
    else {
      const neutral: Record<string, unknown> = { STRING: '', INT64: 0, FLOAT64: 0, BOOL: false, DATE: '1970-01-01', TIMESTAMP: '1970-01-01T00:00:00.000Z', JSON: '{}', NUMERIC: 0, BIGNUMERIC: 0 };
      row[c.name] = neutral[c.type.base];
    }
  }
  for (const k of Object.keys(partial)) if (!def.columns.some((c) => c.name === k)) throw new Error(`fixture row names ${k}, which is not a column of ${def.schema}.${def.name}`);
  return row;
}

export interface WriteDifferentialResult {
  /** The table written, as `schema.table`. */
  readonly table: string;
  /** Rows the statement inserted or updated (their new values), or the keys of the rows it deleted. */
  readonly duckdb: Row[];
  readonly zetasql: Row[];
  readonly mismatch?: string;
}

const multisetKey = (row: Row, columns: readonly string[]) => JSON.stringify(columns.map((c) => row[c] ?? null));

/** Rows of `a` not in `b`, as multisets. */
function minus(a: readonly Row[], b: readonly Row[], columns: readonly string[]): Row[] {
  const left = new Map<string, number>();
  for (const r of b) left.set(multisetKey(r, columns), (left.get(multisetKey(r, columns)) ?? 0) + 1);
  return a.filter((r) => {
    const k = multisetKey(r, columns);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    return n === 0;
  });
}

/**
 * The differential check for one INSERT, UPDATE or DELETE: on DuckDB the rows the statement added
 * or changed (or, for a DELETE, the keys of the rows it removed), on ZetaSQL what EvaluateModify
 * reports; equal as multisets. `normalize` may map both sides' rows first (e.g. a hash column,
 * whose values differ between engines by design, to its equality classes).
 */
export async function differentialWrite(zeta: ZetaSql, c: Omit<DifferentialCase, 'ordered' | 'floatTolerance'> & { readonly normalize?: (rows: Row[]) => Row[] }): Promise<WriteDifferentialResult> {
  const tables = tablesOf(c.ddl);
  for (const name of Object.keys(c.fixtures)) if (!tables.has(name)) throw new Error(`fixture ${name} has no CREATE TABLE in the case's DDL`);
  const fixtures: Fixture[] = [...tables.entries()].map(([name, def]) => ({ def, rows: c.fixtures[name] ?? [] }));
  // This build's EvaluateModify kills its server on an INSERT or UPDATE of a table with a primary key.
  // BigQuery does not enforce keys (NOT ENFORCED), so those are evaluated without them; a DELETE keeps
  // them, because the evaluator names deleted rows by their key.
  const keyless = firstKeyword(c.sql) !== 'DELETE';
  const evaluated = keyless ? fixtures.map((f) => ({ ...f, def: { ...f.def, primaryKey: [] } })) : fixtures;
  // ZetaSQL evaluates in its own process while DuckDB loads the fixture here; the table it names is read before and after
  const loading = loadFixtures(c.ddl, fixtures);
  let z: Awaited<ReturnType<ZetaSql['evaluateModify']>>;
  try {
    z = await zeta.evaluateModify(c.sql, evaluated, c.params, c.paramTypes);
  } catch (err) {
    await loading.then((wh) => wh.close(), () => undefined);
    throw err;
  }
  const def = tables.get(z.table);
  if (!def) {
    await loading.then((wh) => wh.close(), () => undefined);
    throw new Error(`ZetaSQL reports a write to ${z.table}, which is not in the case's DDL`);
  }
  const columns = def.columns.map((col) => col.name);
  const wh = await loading;
  let before: Row[];
  let after: Row[];
  try {
    before = await wh.query(`SELECT * FROM ${z.table}`);
    await wh.exec(c.sql, c.params);
    after = await wh.query(`SELECT * FROM ${z.table}`);
  } finally {
    await wh.close();
  }
  const deletes = z.rows.length > 0 && z.rows.every((r) => r.operation === 'DELETE');
  // ZetaSQL names a deleted row by its primary key only: a table without one is compared by count.
  const keyColumns = def.primaryKey;
  const pick = (r: Row, cols: readonly string[]): Row => Object.fromEntries(cols.map((col) => [col, r[col] ?? null]));
  let duckdb: Row[] = deletes || (z.rows.length === 0 && after.length < before.length) ? minus(before, after, columns).map((r) => pick(r, keyColumns)) : minus(after, before, columns);
  let zetasql: Row[] = z.rows.map((r): Row => (r.operation === 'DELETE' ? Object.fromEntries(keyColumns.map((col, i) => [col, r.oldPrimaryKey[i] ?? null])) : Object.fromEntries(columns.map((col, i) => [col, r.cells[i] ?? null]))));
  if (c.normalize) [duckdb, zetasql] = [c.normalize(duckdb), c.normalize(zetasql)];
  const cols = deletes ? keyColumns : columns;
  const sort = (rows: Row[]) => [...rows].sort((a, b) => multisetKey(a, cols).localeCompare(multisetKey(b, cols)));
  const [d, zs] = [sort(duckdb), sort(zetasql)];
  let mismatch: string | undefined;
  if (d.length !== zs.length) mismatch = `${z.table}: duckdb wrote ${d.length} row(s), zetasql ${zs.length}\n  duckdb:  ${JSON.stringify(d)}\n  zetasql: ${JSON.stringify(zs)}`;
  else {
    const i = d.findIndex((r, k) => multisetKey(r, cols) !== multisetKey(zs[k] ?? {}, cols));
    if (i >= 0) mismatch = `${z.table}, row ${i + 1} (rows sorted):\n  duckdb:  ${JSON.stringify(d[i])}\n  zetasql: ${JSON.stringify(zs[i])}`;
  }
  return { table: z.table, duckdb: d, zetasql: zs, ...(mismatch ? { mismatch } : {}) };
}

/** The USING source of a MERGE: what this ZetaSQL build can evaluate of it. */
export function mergeSource(merge: string): string {
  const open = merge.indexOf('USING (') + 'USING '.length;
  let depth = 0;
  for (let i = open; i < merge.length; i++) {
    if (merge[i] === '(') depth++;
    if (merge[i] === ')' && --depth === 0) return merge.slice(open + 1, i);
  }
  throw new Error('MERGE without a USING (…) source');
}
