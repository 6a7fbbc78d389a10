// Exposes one source file as a relation of text columns plus `stage_row` (its 0-based position in the
// file), so that every value can be validated with its row number before anything is written, and
// the loaders' SQL reads the same columns on both engines.
//   DuckDB: a Parquet file is read in place (read_parquet with file_row_number: projection pushdown
//   keeps each scan cheap, nothing is copied); a CSV file is copied into a temporary table whose
//   rowid follows file order (DuckDB preserves insertion order).
//   BigQuery: the file is numbered on this machine (stage-bigquery.ts) and loaded by ONE load job into
//   a staging table of `nba_staging`; the checks and loaders then run there as SQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seasonWindow } from '../../core/dates.js';
import { InputError, errorMessage } from '../../core/errors.js';
import { isNoSpace } from '../../core/no-space.js';
import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { TEAM_TRICODES } from '../registry/teams.js';
import { CSV_READER, unreadableCsv } from './csv-reader.js';
import { stageFileOnBigQuery, stageRowsOnBigQuery } from './stage-bigquery.js';

export interface StagedFile {
  /** The file (or label) errors name. */
  readonly file: string;
  /** FROM item: the file's columns as text, and `stage_row` (0-based position in the file). */
  readonly source: string;
  /** Bound parameters that `source` needs: spread them into every statement's params. */
  readonly params: SqlParams;
  /** A temp table (DuckDB) or staging table (BigQuery) to drop afterwards; undefined for an in-place read. */
  readonly table: string | undefined;
  readonly rows: number;
  readonly columns: readonly string[];
}

function checkColumns(file: string, columns: readonly string[], required: readonly string[]): void {
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new InputError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
}

/** Stages `file` under `name` (a plain identifier, unique within the ingest). */
export async function stageFile(wh: Warehouse, file: string, name: string, required: readonly string[]): Promise<StagedFile> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`staging name must be a plain identifier, got ${name}`);
  if (wh.dialect === 'bigquery') {
    const staged = await stageFileOnBigQuery(wh, file, name);
    checkColumns(file, staged.columns, required);
    return staged;
  }
  if (file.endsWith('.parquet')) {
    const params = { [`${name}_path`]: file };
    let columns: string[];
    let rows: number;
    try {
      const described = await wh.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($${name}_path))`, params);
      columns = described.map((r) => r.column_name);
      const [count] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet($${name}_path)`, params);
      rows = count?.n ?? 0;
    } catch (err) {
      if (isNoSpace(err)) throw err; // the disk, not the file
      throw new InputError(file, `cannot be read: ${errorMessage(err).split('\n')[0]}`, undefined, { cause: err });
    }
    checkColumns(file, columns, required);
    if (rows === 0) throw new InputError(file, 'has no data rows');
    const source = `(SELECT *, file_row_number AS stage_row FROM read_parquet($${name}_path, file_row_number = true))`;
    return { file, source, params, table: undefined, rows, columns };
  }
  try {
    await wh.exec(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT * FROM ${CSV_READER('$path')}`, { path: file });
  } catch (err) {
    if (isNoSpace(err)) throw err; // the disk, not the file
    throw await unreadableCsv(file, err);
  }
  const described = await wh.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${name})`);
  const columns = described.map((r) => r.column_name);
  checkColumns(file, columns, required);
  // Rows written inside an open transaction get rowids far above 0: positions count from the first.
  const [count] = await wh.query<{ n: number; base: string | null }>(`SELECT count(*) AS n, CAST(min(rowid) AS VARCHAR) AS base FROM ${name}`);
  if (!count || count.n === 0 || count.base === null) throw new InputError(file, 'has no data rows');
  const params = { [`${name}_base`]: BigInt(count.base) };
  return { file, source: `(SELECT *, rowid - $${name}_base AS stage_row FROM ${name})`, params, table: name, rows: count.n, columns };
}

