// The fake runs BigQuery jobs on DuckDB. Our SQL is portable except for the dialect pieces
// (src/warehouse/dialect-pieces.ts), whose BigQuery forms the fake turns back into DuckDB here —
// exactly those forms, no others (a test renders every piece both ways and runs both on DuckDB).
// ASSERT, the BigQuery form of assertEmpty, is a statement: see assertionOf.
import { sqlSegments } from '../sql-segments.js';

/** Splits `text` (the inside of a call's parentheses) at top-level commas, quotes respected. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (const s of sqlSegments(text, 'duckdb')) {
    if (s.kind !== 'code') {
      current += s.text;
      continue;
    }
    for (const c of s.text) {
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (c === ',' && depth === 0) {
        args.push(current.trim());
        current = '';
      } else current += c;
    }
  }
  args.push(current.trim());
  return args;
}

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
    const args = splitArgs(rest.slice(open + 1, close)).map((a) => rewriteCalls(a, name, render));
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
  // float64: BigQuery's type name for DuckDB's DOUBLE
  out = rewriteCalls(out, 'CAST', (a) => {
    const m = a.length === 1 ? /^([\s\S]+)\s+AS\s+FLOAT64$/i.exec(a[0] as string) : null;
    return m ? `CAST(${m[1]} AS DOUBLE)` : undefined;
  });
  // player_lookup: exactly its BigQuery form (NFKD, then a global replace: DuckDB needs the 'g' flag).
  out = rewriteCalls(out, 'REGEXP_REPLACE', (a) => {
    const name = a.length === 3 && a[1] === "'[^a-z0-9]'" && a[2] === "''" ? /^LOWER\(NORMALIZE\(([\s\S]+), NFKD\)\)$/.exec(a[0] as string) : null;
    return name ? `regexp_replace(lower(strip_accents(${name[1]})), '[^a-z0-9]', '', 'g')` : undefined;
  });
  return sqlSegments(out, 'duckdb')
    .map((s) =>
      s.kind !== 'code'
        ? s.text
        : s.text
            .replace(/\*\s*EXCEPT\s*\(/g, '* EXCLUDE (')
            // array_at: DuckDB's lists are indexed from 1, as ORDINAL counts (and NULL past the end, as SAFE_)
            .replace(/\[\s*SAFE_ORDINAL\s*\(((?:[^()]|\([^()]*\))*)\)\s*\]/g, '[$1]')
            // BigQuery's `FROM UNNEST(x) AS e` names the element e; DuckDB names the table, so name the column too.
            .replace(/(\b(?:FROM|JOIN)\s+UNNEST\s*\((?:[^()]|\([^()]*\))*\)\s+AS\s+)([A-Za-z_][A-Za-z0-9_]*)(?!\s*\()/gi, (m: string, head: string, alias: string) => (/UNNEST/.test(head) ? `${head}${alias}(${alias})` : m)),
    )
    .join('');
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
