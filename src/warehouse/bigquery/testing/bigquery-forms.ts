// The fake runs BigQuery jobs on DuckDB. Our SQL is portable except for the dialect pieces
// (src/warehouse/dialect-pieces.ts), whose BigQuery forms the fake turns back into DuckDB here —
// exactly those forms, no others (a test renders every piece both ways and runs both on DuckDB).
// ASSERT, the BigQuery form of assertEmpty, is a statement: see assertionOf.
import { splitTopLevel, sqlSegments } from '../sql-segments.js';

/** Index of the ')' closing the '(' at `open`, quotes respected; -1 if none. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  for (const s of sqlSegments(sql.slice(open), 'duckdb')) {
    if (s.kind === 'code') {
      for (const c of s.text) {
        if (c === '(') depth++;
        if (c === ')' && --depth === 0) return i;
        i++;
      }
    } else i += s.text.length;
  }
  return -1;
}

/** Rewrites every call `name(args)` (the pieces' upper-case spelling; nested calls too) that `render` recognises. */
function rewriteCalls(sql: string, name: string, render: (args: string[]) => string | undefined): string {
  const re = new RegExp(`(?<![A-Za-z0-9_.])${name}\\s*\\(`);
  let out = '';
  let rest = sql;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const open = m.index + m[0].length - 1;
    const close = closingParen(rest, open);
    if (close < 0) break;
    const args = splitTopLevel(rest.slice(open + 1, close), 'duckdb').map((a) => rewriteCalls(a, name, render));
    out += rest.slice(0, m.index) + (render(args) ?? `${rest.slice(m.index, open + 1)}${args.join(', ')})`);
    rest = rest.slice(close + 1);
  }
  return out + rest;
}

/** `(later, earlier, UNIT)`: BigQuery's argument order, told apart from DuckDB's `('unit', earlier, later)`. */
const bigQueryDiff = (args: string[], unit: string): [string, string] | undefined =>
  args.length === 3 && (args[2] ?? '').toUpperCase() === unit ? [args[0] as string, args[1] as string] : undefined;