/** Drops what staging made (temp tables on DuckDB; staging tables on BigQuery, in one job). */
export async function dropStaged(wh: Warehouse, staged: readonly (StagedFile | undefined)[]): Promise<void> {
  const tables = staged.flatMap((s) => (s?.table ? [s.table] : []));
  if (tables.length === 0) return;
  await wh.exec(tables.map((t) => `DROP TABLE IF EXISTS ${t}`).join(';\n'));
}

/** Runs a query over the staged file; a read failure (e.g. a corrupt Parquet page) names the file. */
export async function scanStaged<T extends Record<string, unknown>>(wh: Warehouse, staged: StagedFile, sql: string, params: SqlParams = {}): Promise<T[]> {
  try {
    return await wh.query<T>(sql, { ...params, ...staged.params });
  } catch (err) {
    if (staged.table || isNoSpace(err)) throw err;
    throw new InputError(staged.file, `cannot be read: ${errorMessage(err).split('\n')[0]}`, undefined, { cause: err });
  }
}

/**
 * Refuses the file at its first row whose date (`dateSql`, a DATE computed from `column`) lies outside
 * the season's window, naming the value and that date (`dateLabel` before it, e.g. 'game date ').
 */
export async function checkSeasonWindow(
  wh: Warehouse,
  staged: StagedFile,
  files: { readonly season: string; readonly seasonYear: number },
  column: string,
  dateSql: string,
  dateLabel = '',
): Promise<void> {
  const window = seasonWindow(files.seasonYear);
  const [outside] = await scanStaged<{ row_number: number; value: string; game_date: string }>(
    wh,
    staged,
    `SELECT stage_row + 1 AS row_number, ${text(column)} AS value, CAST(${dateSql} AS STRING) AS game_date FROM ${staged.source}
     WHERE ${dateSql} < CAST($from AS DATE) OR ${dateSql} > CAST($to AS DATE)
     ORDER BY stage_row LIMIT 1`,
    window,
  );
  if (outside) {
    throw new InputError(
      staged.file,
      `column '${column}' has value '${outside.value}' (${dateLabel}${outside.game_date}), outside season ${files.season} (${window.from}..${window.to})`,
      outside.row_number,
    );
  }
}

/** A column of a staged file as text (a typed Parquet column too). */
export const text = (column: string): string => `CAST(${column} AS STRING)`;

export type ValueKind = 'integer' | 'number' | 'boolean' | 'date8' | 'iso_clock' | 'timestamp' | 'id_list';

/**
 * A YYYYMMDD text as a DATE (NULL when it is none). The source's season files write dates so; the
 * date8 check has refused anything else by the time a loader casts.
 */
export const date8 = (c: string): string => `{{try_cast(concat(substr(${c}, 1, 4), '-', substr(${c}, 5, 2), '-', substr(${c}, 7, 2)), DATE)}}`;

