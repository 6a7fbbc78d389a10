// One SQL text for both engines. Where no portable form exists, a statement asks for a dialect
// piece by name, `{{day_diff(g.game_date, prev.game_date)}}`, and the warehouse renders it for its
// own dialect just before the text runs (DuckDB in its adapter, BigQuery in toBigQuerySql). Each
// piece's DuckDB and BigQuery forms sit side by side below. Not a transpiler: only the marked
// pieces change, everything else is sent as written. See SQL.md for when to use which.
import { sqlSegments } from './bigquery/sql-segments.js';

export type Dialect = 'duckdb' | 'bigquery';

export interface Piece {
  /** What the piece computes, in a sentence (SQL.md lists them). */
  readonly about: string;
  /** Argument names; a trailing `...` takes one or more (`...?`: zero or more). Each argument is SQL text. */
  readonly args: readonly string[];
  /** Arguments that must be plain identifiers (aliases, column names), by position; `...` = all. */
  readonly identifiers?: readonly string[];
  readonly duckdb: (...args: string[]) => string;
  readonly bigquery: (...args: string[]) => string;
}

/** The whole set. Keep it small: a portable form, where one exists, is always better (SQL.md). */
export const PIECES: Readonly<Record<string, Piece>> = {
  day_diff: {
    about: 'whole days from `earlier` to `later` (two DATEs): the engines have no common argument order',
    args: ['later', 'earlier'],
    duckdb: (later, earlier) => `date_diff('day', ${earlier}, ${later})`,
    bigquery: (later, earlier) => `DATE_DIFF(${later}, ${earlier}, DAY)`,
  },
  ms_between: {
    about: 'milliseconds from `earlier` to `later` (two TIMESTAMPs), truncated',
    args: ['earlier', 'later'],
    duckdb: (earlier, later) => `date_diff('millisecond', ${earlier}, ${later})`,
    bigquery: (earlier, later) => `TIMESTAMP_DIFF(${later}, ${earlier}, MILLISECOND)`,
  },
  unnest_as: {
    about: 'FROM item: one row per element of an array (e.g. an array $param), the element in column `name`',
    args: ['array', 'name'],
    identifiers: ['name'],
    duckdb: (array, name) => `unnest(${array}) AS ${name}(${name})`,
    bigquery: (array, name) => `UNNEST(${array}) AS ${name}`,
  },
  float64: {
    about: "the value as a 64-bit float: DuckDB's DOUBLE, GoogleSQL's FLOAT64 (no common type name; a FLOAT64 literal such as 1.0 coerces to NUMERIC on BigQuery, so `x * 1.0` stays NUMERIC there)",
    args: ['value'],
    duckdb: (value) => `CAST(${value} AS DOUBLE)`,
    bigquery: (value) => `CAST(${value} AS FLOAT64)`,
  },
  star_except: {
    about: 'select list: every column except the ones named',
    args: ['column...'],
    identifiers: ['...'],
    duckdb: (...columns) => `* EXCLUDE (${columns.join(', ')})`,
    bigquery: (...columns) => `* EXCEPT (${columns.join(', ')})`,
  },
  row_hash: {
    about: "a 64-bit hash of a row of a FROM item (its alias), without the columns named after it: equal rows hash equal; the values differ between engines",
    args: ['row', 'except_column...?'],
    identifiers: ['row', '...'],
    duckdb: (row, ...except) => `hash(*COLUMNS(${row}.*${except.length > 0 ? ` EXCLUDE (${except.join(', ')})` : ''}))`,
    bigquery: (row, ...except) => `FARM_FINGERPRINT(TO_JSON_STRING(${except.length > 0 ? `(SELECT AS STRUCT ${row}.* EXCEPT (${except.join(', ')}))` : row}))`,
  },
  array_at: {
    about: "the element at a 1-based position of an array (NULL past its end): DuckDB's lists are indexed from 1, BigQuery's arrays only through OFFSET or ORDINAL",
    args: ['array', 'position'],
    duckdb: (array, position) => `${array}[${position}]`,
    bigquery: (array, position) => `${array}[SAFE_ORDINAL(${position})]`,
  },
  has_nonfinite: {
    about: 'whether an array of numbers holds a NULL, NaN or infinite element (any outside ±1e308); false for an empty or NULL array. DuckDB reads its lists whole (list_min, list_max, list_count): unnesting a season of feature vectors cost it ~4x more',
    args: ['array'],
    duckdb: (array) => `coalesce(NOT (list_count(${array}) = len(${array}) AND list_min(${array}) >= -1e308 AND list_max(${array}) <= 1e308), false)`,
    bigquery: (array) => `EXISTS (SELECT 1 FROM UNNEST(${array}) AS courtside_x WHERE courtside_x IS NULL OR NOT (courtside_x BETWEEN -1e308 AND 1e308))`,
  },
  array_contains: {
    about: "true when `value` is an element of `array`, false otherwise (a NULL array, a NULL value, NULL elements: never NULL): DuckDB's list_contains is NULL on a NULL list, GoogleSQL's IN UNNEST is NULL when an element is; both are plain functions, where `value IN (SELECT * FROM UNNEST(array))` is a correlated subquery per row",
    args: ['array', 'value'],
    duckdb: (array, value) => `coalesce(list_contains(${array}, ${value}), false)`,
    bigquery: (array, value) => `IFNULL(${value} IN UNNEST(${array}), FALSE)`,
  },
  // Ingest (raw, registry, Phase 3): names, untrusted text, JSON kept from the sources.
  player_lookup: {
    about: "a name's lookup key: lower case, diacritics stripped, [a-z0-9] only (playerLookup in TS); no common Unicode normalisation, no common global replace",
    args: ['name'],
    duckdb: (name) => `regexp_replace(lower(strip_accents(${name})), '[^a-z0-9]', '', 'g')`,
    bigquery: (name) => `REGEXP_REPLACE(LOWER(NORMALIZE(${name}, NFKD)), '[^a-z0-9]', '')`,
  },
  try_cast: {
    about: 'CAST that gives NULL instead of failing (validation of untrusted text); each engine accepts what its own CAST accepts; the type as BigQuery spells it (FLOAT64 is DOUBLE on DuckDB)',
    args: ['value', 'type'],
    duckdb: (value, type) => `TRY_CAST(${value} AS ${type.trim().toUpperCase() === 'FLOAT64' ? 'DOUBLE' : type})`,
    bigquery: (value, type) => `SAFE_CAST(${value} AS ${type})`,
  },
  json_string: {
    about: "a JSON scalar at `path` as text, unquoted (NULL if absent); DuckDB's json_value keeps the quotes",
    args: ['json', 'path'],
    duckdb: (json, path) => `json_extract_string(${json}, ${path})`,
    bigquery: (json, path) => `JSON_VALUE(${json}, ${path})`,
  },
  parse_json: {
    about: 'JSON text → a JSON value, for a JSON column (BigQuery assigns no STRING to JSON)',
    args: ['text'],
    duckdb: (text) => `CAST(${text} AS JSON)`,
    bigquery: (text) => `PARSE_JSON(${text})`,
  },
  int64_array: {
    about: 'an array of integer texts as an array of INT64, in order (every element must cast): DuckDB casts the list at once, BigQuery casts no arrays',
    args: ['strings'],
    duckdb: (strings) => `CAST(${strings} AS BIGINT[])`,
    bigquery: (strings) => `ARRAY(SELECT CAST(courtside_element AS INT64) FROM UNNEST(${strings}) AS courtside_element WITH OFFSET AS courtside_offset ORDER BY courtside_offset)`,
  },
  json_string_array: {
    about: 'the JSON array of strings at `path` as an array of text (e.g. for {{unnest_as(…)}}); NULL or empty if absent',
    args: ['json', 'path'],
    duckdb: (json, path) => `json_extract_string(${json}, ${jsonArrayPath(path)})`,
    bigquery: (json, path) => `JSON_VALUE_ARRAY(${json}, ${path})`,
  },
};

