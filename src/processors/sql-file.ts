// Loads a processor's .sql file, split into named sections (`-- name: compute`), so that the
// output query and the failures query share one candidate set and cannot drift apart. Lines
// `-- include: <fragment>(<param>=<value>, ...)` are replaced by a fragment of shared/fragments.sql,
// so that logic every processor needs (the as-of rule above all) is written once.
import { readFileSync } from 'node:fs';
import { checkPieces } from '../warehouse/dialect-pieces.js';
import type { ProcessorDefinition } from './processor.js';

export type SqlSections = Readonly<Record<string, string>>;

/**
 * Reads `file` next to the module at `moduleUrl` (pass import.meta.url). `declared` fills {{name}}
 * placeholders with integers the processor's definition declares (e.g. its history window), so that
 * the SQL and the definition cannot disagree.
 */
export function loadSqlSections(moduleUrl: string, file: string, declared: Readonly<Record<string, number>> = {}): SqlSections {
  let text = expandIncludes(readFileSync(new URL(file, moduleUrl), 'utf8'), sharedFragments());
  for (const [name, value] of Object.entries(declared)) {
    if (!Number.isInteger(value)) throw new Error(`${file}: declared value ${name} = ${value} is not an integer`);
    if (!text.includes(`{{${name}}}`)) throw new Error(`${file}: declared value ${name} is never used`);
    text = text.replaceAll(`{{${name}}}`, String(value));
  }
  return splitSqlSections(text);
}

/**
 * A processor's two queries from its .sql file: the output rows (`candidates` + `compute`) and its
 * entity failures (`candidates` + `failures`), over the same candidate set; `declared` as for
 * loadSqlSections.
 */
export function processorQueries(moduleUrl: string, file: string, declared: Readonly<Record<string, number>> = {}): ProcessorQueries {
  const sql = loadSqlSections(moduleUrl, file, declared);
  return { computeSql: composeSql(sql, 'candidates', 'compute'), failuresSql: composeSql(sql, 'candidates', 'failures'), staged: stagedQueries(sql) };
}

/** What a processor's definition takes from its .sql file. */
export interface ProcessorQueries {
  readonly computeSql: string;
  readonly failuresSql: string;
  readonly staged: StagedQueries;
}

/** `load`, called once, on first use; its result kept. */
export function once<T>(load: () => T): () => T {
  let value: { readonly v: T } | undefined;
  return () => (value ??= { v: load() }).v;
}

/**
 * `definition` with computeSql, failuresSql and staged read from `load` on first use (once): reading,
 * expanding and checking the SQL files took ~14 ms of every command's start-up, also of those that
 * never run a processor's SQL (a no-op backfill, status). The SQL files' own tests load them
 * all, so a broken file still fails the suite.
 */
export function withQueries(definition: Omit<ProcessorDefinition, keyof ProcessorQueries>, load: () => ProcessorQueries): ProcessorDefinition {
  const queries = once(load);
  return Object.defineProperties(definition, {
    computeSql: { get: () => queries().computeSql, enumerable: true },
    failuresSql: { get: () => queries().failuresSql, enumerable: true },
    staged: { get: () => queries().staged, enumerable: true },
  }) as ProcessorDefinition;
}

/** The temporary table a batch materialises its candidate set into (one per transaction's connection). */
export const STAGED_CANDIDATES_TABLE = 'courtside_staged_candidates';

/**
 * The same two queries with the candidate set computed once per batch: `candidatesSql` selects the
 * last CTE of the `candidates` section (the one `compute` and `failures` read), which the engine
 * stores in STAGED_CANDIDATES_TABLE; `computeSql` and `failuresSql` read it back under that CTE's name.
 */
export interface StagedQueries {
  readonly candidatesSql: string;
  readonly computeSql: string;
  readonly failuresSql: string;
}