// Portable checks (no backslashes in patterns: GoogleSQL reads them as string escapes). A full match
// is `regexp_replace(x, '^…$', '') = ''`: an anchored pattern replaces at most once, so DuckDB's
// first-match and BigQuery's every-match replace agree.
// Integers and numbers are decimal text first: each engine's cast alone accepts different texts
// (DuckDB's reads '1.5' as 2 and '1e3', '7.' and '1_000' as integers, where BigQuery's refuses them),
// so the same file would load on one engine and be refused on the other. The cast then refuses what
// overflows. NaN and infinities parse (both engines read them) and are left to range checks.
const INTEGER_TEXT = '^[-+]?[0-9]+$';
const NUMBER_TEXT = '^[-+]?(([0-9]+([.][0-9]*)?|[.][0-9]+)(e[-+]?[0-9]+)?|nan|inf|infinity)$';
// A timestamp is a UTC date, optionally with a time of day to the second (microseconds at most) and
// a UTC zone (Z, ' UTC', +00, +00:00), in a form both engines' casts read as the same instant.
// DuckDB's cast alone also takes a time without seconds, hour 24, ' utc' and surrounding blanks, and
// BigQuery's a lower-case 't' or 'z'; and DuckDB's drops any other offset ('19:30:00-08' is 19:30)
// where BigQuery's applies it (03:30 the next day), so another offset is refused, not shifted.
const TIMESTAMP_TEXT = '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T]([01]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,6})?(Z| UTC|[-+]00(:00)?)?)?$';
const PARSES: Record<ValueKind, (c: string) => string> = {
  integer: (c) => `(regexp_replace(trim(${c}), '${INTEGER_TEXT}', '') = '' AND {{try_cast(trim(${c}), INT64)}} IS NOT NULL)`,
  number: (c) => `(regexp_replace(lower(trim(${c})), '${NUMBER_TEXT}', '') = '' AND {{try_cast(trim(${c}), FLOAT64)}} IS NOT NULL)`,
  boolean: (c) => `lower(${c}) IN ('true', 'false', '1', '0')`,
  date8: (c) => `length(${c}) = 8 AND ${date8(c)} IS NOT NULL`,
  iso_clock: (c) => `regexp_replace(${c}, '^PT[0-9]+M[0-9]+([.][0-9]+)?S$', '') = ''`,
  timestamp: (c) => `(regexp_replace(${c}, '${TIMESTAMP_TEXT}', '') = '' AND {{try_cast(${c}, TIMESTAMP)}} IS NOT NULL)`,
  // '|'-joined person ids ('1629027|203999'): every item a number, none empty.
  id_list: (c) => `regexp_replace(${c}, '^[0-9]+([|][0-9]+)*$', '') = ''`,
};

/**
 * A check of every row of a staged file: the first row (file order) whose value in `column` is
 * refused by `predicate` fails the file, with `message` of that value. The predicate is SQL over
 * `v`, the value as text, and nothing else (so it can be decided once per distinct value); it must
 * not raise on any text (try_cast, never CAST): a value that one check refuses reaches the others too.
 */
export interface RowCheck {
  readonly column: string;
  readonly predicate: (v: string) => string;
  readonly message: (value: string | null) => string;
}

/** The checks of checkValues, in the order they take precedence on one row: each required column's emptiness, then each typed column's parse. */
export function valueChecks(kinds: Readonly<Record<string, ValueKind>>, required: readonly string[] = []): RowCheck[] {
  const checks: RowCheck[] = [];
  for (const col of required) checks.push({ column: col, predicate: (v) => `NULLIF(trim(${v}), '') IS NULL`, message: () => `column '${col}' is empty` });
  for (const [col, kind] of Object.entries(kinds)) {
    checks.push({
      column: col,
      predicate: (v) => `(NULLIF(trim(${v}), '') IS NOT NULL AND NOT coalesce(${PARSES[kind](v)}, false))`,
      message: (value) => `column '${col}' has unparsable value '${value ?? ''}' (expected ${kind})`,
    });
  }
  return checks;
}

/** Of several `first offending row` columns, the earliest row and which check it was. */
function earliest(row: Record<string, number | null> | undefined, names: readonly string[]): { index: number; rowid: number } | undefined {
  let worst: { index: number; rowid: number } | undefined;
  for (const [i, name] of names.entries()) {
    const rowid = row?.[name];
    if (typeof rowid === 'number' && (!worst || rowid < worst.rowid)) worst = { index: i, rowid };
  }
  return worst;
}

/**
 * Runs groups of row checks over the staged file in one query and fails on the first group, in
 * order, with an offending row: at that group's earliest such row, by the first of its checks that
 * refuses it — the same outcome as running the groups one after another, each stopping at its
 * first row. A check decides each distinct value of its column once, at the value's first row
 * (per column: its distinct values with their first row, one small aggregate each; a file repeats
 * its values many times over, so this is far cheaper than deciding every row). The value shown is
 * read only on failure.
 */
