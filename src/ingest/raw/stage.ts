// Reads one source file into a temporary all-text table, so that every value can be validated
// with its row number before anything is written. Row numbers come from the temp table's rowid,
// which follows file order because DuckDB preserves insertion order.
import { InputError, errorMessage } from '../../core/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { diagnoseCsv } from './diagnose-csv.js';

export interface StagedFile {
  readonly file: string;
  readonly table: string;
  readonly rows: number;
  readonly columns: readonly string[];
  /**
   * rowid of the first data row. Rows written inside an open transaction get rowids far above 0,
   * so row numbers are rowid - base + 1 (still in file order: DuckDB preserves insertion order).
   */
  readonly rowBase: bigint;
}

function reader(file: string): string {
  if (file.endsWith('.parquet')) return `read_parquet($path)`;
  // strict_mode makes a short or over-long line (e.g. a truncated file) an error instead of padding it.
  return `read_csv($path, all_varchar = true, header = true, strict_mode = true, null_padding = false, auto_detect = true)`;
}

export async function stageFile(tx: Warehouse, file: string, table: string, required: readonly string[]): Promise<StagedFile> {
  try {
    await tx.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${reader(file)}`, { path: file });
  } catch (err) {
    const problem = file.endsWith('.parquet') ? undefined : await diagnoseCsv(file);
    const reason = problem?.message ?? errorMessage(err).split('\n')[0];
    throw new InputError(file, `cannot be read: ${reason}`, problem?.row, { cause: err });
  }
  const described = await tx.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table})`);
  const columns = described.map((r) => r.column_name);
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new InputError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
  const [count] = await tx.query<{ n: number; base: string | null }>(`SELECT count(*) AS n, CAST(min(rowid) AS VARCHAR) AS base FROM ${table}`);
  if (!count || count.n === 0 || count.base === null) throw new InputError(file, 'has no data rows');
  return { file, table, rows: count.n, columns, rowBase: BigInt(count.base) };
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
  const firsts = await tx.query<Record<string, number | null>>(
    `SELECT ${checks.map((k, i) => `min(rowid - $row_base) FILTER (WHERE ${k.predicate}) AS c${i}`).join(', ')} FROM ${staged.table}`,
    { row_base: staged.rowBase },
  );
  let worst: { index: number; rowid: number } | undefined;
  checks.forEach((_k, i) => {
    const rowid = firsts[0]?.[`c${i}`];
    if (typeof rowid === 'number' && (!worst || rowid < worst.rowid)) worst = { index: i, rowid };
  });
  if (!worst) return;
  const check = checks[worst.index]!;
  const [value] = await tx.query<{ v: string | null }>(`SELECT CAST("${check.col}" AS VARCHAR) AS v FROM ${staged.table} WHERE rowid - $row_base = $rowid`, {
    rowid: worst.rowid,
    row_base: staged.rowBase,
  });
  const shown = check.problem === 'is empty' ? 'is empty' : `has unparsable value '${value?.v ?? ''}' (${check.problem})`;
  throw new InputError(staged.file, `column '${check.col}' ${shown}`, worst.rowid + 1);
}

/** Fails on the first row whose value in one of `columns` is not a known team code. */
export async function checkTeamCodes(tx: Warehouse, staged: StagedFile, columns: readonly string[]): Promise<void> {
  for (const col of columns) {
    const rows = await tx.query<{ row_number: number; value: string }>(
      `SELECT s.rowid - $row_base + 1 AS row_number, s."${col}" AS value FROM ${staged.table} s
       WHERE s."${col}" IS NOT NULL AND s."${col}" NOT IN (SELECT team_abbr FROM nba_reference.teams)
       ORDER BY s.rowid LIMIT 1`,
      { row_base: staged.rowBase },
    );
    const first = rows[0];
    if (first) throw new InputError(staged.file, `column '${col}' has unknown team code '${first.value}'`, first.row_number);
  }
}
