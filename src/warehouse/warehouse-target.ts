// Which warehouse a command opens: `--warehouse bigquery://PROJECT`, else COURTSIDE_WAREHOUSE, else
// `"warehouse"` in courtside.config.json, else the DuckDB file. Kept apart from the BigQuery settings
// (bigquery/bigquery-config.ts) so that every command can decide without loading them.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { envSetting } from '../core/env.js';
import { UsageError } from '../core/errors.js';

export type WarehouseTarget = { readonly kind: 'duckdb' } | { readonly kind: 'bigquery'; readonly projectId: string };

/** `bigquery://my-project` → BigQuery; `duckdb` (or empty) → the DuckDB file. */
export function parseWarehouseUrl(url: string, where: string): WarehouseTarget {
  const text = url.trim();
  if (text === '' || text === 'duckdb') return { kind: 'duckdb' };
  const m = /^bigquery:\/\/([a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z0-9.-]+:[a-z][a-z0-9-]{4,28}[a-z0-9])\/?$/.exec(text);
  if (m) return { kind: 'bigquery', projectId: m[1] as string };
  throw new UsageError(`${where}: '${url}' is not a warehouse (expected bigquery://PROJECT_ID or duckdb)`);
}

export interface WarehouseChoice {
  /** --warehouse */
  readonly flag?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** `"warehouse"` and `"bigquery"` of the config file, when it has them. */
  readonly file?: { readonly warehouse?: string; readonly bigquery?: unknown; readonly path?: string };
}

export function resolveWarehouseTarget(choice: WarehouseChoice): WarehouseTarget {
  const env = choice.env ?? process.env;
  if (choice.flag !== undefined) return parseWarehouseUrl(choice.flag, '--warehouse');
  const fromEnv = envSetting(env, 'COURTSIDE_WAREHOUSE');
  if (fromEnv !== undefined) return parseWarehouseUrl(fromEnv, 'COURTSIDE_WAREHOUSE');
  if (choice.file?.warehouse !== undefined) return parseWarehouseUrl(choice.file.warehouse, `${choice.file.path ?? 'config file'}: warehouse`);
  return { kind: 'duckdb' };
}

/**
 * The `"warehouse"` and `"bigquery"` keys of courtside.config.json (COURTSIDE_CONFIG names another
 * file); the engine's loadConfig validates the rest of the file.
 */
export function readWarehouseFileConfig(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): WarehouseChoice['file'] {
  const env = options.env ?? process.env;
  const path = env['COURTSIDE_CONFIG'] ? resolve(env['COURTSIDE_CONFIG']) : resolve(options.cwd ?? process.cwd(), 'courtside.config.json');
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const o = (raw ?? {}) as { warehouse?: unknown; bigquery?: unknown };
  if (o.warehouse !== undefined && typeof o.warehouse !== 'string') throw new UsageError(`${path}: warehouse must be a string such as "bigquery://PROJECT"`);
  return { path, ...(o.warehouse !== undefined ? { warehouse: o.warehouse as string } : {}), ...(o.bigquery !== undefined ? { bigquery: o.bigquery } : {}) };
}