/** `'$.a'` → `'$.a[*]'`: DuckDB reads every element of an array with a wildcard path. */
function jsonArrayPath(path: string): string {
  return /^'\$[^']*'$/.test(path) ? `${path.slice(0, -1)}[*]'` : `(${path} || '[*]')`;
}

/**
 * The statements that fail the atomic unit they are part of when `query` returns any row (an audit),
 * with `message` and, on DuckDB, the first offending row in the error. Statement-level, so they are
 * built with the dialect rather than marked in text: BigQuery's ASSERT takes only a literal
 * description. DuckDB has no ASSERT: it counts the offending rows first, which reads only the columns
 * the query filters on, and evaluates error() on the first of them only when there is one (the
 * variable is constant when the second statement is planned, so a clean audit plans an empty scan):
 * the message needs every column, and reading every column of a season's output cost more than the
 * check itself. Both return no rows (a unit's only query is its last).
 */
export function assertEmpty(dialect: Dialect, query: string, message: string): readonly string[] {
  const body = query.trim().replace(/;\s*$/, '');
  if (dialect === 'bigquery') return [`ASSERT NOT EXISTS (${body}) AS ${stringLiteral('bigquery', message)}`];
  return [
    `SET VARIABLE courtside_assert_rows = (SELECT count(*) FROM (${body}) AS courtside_violations)`,
    `SET VARIABLE courtside_assert_empty = (SELECT error(${stringLiteral('duckdb', `${message}, e.g. `)} || CAST(to_json(courtside_violation) AS VARCHAR)) FROM (${body}) AS courtside_violation WHERE getvariable('courtside_assert_rows') > 0 LIMIT 1)`,
  ];
}

/** A string literal for code-declared text (never data: data is always a bound parameter). */
export function stringLiteral(dialect: Dialect, text: string): string {
  if (dialect === 'duckdb') return `'${text.replaceAll("'", "''")}'`;
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}

