// Stages rows parsed from a landed JSON response as an all-text temp table, so the season files'
// validation (stage.ts: checkValues, checkTeamCodes) and loaders run on them unchanged. One bound
// parameter carries the rows; DuckDB's from_json unpacks them (like read_csv for the season files,
// this is the DuckDB side of loading; the checks and inserts that follow are shared).
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { StagedFile } from '../raw/stage.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function stageTextRows(
  tx: Warehouse,
  table: string,
  file: string,
  columns: readonly string[],
  rows: readonly Readonly<Record<string, string | number | null>>[],
): Promise<StagedFile> {
  for (const c of [table, ...columns]) if (!IDENT.test(c)) throw new Error(`not a plain identifier: ${c}`);
  const shape = JSON.stringify([Object.fromEntries([...columns.map((c) => [c, 'VARCHAR']), ['row_index', 'BIGINT']])]);
  const payload = JSON.stringify(rows.map((r, i) => ({ ...r, row_index: i })));
  await tx.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT unnest(from_json($rows, $shape), recursive := true)`, { rows: payload, shape });
  return {
    file,
    source: table,
    row: 'row_index',
    params: { stage_path: file, row_base: 0n },
    table,
    rows: rows.length,
    columns: [...columns],
    rowBase: 0n,
  };
}
