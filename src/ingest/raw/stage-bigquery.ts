// Staging on BigQuery: a load job writes a file's rows into a table in no particular order, so the
// row numbers that errors name are added on this machine first. A local, in-memory DuckDB (Courtside
// always ships it) reads the file exactly as the DuckDB warehouse does — the same CSV reader, so a
// broken file fails here with the same error naming its line — and writes a Parquet copy with every
// column as text plus `stage_row`; ONE load job puts it into `nba_staging.<name>`. Rows parsed from
// landed JSON go the same way (stageRowsOnBigQuery).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../../warehouse/duckdb/node-api.js';
import { InputError, errorMessage } from '../../core/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { CSV_READER, unreadableCsv } from './csv-reader.js';

/** The dataset of staging tables on BigQuery (created on first use; an ingest drops its tables when done). */
export const STAGING_SCHEMA = 'nba_staging';

/** What a staged relation is, as stage.ts describes it (kept structural here to avoid an import cycle). */
export interface StagedOnBigQuery {
  readonly file: string;
  readonly source: string;
  readonly params: Record<string, never>;
  readonly table: string;
  readonly rows: number;
  readonly columns: readonly string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (path: string) => `'${path.replace(/'/g, "''")}'`;

async function withLocalDuckDb<T>(work: (c: DuckDBConnection, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'courtside-staging-'));
  const db = await duckdb.DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await db.connect();
  try {
    return await work(c, dir);
  } finally {
    c.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plain-identifier columns, once each (BigQuery names are case-insensitive); others cannot be named there and no loader reads them. */
function loadable(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.filter((c) => c !== 'stage_row' && c !== 'file_row_number' && IDENT.test(c) && !seen.has(c.toLowerCase()) && Boolean(seen.add(c.toLowerCase())));
}

/**
 * Writes `relation` (local DuckDB; text columns and stage_row) as Parquet, creates (or replaces)
 * the staging table and loads the file into it: one DDL job, one load job.
 */
async function load(wh: Warehouse, c: DuckDBConnection, dir: string, name: string, columns: readonly string[], relation: string, params: Record<string, string>): Promise<{ table: string; rows: number }> {
  const out = join(dir, `${name}.parquet`);
  const select = `SELECT ${[...columns.map((col) => `CAST(${quote(col)} AS VARCHAR) AS ${quote(col)}`), 'CAST(stage_row AS BIGINT) AS stage_row'].join(', ')} FROM ${relation} ORDER BY stage_row`;
  await c.run(`COPY (${select}) TO ${literal(out)} (FORMAT parquet)`, params);
  const rows = Number((await c.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(out)})`)).getRowsJS()[0]?.[0] ?? 0);
  const table = `${STAGING_SCHEMA}.${name}`;
  // Registers the dataset (created where missing) so that `nba_staging.` names map to it.
  await wh.applyDdl(`CREATE SCHEMA IF NOT EXISTS ${STAGING_SCHEMA};`);
  await wh.exec(`CREATE OR REPLACE TABLE ${table} (${[...columns.map((col) => `${col} STRING`), 'stage_row INT64'].join(', ')})`);
  await wh.load(table, out, 'parquet');
  return { table, rows };
}

/** A season file (Parquet, CSV or gzipped CSV), numbered here and loaded into `nba_staging.<name>`. */
export async function stageFileOnBigQuery(wh: Warehouse, file: string, name: string): Promise<StagedOnBigQuery> {
  return withLocalDuckDb(async (c, dir) => {
    const isParquet = file.endsWith('.parquet');
    let all: string[];
    try {
      if (!isParquet) await c.run(`CREATE TABLE staged_csv AS SELECT * FROM ${CSV_READER('$path')}`, { path: file });
      const described = await c.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${isParquet ? 'read_parquet($path)' : 'staged_csv'})`, isParquet ? { path: file } : {});
      all = described.getRowsJS().map((r) => String(r[0]));
    } catch (err) {
      if (!isParquet) throw await unreadableCsv(file, err);
      throw new InputError(file, `cannot be read: ${errorMessage(err).split('\n')[0]}`, undefined, { cause: err });
    }
    const columns = loadable(all);
    const relation = isParquet ? `(SELECT *, file_row_number AS stage_row FROM read_parquet($path, file_row_number = true))` : `(SELECT *, rowid AS stage_row FROM staged_csv)`;
    let loaded: { table: string; rows: number };
    try {
      loaded = await load(wh, c, dir, name, columns, relation, isParquet ? { path: file } : {});
    } catch (err) {
      if (!isParquet || !/read_parquet|Parquet|parquet/.test(errorMessage(err))) throw err;
      throw new InputError(file, `cannot be read: ${errorMessage(err).split('\n')[0]}`, undefined, { cause: err });
    }
    if (loaded.rows === 0) throw new InputError(file, 'has no data rows');
    return { file, source: loaded.table, params: {}, table: loaded.table, rows: loaded.rows, columns: all };
  });
}

/** Rows already parsed (all text; stage_row = their index), loaded into `nba_staging.<name>`. */
export async function stageRowsOnBigQuery(wh: Warehouse, name: string, label: string, columns: readonly string[], ndjson: string): Promise<StagedOnBigQuery> {
  return withLocalDuckDb(async (c, dir) => {
    const path = join(dir, `${name}.ndjson`);
    writeFileSync(path, ndjson);
    const declared = `{${[...columns.map((col) => `'${col}': 'VARCHAR'`), `'stage_row': 'BIGINT'`].join(', ')}}`;
    const relation = ndjson === '' ? `(SELECT ${[...columns.map((col) => `CAST(NULL AS VARCHAR) AS ${col}`), 'CAST(NULL AS BIGINT) AS stage_row'].join(', ')} WHERE false)` : `read_json(${literal(path)}, format = 'newline_delimited', columns = ${declared})`;
    const loaded = await load(wh, c, dir, name, columns, relation, {});
    return { file: label, source: loaded.table, params: {}, table: loaded.table, rows: loaded.rows, columns };
  });
}
