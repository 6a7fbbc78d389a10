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
const PARSES: Record<ValueKind, (c: string) => string> = {
  integer: (c) => `{{try_cast(trim(${c}), INT64)}} IS NOT NULL`,
  number: (c) => `{{try_cast(trim(${c}), FLOAT64)}} IS NOT NULL`,
  boolean: (c) => `lower(${c}) IN ('true', 'false', '1', '0')`,
  date8: (c) => `length(${c}) = 8 AND ${date8(c)} IS NOT NULL`,
  iso_clock: (c) => `regexp_replace(${c}, '^PT[0-9]+M[0-9]+([.][0-9]+)?S$', '') = ''`,
  timestamp: (c) => `{{try_cast(${c}, TIMESTAMP)}} IS NOT NULL`,
  // '|'-joined person ids ('1629027|203999'): every item a number, none empty.
  id_list: (c) => `regexp_replace(${c}, '^[0-9]+([|][0-9]+)*$', '') = ''`,
};

/** Of several `first offending row` columns, the earliest row and which check it was. */
function earliest(row: Record<string, number | null> | undefined, count: number): { index: number; rowid: number } | undefined {
  let worst: { index: number; rowid: number } | undefined;
  for (let i = 0; i < count; i++) {
    const rowid = row?.[`c${i}`];
    if (typeof rowid === 'number' && (!worst || rowid < worst.rowid)) worst = { index: i, rowid };
  }
  return worst;
}

/**
 * Fails on the first row (file order) whose value in a typed column does not parse, or is empty in
 * a required column. One aggregate pass over the file: per column, the first offending row.
 */
export async function checkValues(
  wh: Warehouse,
  staged: StagedFile,
  kinds: Readonly<Record<string, ValueKind>>,
  required: readonly string[] = [],
): Promise<void> {
  const checks: { col: string; problem: string; predicate: string }[] = [];
  for (const col of required) checks.push({ col, problem: 'is empty', predicate: `NULLIF(trim(${text(col)}), '') IS NULL` });
  for (const [col, kind] of Object.entries(kinds)) {
    const c = text(col);
    checks.push({ col, problem: `expected ${kind}`, predicate: `(NULLIF(trim(${c}), '') IS NOT NULL AND NOT coalesce(${PARSES[kind](c)}, false))` });
  }
  const [firsts] = await scanStaged<Record<string, number | null>>(
    wh,
    staged,
    `SELECT ${checks.map((k, i) => `min(CASE WHEN ${k.predicate} THEN stage_row END) AS c${i}`).join(', ')} FROM ${staged.source}`,
  );
  const worst = earliest(firsts, checks.length);
  if (!worst) return;
  const check = checks[worst.index]!;
  const [value] = await scanStaged<{ v: string | null }>(wh, staged, `SELECT ${text(check.col)} AS v FROM ${staged.source} WHERE stage_row = $rowid`, { rowid: worst.rowid });
  const shown = check.problem === 'is empty' ? 'is empty' : `has unparsable value '${value?.v ?? ''}' (${check.problem})`;
  throw new InputError(staged.file, `column '${check.col}' ${shown}`, worst.rowid + 1);
}

/** Fails on the first row whose value in one of `columns` is not a known team code. */
export async function checkTeamCodes(wh: Warehouse, staged: StagedFile, columns: readonly string[]): Promise<void> {
  for (const col of columns) {
    const rows = await scanStaged<{ row_number: number; value: string }>(
      wh,
      staged,
      `SELECT stage_row + 1 AS row_number, ${text(col)} AS value FROM ${staged.source}
       WHERE ${col} IS NOT NULL AND ${text(col)} NOT IN (SELECT * FROM UNNEST($team_codes))
       ORDER BY stage_row LIMIT 1`,
      { team_codes: [...TEAM_TRICODES] },
    );
    const first = rows[0];
    if (first) throw new InputError(staged.file, `column '${col}' has unknown team code '${first.value}'`, first.row_number);
  }
}

/** Inclusive bounds of a numeric column's value, or of its absolute value when `abs` is set. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly abs?: boolean;
}

function describeRange(col: string, r: NumberRange): string {
  if (r.abs) return r.min === 0 ? `|${col}| at most ${r.max}` : `|${col}| from ${r.min} to ${r.max}`;
  return `${col} from ${r.min} to ${r.max}`;
}

/**
 * Fails on the first row (file order) whose value in one of `ranges`' columns is not a finite
 * number inside its range (empty values pass: checkValues decides whether a column is required).
 * A value is read as NUMERIC, which has no NaN or infinity, so those fail as out of range too.
 */
export async function checkRanges(wh: Warehouse, staged: StagedFile, ranges: Readonly<Record<string, NumberRange>>): Promise<void> {
  const checks = Object.entries(ranges);
  const params: Record<string, number> = {};
  const firsts = checks.map(([col, range], i) => {
    const t = `trim(${text(col)})`;
    const value = range.abs ? `abs({{try_cast(${t}, NUMERIC(38, 9))}})` : `{{try_cast(${t}, NUMERIC(38, 9))}}`;
    params[`lo${i}`] = range.min;
    params[`hi${i}`] = range.max;
    const inside = `${value} BETWEEN CAST($lo${i} AS NUMERIC(38, 9)) AND CAST($hi${i} AS NUMERIC(38, 9))`;
    return `min(CASE WHEN NULLIF(${t}, '') IS NOT NULL AND NOT coalesce(${inside}, false) THEN stage_row END) AS c${i}`;
  });
  const [row] = await scanStaged<Record<string, number | null>>(wh, staged, `SELECT ${firsts.join(', ')} FROM ${staged.source}`, params);
  const worst = earliest(row, checks.length);
  if (!worst) return;
  const [col, range] = checks[worst.index]!;
  const [value] = await scanStaged<{ v: string | null }>(wh, staged, `SELECT ${text(col)} AS v FROM ${staged.source} WHERE stage_row = $rowid`, { rowid: worst.rowid });
  throw new InputError(staged.file, `column '${col}' has value '${value?.v ?? ''}' out of range (expected a finite number with ${describeRange(col, range)})`, worst.rowid + 1);
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
