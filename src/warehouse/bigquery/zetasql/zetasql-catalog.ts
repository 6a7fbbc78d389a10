// A ZetaSQL catalog from our DDL: every table top-level under its full name `schema.table`, and the
// SQL's references to it back-quoted (`schema.table` → `` `schema.table` ``, which BigQuery reads the
// same way) because this build sets inline table content only on top-level tables. Temp tables a
// script creates join the catalog under their own name.
import { rewriteCode } from '../sql-segments.js';
import type { ColumnType, TableDef } from '../parse-ddl.js';
import { typeProto, type TypeProto } from './zetasql-values.js';

export interface CatalogTable {
  /** `schema.table`, or a temp table's bare name. */
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: TypeProto }[];
  /** Column positions of the primary key (EvaluateModify reports a deleted row by its key). */
  readonly primaryKey?: readonly number[];
}

export function catalogTable(def: TableDef): CatalogTable {
  const primaryKey = def.primaryKey.map((k) => def.columns.findIndex((c) => c.name === k)).filter((i) => i >= 0);
  return { name: `${def.schema}.${def.name}`, columns: def.columns.map((c) => ({ name: c.name, type: typeProto(c.type) })), primaryKey };
}

export function columnTypes(def: TableDef): ReadonlyMap<string, ColumnType> {
  return new Map(def.columns.map((c) => [c.name, c.type]));
}

export function simpleCatalog(tables: readonly CatalogTable[], languageOptions: unknown): Record<string, unknown> {
  return {
    name: 'courtside',
    builtinFunctionOptions: { languageOptions },
    table: tables.map((t, i) => ({ name: t.name, serializationId: String(i + 1), column: t.columns.map((c) => ({ name: c.name, type: c.type })), primaryKeyColumnIndex: t.primaryKey ?? [] })),
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `nba_raw.play_by_play` → `` `nba_raw.play_by_play` `` for the qualified tables given, in code only. */
export function quoteTableNames(sql: string, qualified: readonly string[]): string {
  const dotted = qualified.filter((n) => n.includes('.'));
  if (dotted.length === 0) return sql;
  const alternation = dotted
    .sort((a, b) => b.length - a.length)
    .map((n) => n.split('.').map(escapeRe).join('\\s*\\.\\s*'))
    .join('|');
  const re = new RegExp(`(?<![A-Za-z0-9_.\`])(${alternation})(?![A-Za-z0-9_])`, 'gi');
  return rewriteCode(sql, 'bigquery', (code) =>
    code.replace(re, (m: string, _name: string, offset: number) => {
      const quoted = `\`${m.replace(/\s+/g, '')}\``;
      // A back-quoted `schema.table` is one name, so its implicit alias would be all of it (BigQuery's
      // is `table`): after FROM/JOIN without an alias of its own, give it that alias explicitly.
      const before = code.slice(0, offset);
      const after = code.slice(offset + m.length);
      const aliased = /^\s+(AS\s+)?[A-Za-z_][A-Za-z0-9_]*/i.exec(after)?.[0].trim().split(/\s+/).pop() ?? '';
      const hasAlias = aliased !== '' && !NOT_AN_ALIAS.has(aliased.toUpperCase());
      return /\b(FROM|JOIN)\s*$/i.test(before) && !hasAlias ? `${quoted} AS ${m.split('.').pop()?.trim()}` : quoted;
    }),
  );
}

/** Words that can follow a table in FROM/JOIN without being its alias. */
const NOT_AN_ALIAS = new Set(['WHERE', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'OUTER', 'ON', 'USING', 'GROUP', 'ORDER', 'HAVING', 'WINDOW', 'QUALIFY', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'SET', 'WHEN', 'FOR', 'TABLESAMPLE']);