/** The BigQuery forms of the dialect pieces, as DuckDB runs them (text already mapped by fromBigQuerySql). */
export function bigQueryFormsToDuckdb(sql: string): string {
  let out = sql;
  out = rewriteCalls(out, 'DATE_DIFF', (a) => {
    const d = bigQueryDiff(a, 'DAY');
    return d && `date_diff('day', ${d[1]}, ${d[0]})`;
  });
  out = rewriteCalls(out, 'TIMESTAMP_DIFF', (a) => {
    const d = bigQueryDiff(a, 'MILLISECOND');
    return d && `date_diff('millisecond', ${d[1]}, ${d[0]})`;
  });
  // row_hash: a row without some columns hashes as DuckDB's form does (same values), a whole row through its JSON.
  out = rewriteCalls(out, 'FARM_FINGERPRINT', (a) => {
    const except = /^TO_JSON_STRING\(\(SELECT AS STRUCT ([A-Za-z_][A-Za-z0-9_]*)\.\* EXCEPT \(([^()]*)\)\)\)$/.exec(a.join(', '));
    return except ? `hash(*COLUMNS(${except[1]}.* EXCLUDE (${except[2]})))` : `hash(${a.join(', ')})`;
  });
  out = rewriteCalls(out, 'TO_JSON_STRING', (a) => `CAST(to_json(${a.join(', ')}) AS VARCHAR)`);
  // array_contains: exactly its BigQuery form (DuckDB would read `x IN UNNEST(a)` as one row per element).
  out = rewriteCalls(out, 'IFNULL', (a) => {
    const m = a.length === 2 && a[1] === 'FALSE' ? /^([\s\S]+?) IN UNNEST\(([\s\S]+)\)$/.exec(a[0] as string) : null;
    return m ? `coalesce(list_contains(${m[2]}, ${m[1]}), false)` : undefined;
  });
  // player_lookup: exactly its BigQuery form (NFKD, then a global replace: DuckDB needs the 'g' flag).
  out = rewriteCalls(out, 'REGEXP_REPLACE', (a) => {
    const name = a.length === 3 && a[1] === "'[^a-z0-9]'" && a[2] === "''" ? /^LOWER\(NORMALIZE\(([\s\S]+), NFKD\)\)$/.exec(a[0] as string) : null;
    return name ? `regexp_replace(lower(strip_accents(${name[1]})), '[^a-z0-9]', '', 'g')` : undefined;
  });
  // int64_array: the whole subquery, exactly as the piece writes it.
  out = rewriteCalls(out, 'ARRAY', (a) => {
    const m = a.length === 1 ? /^SELECT CAST\(courtside_element AS INT64\) FROM UNNEST\(([\s\S]+)\) AS courtside_element WITH OFFSET AS courtside_offset ORDER BY courtside_offset$/.exec(a[0] as string) : null;
    return m ? `CAST(${m[1]} AS BIGINT[])` : undefined;
  });
  out = rewriteCalls(out, 'PARSE_JSON', (a) => (a.length === 1 ? `CAST(${a[0]} AS JSON)` : undefined));
  out = rewriteCalls(out, 'JSON_VALUE', (a) => (a.length === 2 ? `json_extract_string(${a[0]}, ${a[1]})` : undefined));
  out = rewriteCalls(out, 'JSON_VALUE_ARRAY', (a) => (a.length === 2 && /^'[^']*'$/.test(a[1] as string) ? `json_extract_string(${a[0]}, ${(a[1] as string).slice(0, -1)}[*]')` : undefined));
  return nameUnnestColumns(sqlSegments(out, 'duckdb')
    .map((s) =>
      s.kind !== 'code'
        ? s.text
        : s.text
            .replace(/\*\s*EXCEPT\s*\(/g, '* EXCLUDE (')
            .replace(/(?<![A-Za-z0-9_.])SAFE_CAST\s*\(/g, 'TRY_CAST(')
            .replace(/\bAS\s+FLOAT64\b/g, 'AS DOUBLE')
            // array_at: DuckDB's lists are indexed from 1, as ORDINAL counts (and NULL past the end, as SAFE_)
            .replace(/\[\s*SAFE_ORDINAL\s*\(((?:[^()]|\([^()]*\))*)\)\s*\]/g, '[$1]')
    )
    .join(''));
}

/**
 * BigQuery's `FROM UNNEST(x) AS e` (or `JOIN UNNEST(x) AS e`) names the element e; DuckDB names the
 * table, so the column is named too: `AS e(e)`. The array expression may hold calls and string literals.
 */
function nameUnnestColumns(sql: string): string {
  const re = /\b(?:FROM|JOIN)\s+UNNEST\s*\(/gi;
  let out = '';
  let from = 0;
  const code = sqlSegments(sql, 'duckdb');
  const inCode = (i: number): boolean => {
    let at = 0;
    for (const s of code) {
      if (i < at + s.text.length) return s.kind === 'code';
      at += s.text.length;
    }
    return false;
  };
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    if (!inCode(m.index)) continue;
    const open = m.index + m[0].length - 1;
    const close = closingParen(sql, open);
    if (close < 0) break;
    const alias = /^\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/i.exec(sql.slice(close + 1));
    if (!alias) continue;
    const end = close + 1 + alias[0].length;
    out += `${sql.slice(from, end)}(${alias[1]})`;
    from = end;
    re.lastIndex = end;
  }
  return out + sql.slice(from);
}

/**
 * `ASSERT expr AS 'description'` (BigQuery text): the condition and the description, or undefined
 * when the statement is not an ASSERT.
 */
export function assertionOf(bigQuerySql: string): { readonly condition: string; readonly description: string } | undefined {
  const m = /^\s*ASSERT\s+([\s\S]+?)(?:\s+AS\s+('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))?\s*$/i.exec(bigQuerySql);
  if (!m) return undefined;
  const literal = m[2];
  const description = literal ? literal.slice(1, -1).replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c)) : '';
  return { condition: m[1] as string, description };
}
