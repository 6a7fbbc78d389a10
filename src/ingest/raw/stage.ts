// Exposes one source file as an all-text relation, so that every value can be validated with its
// row number before anything is written. A Parquet file is read in place (read_parquet with
// file_row_number: projection pushdown makes each scan cheap, and nothing is copied); a CSV file is
// copied into a temporary all-VARCHAR table whose rowid follows file order because DuckDB
// preserves insertion order.
import { InputError, errorMessage } from '../../core/errors.js';
import { isNoSpace } from '../../core/no-space.js';
import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import { diagnoseCsv } from './diagnose-csv.js';

export interface StagedFile {
  readonly file: string;
  /** FROM-clause relation of the staged rows (a temp table, or read_parquet($stage_path, ...)). */
  readonly source: string;
  /** SQL expression of a row's 0-based position in the file (uses $row_base for tables). */
  readonly row: string;
  /** Bound parameters that `source` and `row` need: spread them into every query's params. */
  readonly params: { readonly stage_path: string; readonly row_base: bigint };
  /** The temp table to drop afterwards, if one was made. */
  readonly table: string | undefined;
  readonly rows: number;
  readonly columns: readonly string[];
  /**
   * rowid of the first data row. Rows written inside an open transaction get rowids far above 0,
   * so row numbers are rowid - base + 1 (still in file order: DuckDB preserves insertion order).
   */
  readonly rowBase: bigint;
}

const PARQUET_SOURCE = `read_parquet($stage_path, file_row_number = true)`;
// strict_mode makes a short or over-long line (e.g. a truncated file) an error instead of padding it.
const CSV_READER = `read_csv($stage_path, all_varchar = true, header = true, strict_mode = true, null_padding = false, auto_detect = true)`;

function checkColumns(file: string, columns: readonly string[], required: readonly string[]): void {
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new InputError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
}

export async function stageFile(tx: Warehouse, file: string, table: string, required: readonly string[]): Promise<StagedFile> {
  if (file.endsWith('.parquet')) {
    const params = { stage_path: file, row_base: 0n };
    let columns: string[];
    let rows: number;
    try {
      const described = await tx.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($stage_path))`, params);
      columns = described.map((r) => r.column_name);
      const [count] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet($stage_path)`, params);
      rows = count?.n ?? 0;
    } catch (err) {
      if (isNoSpace(err)) throw err; // the disk, not the file
      throw new InputError(file, `cannot be read: ${errorMessage(err).split('\n')[0]}`, undefined, { cause: err });
    }
    checkColumns(file, columns, required);
    if (rows === 0) throw new InputError(file, 'has no data rows');
    return { file, source: PARQUET_SOURCE, row: 'file_row_number', params, table: undefined, rows, columns, rowBase: 0n };
  }
  try {
    await tx.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${CSV_READER}`, { stage_path: file });
  } catch (err) {
    if (isNoSpace(err)) throw err; // the disk, not the file
    const problem = await diagnoseCsv(file);
    const reason = problem?.message ?? errorMessage(err).split('\n')[0];
    throw new InputError(file, `cannot be read: ${reason}`, problem?.row, { cause: err });
  }
  const described = await tx.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table})`);
  const columns = described.map((r) => r.column_name);
  checkColumns(file, columns, required);
  const [count] = await tx.query<{ n: number; base: string | null }>(`SELECT count(*) AS n, CAST(min(rowid) AS VARCHAR) AS base FROM ${table}`);
  if (!count || count.n === 0 || count.base === null) throw new InputError(file, 'has no data rows');
  const rowBase = BigInt(count.base);
  return { file, source: table, row: '(rowid - $row_base)', params: { stage_path: file, row_base: rowBase }, table, rows: count.n, columns, rowBase };
}

/** Drops the staged temp table, if there is one. */
export async function dropStaged(tx: Warehouse, staged: StagedFile): Promise<void> {
  if (staged.table) await tx.exec(`DROP TABLE IF EXISTS ${staged.table}`);
}

/** Runs a scan of the staged file; a read failure (e.g. a corrupt Parquet page) names the file. */
export async function scanStaged<T extends Record<string, unknown>>(tx: Warehouse, staged: StagedFile, sql: string, params: SqlParams = {}): Promise<T[]> {
  try {
    return await tx.query<T>(sql, { ...params, ...staged.params });
  } catch (err) {
    if (staged.table || isNoSpace(err)) throw err;
    throw new InputError(staged.file, `cannot be read: ${errorMessage(err).split('\n')[0]}`, undefined, { cause: err });
  }
}

export type ValueKind = 'integer' | 'number' | 'boolean' | 'date8' | 'iso_clock' | 'timestamp';