export async function checkRows(wh: Warehouse, staged: StagedFile, groups: readonly (readonly RowCheck[])[], params: SqlParams = {}): Promise<void> {
  const names = groups.map((g, i) => g.map((_, j) => `c${i}_${j}`));
  const all = groups.flatMap((g, i) => g.map((check, j) => ({ check, name: names[i]![j]! })));
  if (all.length === 0) return;
  const columns = [...new Set(all.map((a) => a.check.column))];
  const perColumn = columns.map((col, k) => {
    const firsts = all.filter((a) => a.check.column === col).map((a) => `min(CASE WHEN ${a.check.predicate('v')} THEN r END) AS ${a.name}`);
    return `(SELECT ${firsts.join(', ')} FROM (SELECT ${text(col)} AS v, min(stage_row) AS r FROM ${staged.source} GROUP BY 1) d${k}) t${k}`;
  });
  const [row] = await scanStaged<Record<string, number | null>>(wh, staged, `SELECT * FROM ${perColumn.join('\n  CROSS JOIN ')}`, params);
  for (const [i, group] of groups.entries()) {
    const worst = earliest(row, names[i]!);
    if (!worst) continue;
    const check = group[worst.index]!;
    const [value] = await scanStaged<{ v: string | null }>(wh, staged, `SELECT ${text(check.column)} AS v FROM ${staged.source} WHERE stage_row = $rowid`, { rowid: worst.rowid });
    throw new InputError(staged.file, check.message(value?.v ?? null), worst.rowid + 1);
  }
}

/**
 * Fails on the first row (file order) whose value in a typed column does not parse, or is empty in
 * a required column.
 */
export async function checkValues(
  wh: Warehouse,
  staged: StagedFile,
  kinds: Readonly<Record<string, ValueKind>>,
  required: readonly string[] = [],
): Promise<void> {
  await checkRows(wh, staged, [valueChecks(kinds, required)]);
}

/** Per column, a check that its value (when there is one) is a known team code: bind `$team_codes` (teamCodeParams). */
export function teamCodeChecks(columns: readonly string[]): RowCheck[][] {
  return columns.map((col) => [
    {
      column: col,
      predicate: (v: string) => `(${v} IS NOT NULL AND ${v} NOT IN (SELECT * FROM UNNEST($team_codes)))`,
      message: (value: string | null) => `column '${col}' has unknown team code '${value ?? ''}'`,
    },
  ]);
}

export const teamCodeParams = (): SqlParams => ({ team_codes: [...TEAM_TRICODES] });

/** Fails on the first row whose value in one of `columns` is not a known team code (the columns in order). */
export async function checkTeamCodes(wh: Warehouse, staged: StagedFile, columns: readonly string[]): Promise<void> {
  await checkRows(wh, staged, teamCodeChecks(columns), teamCodeParams());
}

/** Inclusive bounds of a numeric column's value, or of its absolute value when `abs` is set. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly abs?: boolean;
}

/** Bounds of checkRanges stay below this: the values are read as NUMERIC(18, 9). */
const MAX_RANGE = 1e9;

function describeRange(col: string, r: NumberRange): string {
  if (r.abs) return r.min === 0 ? `|${col}| at most ${r.max}` : `|${col}| from ${r.min} to ${r.max}`;
  return `${col} from ${r.min} to ${r.max}`;
}

/**
 * Fails on the first row (file order) whose value in one of `ranges`' columns is not a finite
 * number inside its range (empty values pass: checkValues decides whether a column is required).
 * A value is read as NUMERIC, which has no NaN or infinity, so those fail as out of range too.
 * NUMERIC(18, 9), not (38, 9): DuckDB parses text into a 38-digit decimal some twenty times slower,
 * and a value beyond 18 digits (|x| >= 1e9) is out of every range allowed here, parsed or not.
 */
export async function checkRanges(wh: Warehouse, staged: StagedFile, ranges: Readonly<Record<string, NumberRange>>): Promise<void> {
  const { checks, params } = rangeChecks(ranges);
  await checkRows(wh, staged, [checks], params);
}

