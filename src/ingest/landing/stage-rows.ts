// Stages rows parsed from landed JSON responses as an all-text temp table, so the season files'
// validation (stage.ts: checkValues, checkTeamCodes) and loaders run on them unchanged. The rows go
// through a newline-delimited JSON temp file that DuckDB's reader takes with declared columns —
// the DuckDB side of loading, like read_csv for the season files (a bound JSON parameter unpacked
// by from_json is ten times slower for a night's play-by-play); the checks and inserts that follow
// are shared.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const declared = `{${[...columns.map((c) => `'${c}': 'VARCHAR'`), `'row_index': 'BIGINT'`].join(', ')}}`;
  const dir = mkdtempSync(join(tmpdir(), 'courtside-stage-'));
  const path = join(dir, `${table}.ndjson`);
  try {
    // Each row's JSON with row_index appended (cheaper than copying 5,000 objects to add a key).
    const line = (r: object, i: number) => {
      const json = JSON.stringify(r);
      return json === '{}' ? `{"row_index":${i}}` : `${json.slice(0, -1)},"row_index":${i}}`;
    };
    writeFileSync(path, rows.map(line).join('\n'));
    await tx.exec(
      rows.length === 0
        ? `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM (SELECT ${[...columns.map((c) => `CAST(NULL AS VARCHAR) AS "${c}"`), 'CAST(NULL AS BIGINT) AS row_index'].join(', ')}) WHERE false`
        : `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_json($path, format = 'newline_delimited', columns = ${declared})`,
      { path },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
