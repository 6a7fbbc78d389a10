// What kind of statement a SQL text is, read from its first keyword (comments and parentheses skipped).
// Used where a unit of statements must know which one returns rows (script()).

/** The first keyword of a statement, upper-cased ('' when there is none). */
export function firstKeyword(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.replace(/^[\s(]+/, '');
    if (trimmed.startsWith('--')) rest = trimmed.replace(/^--[^\n]*\n?/, '');
    else if (trimmed.startsWith('/*')) rest = trimmed.replace(/^\/\*[\s\S]*?\*\//, '');
    else return (/^[A-Za-z_]+/.exec(trimmed)?.[0] ?? '').toUpperCase();
  }
}

/** A statement that returns rows and writes nothing: SELECT or WITH … SELECT. */
export function isQueryStatement(sql: string): boolean {
  const k = firstKeyword(sql);
  return k === 'SELECT' || k === 'WITH';
}

/**
 * Checks the shape script() promises: statements without a trailing ';' and at most one query, the
 * last. Returns the statements trimmed.
 */
export function checkScript(statements: readonly string[]): string[] {
  const out = statements.map((s) => s.trim().replace(/;\s*$/, '').trim());
  out.forEach((s, i) => {
    if (s.length === 0) throw new Error(`script(): statement ${i + 1} is empty`);
    if (i < out.length - 1 && isQueryStatement(s)) {
      throw new Error(`script(): statement ${i + 1} is a query; only the last statement may return rows (${s.slice(0, 60)}…)`);
    }
  });
  return out;
}