/** checkRanges' checks (one group: the earliest offending row, and of its columns the first in `ranges`' order) and their bounds as parameters. */
export function rangeChecks(ranges: Readonly<Record<string, NumberRange>>): { checks: RowCheck[]; params: Record<string, number> } {
  const params: Record<string, number> = {};
  const checks = Object.entries(ranges).map(([col, range], i): RowCheck => {
    if (Math.abs(range.min) >= MAX_RANGE || Math.abs(range.max) >= MAX_RANGE) throw new Error(`checkRanges: bounds of ${col} beyond NUMERIC(18, 9)`);
    params[`lo${i}`] = range.min;
    params[`hi${i}`] = range.max;
    return {
      column: col,
      predicate: (v) => {
        // Bounded as a FLOAT64 first: BigQuery's reference evaluator raises on a SAFE_CAST beyond
        // NUMERIC(18, 9) instead of giving NULL, and a value that large is out of range either way.
        const numeric = `CASE WHEN abs({{try_cast(trim(${v}), FLOAT64)}}) < ${MAX_RANGE} THEN {{try_cast(trim(${v}), NUMERIC(18, 9))}} END`;
        const value = range.abs ? `abs(${numeric})` : numeric;
        const inside = `${value} BETWEEN CAST($lo${i} AS NUMERIC(18, 9)) AND CAST($hi${i} AS NUMERIC(18, 9))`;
        return `(NULLIF(trim(${v}), '') IS NOT NULL AND NOT coalesce(${inside}, false))`;
      },
      message: (value) => `column '${col}' has value '${value ?? ''}' out of range (expected a finite number with ${describeRange(col, range)})`,
    };
  });
  return { checks, params };
}

/**
 * Stages rows parsed on this machine (landed JSON, name files, code tables) as text columns plus
 * stage_row (their index). DuckDB: a temp table read from a newline-delimited JSON file with
 * declared columns (a bound JSON parameter unpacked by from_json is ten times slower for a night's
 * play-by-play); BigQuery: one load job into `nba_staging.<name>`.
 */
export async function stageRows(
  wh: Warehouse,
  name: string,
  label: string,
  columns: readonly string[],
  rows: readonly Readonly<Record<string, string | number | null>>[],
): Promise<StagedFile> {
  for (const c of [name, ...columns]) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c)) throw new Error(`not a plain identifier: ${c}`);
  // Each row's JSON with stage_row appended (cheaper than copying thousands of objects to add a key).
  const line = (r: object, i: number) => {
    const json = JSON.stringify(r);
    return json === '{}' ? `{"stage_row":${i}}` : `${json.slice(0, -1)},"stage_row":${i}}`;
  };
  const ndjson = rows.map(line).join('\n');
  if (wh.dialect === 'bigquery') return stageRowsOnBigQuery(wh, name, label, columns, ndjson);
  const dir = mkdtempSync(join(tmpdir(), 'courtside-stage-'));
  const path = join(dir, `${name}.ndjson`);
  const declared = `{${[...columns.map((c) => `'${c}': 'VARCHAR'`), `'stage_row': 'BIGINT'`].join(', ')}}`;
  try {
    writeFileSync(path, ndjson);
    await wh.exec(
      rows.length === 0
        ? `CREATE OR REPLACE TEMP TABLE ${name} AS SELECT * FROM (SELECT ${[...columns.map((c) => `CAST(NULL AS VARCHAR) AS ${c}`), 'CAST(NULL AS BIGINT) AS stage_row'].join(', ')}) WHERE false`
        : `CREATE OR REPLACE TEMP TABLE ${name} AS SELECT * FROM read_json($path, format = 'newline_delimited', columns = ${declared})`,
      { path },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { file: label, source: name, params: {}, table: name, rows: rows.length, columns: [...columns] };
}
