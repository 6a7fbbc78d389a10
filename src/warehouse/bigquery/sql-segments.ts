// Splits SQL text into code, string literals, quoted identifiers and comments, so that rewrites
// (parameters, dataset names) touch only code. A lexer, not a parser: it knows quoting, nothing else.

export type SegmentKind = 'code' | 'string' | 'identifier' | 'comment';

/**
 * `mixed`: BigQuery text made from our DuckDB-lexed SQL, as the fake server receives it — strings
 * escape a quote either way ('' or \'), and there are no triple-quoted strings (our SQL has none,
 * while a DuckDB literal such as '''s' would open one under BigQuery's rules).
 */
export type Lexing = 'duckdb' | 'bigquery' | 'mixed';

export interface Segment {
  readonly kind: SegmentKind;
  readonly text: string;
}

/**
 * `duckdb`: '…' strings with '' escapes, "…" identifiers. `bigquery`: '…' and "…" strings with
 * backslash escapes, triple-quoted strings, `…` identifiers. Both: -- and /* *\/ comments.
 */
export function sqlSegments(sql: string, dialect: Lexing): Segment[] {
  const out: Segment[] = [];
  let code = '';
  let i = 0;
  const flush = () => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  const take = (kind: SegmentKind, end: number) => {
    flush();
    out.push({ kind, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      take('comment', nl < 0 ? sql.length : nl);
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      take('comment', close < 0 ? sql.length : close + 2);
    } else if (c === "'" || c === '"') {
      const isString = c === "'" || dialect !== 'duckdb';
      take(isString ? 'string' : 'identifier', quotedEnd(sql, i, dialect));
    } else if (c === '`') {
      const close = sql.indexOf('`', i + 1);
      take('identifier', close < 0 ? sql.length : close + 1);
    } else {
      // plain code up to the next character that may open a comment, string or identifier
      SPECIAL.lastIndex = i + 1;
      const at = SPECIAL.exec(sql)?.index ?? sql.length;
      code += sql.slice(i, at);
      i = at;
    }
  }
  flush();
  return out;
}

/** The characters that may start a token other than code (a comment, a string, a quoted identifier). */
const SPECIAL = /[-/'"`]/g;

/** Index just past the quoted token that starts at `start`. */
function quotedEnd(sql: string, start: number, dialect: Lexing): number {
  const q = sql[start] as string;
  if (dialect === 'bigquery' && sql.startsWith(q.repeat(3), start)) {
    const close = sql.indexOf(q.repeat(3), start + 3);
    return close < 0 ? sql.length : close + 3;
  }
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (dialect !== 'duckdb' && c === '\\') i += 2;
    else if (c === q && sql[i + 1] === q && dialect !== 'bigquery') i += 2;
    else if (c === q) return i + 1;
    else i++;
  }
  return sql.length;
}

/** Applies `rewrite` to code segments only and joins everything back. */
export function rewriteCode(sql: string, dialect: Lexing, rewrite: (code: string) => string, rewriteIdentifier?: (quoted: string) => string): string {
  return sqlSegments(sql, dialect)
    .map((s) => (s.kind === 'code' ? rewrite(s.text) : s.kind === 'identifier' && rewriteIdentifier ? rewriteIdentifier(s.text) : s.text))
    .join('');
}

/** Splits a script at top-level ';' (outside strings and comments); empty statements are dropped. */
export function splitStatements(sql: string, dialect: Lexing): string[] {
  const statements: string[] = [];
  let current = '';
  for (const s of sqlSegments(sql, dialect)) {
    if (s.kind !== 'code') {
      current += s.text;
      continue;
    }
    const parts = s.text.split(';');
    parts.forEach((part, k) => {
      current += part;
      if (k < parts.length - 1) {
        statements.push(current);
        current = '';
      }
    });
  }
  statements.push(current);
  return statements.map((st) => st.trim()).filter((st) => st.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim().length > 0);
}

/**
 * Splits `text` at top-level commas (outside brackets, strings and comments): a column list, a call's
 * arguments. `angle`: `<…>` nest too (BigQuery's ARRAY<…>, STRUCT<…>). Every part is trimmed; an empty
 * last part (an empty text, a trailing comma) is kept unless `dropEmptyLast` (a column list).
 */
export function splitTopLevel(text: string, dialect: Lexing, o: { readonly angle?: boolean; readonly dropEmptyLast?: boolean } = {}): string[] {
  const open = o.angle ? '(<' : '(';
  const close = o.angle ? ')>' : ')';
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const s of sqlSegments(text, dialect)) {
    if (s.kind !== 'code') {
      current += s.text;
      continue;
    }
    for (const c of s.text) {
      if (open.includes(c)) depth++;
      if (close.includes(c)) depth--;
      if (c === ',' && depth === 0) {
        parts.push(current.trim());
        current = '';
      } else current += c;
    }
  }
  if (current.trim() !== '' || !o.dropEmptyLast) parts.push(current.trim());
  return parts;
}
