// The two rewrites between our SQL text and the text a BigQuery job receives, applied to code only
// (never inside string literals or comments): `$name` ↔ `@name`, and `schema.` ↔ `<prefix>schema.`
// for the schemas DatasetNames knows. Nothing else changes: the SQL itself must already be portable.
import { renderPieces } from '../dialect-pieces.js';
import type { DatasetNames } from './dataset-names.js';
import { rewriteCode } from './sql-segments.js';

export interface BigQueryText {
  readonly sql: string;
  /** Parameters the text names, each once, in order of first use. */
  readonly parameters: readonly string[];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `nba_raw.` not preceded by an identifier character or a dot (a project-qualified name stays). */
function schemaPattern(names: readonly string[], prefix: string): RegExp {
  const alternation = names.map((n) => escapeRe(prefix + n)).join('|');
  return new RegExp(`(?<![A-Za-z0-9_.$@])(${alternation})(\\s*\\.\\s*)(?=[A-Za-z_\`])`, 'gi');
}

/** Our SQL (DuckDB lexing) → the text of a BigQuery job, dialect pieces rendered for BigQuery first. */
export function toBigQuerySql(text: string, names: DatasetNames): BigQueryText {
  const sql = renderPieces(text, 'bigquery');
  const parameters: string[] = [];
  const schemaRe = schemaPattern(names.list(), '');
  const rewritten = rewriteCode(
    sql,
    'duckdb',
    (code) =>
      code
        .replace(/(?<![A-Za-z0-9_$])\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
          if (!parameters.includes(name)) parameters.push(name);
          return `@${name}`;
        })
        .replace(schemaRe, (_m, schema: string, dot: string) => `${names.dataset(schema)}${dot}`),
    // A quoted "schema"."table" is left alone: our SQL does not quote schema names.
  );
  return { sql: rewritten, parameters };
}

/** A BigQuery job's text → our SQL again (the fake server runs it on DuckDB; lexed 'mixed', see sql-segments). */
export function fromBigQuerySql(sql: string, names: DatasetNames): string {
  const datasetRe = schemaPattern(names.list(), names.prefix);
  const toSchema = (dataset: string) => names.schemaOf(dataset) ?? dataset;
  return rewriteCode(
    sql,
    'mixed',
    (code) =>
      code
        .replace(/(?<![A-Za-z0-9_@$])@([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => `$${name}`)
        .replace(datasetRe, (_m, dataset: string, dot: string) => `${toSchema(dataset)}${dot}`),
    // `project.dataset.table` / `dataset.table` in backticks → schema.table (DuckDB has no projects).
    (quoted) => {
      const parts = quoted.slice(1, -1).split('.');
      const tail = parts.length === 3 ? parts.slice(1) : parts;
      if (tail.length === 2 && names.schemaOf(tail[0] as string)) return `${names.schemaOf(tail[0] as string)}.${tail[1]}`;
      return parts.length === 1 ? `"${parts[0]}"` : quoted;
    },
  );
}

/** Lists the parameters a text names without rewriting it. */
export function parameterNames(sql: string, names: DatasetNames): readonly string[] {
  return toBigQuerySql(sql, names).parameters;
}