export class PieceError extends Error {}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function renderPiece(name: string, args: readonly string[], dialect: Dialect): string {
  const piece = PIECES[name];
  if (!piece) throw new PieceError(`SQL piece {{${name}(…)}} is unknown (known: ${Object.keys(PIECES).join(', ')})`);
  const last = piece.args.at(-1) ?? '';
  const variadic = last.endsWith('...') || last.endsWith('...?');
  const fixed = variadic ? piece.args.length - 1 : piece.args.length;
  const least = last.endsWith('...?') ? fixed : piece.args.length;
  if (variadic ? args.length < least : args.length !== fixed) {
    throw new PieceError(`SQL piece {{${name}(${piece.args.join(', ')})}} takes ${variadic ? `at least ${least}` : fixed} argument(s), got ${args.length}`);
  }
  args.forEach((a, i) => {
    if (a === '') throw new PieceError(`SQL piece {{${name}}}: argument ${i + 1} is empty`);
    const argName = i < fixed ? piece.args[i] : '...';
    if (piece.identifiers?.includes(argName ?? '') && !IDENT.test(a)) throw new PieceError(`SQL piece {{${name}}}: argument ${i + 1} must be a plain identifier, got '${a}'`);
  });
  return dialect === 'duckdb' ? piece.duckdb(...args) : piece.bigquery(...args);
}

interface Marker {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly args: readonly string[];
}

/**
 * Reads the marker `{{name(arg, …)}}` that starts at `start`: arguments are split at top-level
 * commas (quotes, comments and parentheses respected) and may hold markers of their own.
 */
function readMarker(sql: string, start: number): Marker {
  const head = /^\{\{\s*([a-z_][a-z0-9_]*)\s*\(/.exec(sql.slice(start));
  if (!head) throw new PieceError(`SQL piece at '${sql.slice(start, start + 30)}…': expected {{name(arguments)}}`);
  const name = head[1] as string;
  const from = start + head[0].length;
  // The arguments are lexed in a window that grows until the marker closes, not to the end of the
  // text each time (which made rendering a long SQL file quadratic in its markers). A window lexes
  // its text as the whole would up to its last token, and the marker must close before that.
  for (let size = 1024; ; size *= 8) {
    const end = Math.min(sql.length, from + size);
    const marker = readArguments(sql, start, name, from, end);
    if (marker) return marker;
    if (end === sql.length) throw new PieceError(`SQL piece {{${name}(…)}} is not closed`);
  }
}

/** The marker whose arguments start at `from`, if it closes within sql[from, end) — else undefined. */
function readArguments(sql: string, start: number, name: string, from: number, end: number): Marker | undefined {
  const args: string[] = [];
  let depth = 1;
  let current = '';
  let i = from;
  const segments = sqlSegments(sql.slice(from, end), 'duckdb');
  // the last segment may be cut by the window (a string or comment read on past `end`): not trusted
  const trusted = end === sql.length ? segments : segments.slice(0, -1);
  for (const s of trusted) {
    if (s.kind !== 'code') {
      current += s.text;
      i += s.text.length;
      continue;
    }
    for (let k = 0; k < s.text.length; k++, i++) {
      const c = s.text[k] as string;
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (depth === 0) {
        args.push(current.trim());
        const close = /^\s*\}\}/.exec(sql.slice(i + 1));
        if (!close) throw new PieceError(`SQL piece {{${name}(…)}}: expected '}}' after its arguments`);
        return { start, end: i + 1 + close[0].length, name, args: args.length === 1 && args[0] === '' ? [] : args };
      }
      if (c === ',' && depth === 1) {
        args.push(current.trim());
        current = '';
      } else current += c;
    }
  }
  return undefined;
}

/**
 * Where the next marker starts in `code` at or after `from`, or -1. A piece always has parentheses:
 * `{{name}}` without them is a placeholder of the SQL files' own (include parameters, declared values).
 */
function nextMarker(code: string, from: number): number {
  const re = /\{\{\s*[a-z_][a-z0-9_]*\s*\(/g;
  re.lastIndex = from;
  return re.exec(code)?.index ?? -1;
}

/** Renders every piece marked in `sql` (outside strings and comments) for `dialect`. */
export function renderPieces(sql: string, dialect: Dialect): string {
  if (!sql.includes('{{')) return sql; // the common case: nothing to do
  let out = '';
  let from = 0;
  let offset = 0;
  for (const s of sqlSegments(sql, 'duckdb')) {
    const segStart = offset;
    offset += s.text.length;
    // A marker may have run into this segment (its arguments held a string): search after it.
    if (s.kind !== 'code' || from >= offset) continue;
    let at = nextMarker(s.text, Math.max(0, from - segStart));
    while (at >= 0) {
      const m = readMarker(sql, segStart + at);
      out += sql.slice(from, m.start) + renderPiece(m.name, m.args.map((a) => renderPieces(a, dialect)), dialect);
      from = m.end;
      if (m.end >= offset) break;
      at = nextMarker(s.text, m.end - segStart);
    }
  }
  return out + sql.slice(from);
}

/** Throws unless every marker in `sql` renders for both engines (used where SQL files are loaded). */
export function checkPieces(sql: string): void {
  renderPieces(sql, 'duckdb');
  renderPieces(sql, 'bigquery');
}