const PARSES: Record<ValueKind, (col: string) => string> = {
  integer: (c) => `TRY_CAST(trim(${c}) AS BIGINT) IS NOT NULL`,
  number: (c) => `TRY_CAST(trim(${c}) AS DOUBLE) IS NOT NULL`,
  boolean: (c) => `lower(${c}) IN ('true', 'false', '1', '0')`,
  date8: (c) => `TRY_STRPTIME(${c}, '%Y%m%d') IS NOT NULL`,
  iso_clock: (c) => `regexp_full_match(${c}, 'PT\\d+M\\d+(\\.\\d+)?S')`,
  timestamp: (c) => `TRY_CAST(${c} AS TIMESTAMP) IS NOT NULL`,
};

/**
 * Fails on the first row (file order) whose value in a typed column does not parse, or is empty in
 * a required column. One aggregate pass over the file: per column, the first offending rowid.
 */
export async function checkValues(
  tx: Warehouse,
  staged: StagedFile,
  kinds: Readonly<Record<string, ValueKind>>,
  required: readonly string[] = [],
): Promise<void> {
  const checks: { col: string; problem: string; predicate: string }[] = [];
  for (const col of required) {
    checks.push({ col, problem: 'is empty', predicate: `NULLIF(trim(CAST("${col}" AS VARCHAR)), '') IS NULL` });
  }
  for (const [col, kind] of Object.entries(kinds)) {
    const c = `CAST("${col}" AS VARCHAR)`;
    checks.push({ col, problem: `expected ${kind}`, predicate: `(NULLIF(trim(${c}), '') IS NOT NULL AND NOT coalesce(${PARSES[kind](c)}, false))` });
  }
  const firsts = await scanStaged<Record<string, number | null>>(
    tx,
    staged,
    `SELECT ${checks.map((k, i) => `min(${staged.row}) FILTER (WHERE ${k.predicate}) AS c${i}`).join(', ')} FROM ${staged.source}`,
  );
  let worst: { index: number; rowid: number } | undefined;
  checks.forEach((_k, i) => {
    const rowid = firsts[0]?.[`c${i}`];
    if (typeof rowid === 'number' && (!worst || rowid < worst.rowid)) worst = { index: i, rowid };
  });
  if (!worst) return;
  const check = checks[worst.index]!;
  const [value] = await scanStaged<{ v: string | null }>(tx, staged, `SELECT CAST("${check.col}" AS VARCHAR) AS v FROM ${staged.source} WHERE ${staged.row} = $rowid`, {
    rowid: worst.rowid,
  });
  const shown = check.problem === 'is empty' ? 'is empty' : `has unparsable value '${value?.v ?? ''}' (${check.problem})`;
  throw new InputError(staged.file, `column '${check.col}' ${shown}`, worst.rowid + 1);
}

/** Fails on the first row whose value in one of `columns` is not a known team code. */
export async function checkTeamCodes(tx: Warehouse, staged: StagedFile, columns: readonly string[]): Promise<void> {
  for (const col of columns) {
    const rows = await scanStaged<{ row_number: number; value: string }>(
      tx,
      staged,
      `SELECT ${staged.row} + 1 AS row_number, "${col}" AS value FROM ${staged.source}
       WHERE "${col}" IS NOT NULL AND "${col}" NOT IN (SELECT team_abbr FROM nba_reference.teams)
       ORDER BY ${staged.row} LIMIT 1`,
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
export async function checkRanges(tx: Warehouse, staged: StagedFile, ranges: Readonly<Record<string, NumberRange>>): Promise<void> {
  const checks = Object.entries(ranges);
  const params: Record<string, number> = {};
  const firsts = checks.map(([col, range], i) => {
    const text = `trim(CAST("${col}" AS STRING))`;
    const value = range.abs ? `abs(TRY_CAST(${text} AS NUMERIC(38, 9)))` : `TRY_CAST(${text} AS NUMERIC(38, 9))`;
    params[`lo${i}`] = range.min;
    params[`hi${i}`] = range.max;
    const inside = `${value} BETWEEN CAST($lo${i} AS NUMERIC(38, 9)) AND CAST($hi${i} AS NUMERIC(38, 9))`;
    return `min(CASE WHEN NULLIF(${text}, '') IS NOT NULL AND NOT coalesce(${inside}, false) THEN ${staged.row} END) AS c${i}`;
  });
  const [row] = await scanStaged<Record<string, number | null>>(tx, staged, `SELECT ${firsts.join(', ')} FROM ${staged.source}`, params);
  let worst: { index: number; rowid: number } | undefined;
  checks.forEach((_c, i) => {
    const rowid = row?.[`c${i}`];
    if (typeof rowid === 'number' && (!worst || rowid < worst.rowid)) worst = { index: i, rowid };
  });
  if (!worst) return;
  const [col, range] = checks[worst.index]!;
  const [value] = await scanStaged<{ v: string | null }>(tx, staged, `SELECT CAST("${col}" AS STRING) AS v FROM ${staged.source} WHERE ${staged.row} = $rowid`, {
    rowid: worst.rowid,
  });
  throw new InputError(staged.file, `column '${col}' has value '${value?.v ?? ''}' out of range (expected a finite number with ${describeRange(col, range)})`, worst.rowid + 1);
}
