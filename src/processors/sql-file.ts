// Loads a processor's .sql file, split into named sections (`-- name: compute`), so that the
// output query and the failures query share one candidate set and cannot drift apart.
import { readFileSync } from 'node:fs';

export type SqlSections = Readonly<Record<string, string>>;

/** Reads `file` next to the module at `moduleUrl` (pass import.meta.url). */
export function loadSqlSections(moduleUrl: string, file: string): SqlSections {
  return splitSqlSections(readFileSync(new URL(file, moduleUrl), 'utf8'));
}

/** Text before the first `-- name:` line (the grain comment) is kept under `header`. */
export function splitSqlSections(text: string): SqlSections {
  const out: Record<string, string> = {};
  let current = 'header';
  let lines: string[] = [];
  const flush = (): void => {
    out[current] = lines.join('\n').trim();
  };
  for (const line of text.split('\n')) {
    const m = /^--\s*name:\s*([a-z_]+)\s*$/.exec(line);
    if (m) {
      flush();
      current = m[1] as string;
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return out;
}

/** Joins sections into one statement; a missing section is a programming error, caught at import. */
export function composeSql(sections: SqlSections, ...names: readonly string[]): string {
  return names
    .map((name) => {
      const text = sections[name];
      if (text === undefined) throw new Error(`SQL section '${name}' is missing`);
      return text;
    })
    .join('\n');
}