export function stagedQueries(sections: SqlSections): StagedQueries {
  const candidates = composeSql(sections, 'candidates');
  const names = Array.from(candidates.matchAll(/^\s*,?\s*([a-z_][a-z0-9_]*)\s+AS\s*\(/gim), (m) => m[1] as string);
  const last = names.at(-1);
  if (last === undefined) throw new Error('SQL section candidates defines no CTE');
  const reread = `WITH ${last} AS (SELECT * FROM ${STAGED_CANDIDATES_TABLE})\n`;
  return {
    candidatesSql: `${candidates}\nSELECT * FROM ${last}`,
    computeSql: reread + composeSql(sections, 'compute'),
    failuresSql: reread + composeSql(sections, 'failures'),
  };
}

/** Text before the first `-- name:` line (the grain comment) is kept under `header`. */
export function splitSqlSections(text: string, marker = 'name'): SqlSections {
  const out: Record<string, string> = {};
  const heading = new RegExp(`^--\\s*${marker}:\\s*([a-z_-]+)\\s*$`);
  let current = 'header';
  let lines: string[] = [];
  const flush = (): void => {
    out[current] = lines.join('\n').trim();
  };
  for (const line of text.split('\n')) {
    const m = heading.exec(line);
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

/** The fragments of shared/fragments.sql, by name (`-- fragment: player-last-games`): read once, for every processor's file. */
export const sharedFragments: () => SqlSections = once(() =>
  splitSqlSections(readFileSync(new URL('./shared/fragments.sql', import.meta.url), 'utf8'), 'fragment'),
);

const INCLUDE = /^--\s*include:\s*([a-z-]+)\s*(?:\((.*)\))?\s*$/;
const FOR_EACH = /\s*--\s*for each ([a-z_]+) in ([a-z_]+)\s*$/;
// Only integers and column names are ever inserted: fragments are parameterised by shape, never by data.
const VALUE = /^(?:[0-9]+|[a-z_][a-z0-9_]*)$/;

/**
 * Replaces each include line by the fragment's CTEs, after `, ` unless the include opens the WITH
 * list: an include follows a CTE as `, name AS (...)` does. Unknown fragments, unused or malformed
 * parameters and placeholders left unfilled are programming errors, thrown when the file is first read.
 */
export function expandIncludes(text: string, fragments: SqlSections): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = INCLUDE.exec(line.trim());
    if (!m) {
      out.push(line);
      continue;
    }
    const name = m[1] as string;
    const fragment = name === 'header' ? undefined : fragments[name];
    if (fragment === undefined) throw new Error(`SQL include: unknown fragment '${name}'`);
    const opensWith = /^with$/i.test(out.filter((l) => l.trim() !== '').at(-1)?.trim() ?? '');
    out.push(`${opensWith ? '' : ', '}${renderFragment(name, fragment, parseParams(name, m[2] ?? ''))}`);
  }
  const expanded = out.join('\n');
  // Dialect pieces ({{day_diff(a, b)}}, see warehouse/SQL.md) are rendered by the warehouse; a typo fails here, at import.
  checkPieces(expanded);
  return expanded;
}

function parseParams(fragment: string, text: string): Map<string, readonly string[]> {
  const params = new Map<string, readonly string[]>();
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const values = part.slice(eq + 1).trim().split(/\s+/).filter((v) => v !== '');
    if (eq < 1 || values.length === 0 || !values.every((v) => VALUE.test(v))) {
      throw new Error(`SQL include ${fragment}: bad parameter '${part}' (want name=value, values integers or column names)`);
    }
    params.set(key, values);
  }
  return params;
}

function renderFragment(name: string, fragment: string, params: ReadonlyMap<string, readonly string[]>): string {
  const used = new Set<string>();
  const fill = (line: string, values: ReadonlyMap<string, string>): string =>
    line.replaceAll(/\{\{([a-z_]+)\}\}/g, (whole, key: string) => values.get(key) ?? whole);
  const scalars = new Map<string, string>();
  for (const [key, values] of params) if (values.length === 1) scalars.set(key, values[0] as string);
  const out: string[] = [];
  for (const line of fragment.split('\n')) {
    const each = FOR_EACH.exec(line);
    if (!each) {
      out.push(fill(line, scalars));
      for (const m of line.matchAll(/\{\{([a-z_]+)\}\}/g)) used.add(m[1] as string);
      continue;
    }
    const [, item, list] = each as unknown as [string, string, string];
    used.add(list);
    const body = line.slice(0, each.index);
    for (const value of params.get(list) ?? []) out.push(fill(body, new Map([...scalars, [item, value]])));
  }
  const unused = [...params.keys()].filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`SQL include ${name}: unknown parameter(s) ${unused.join(', ')}`);
  const text = out.join('\n');
  const unfilled = /\{\{([a-z_]+)\}\}/.exec(text);
  if (unfilled) throw new Error(`SQL include ${name}: parameter '${unfilled[1]}' not given`);
  return text;
}
