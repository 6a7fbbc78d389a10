// Which warehouse a command opens and, for BigQuery, how: `--warehouse bigquery://PROJECT`, else
// COURTSIDE_WAREHOUSE, else `"warehouse"` in courtside.config.json, else the DuckDB file. BigQuery
// settings come from the config file's `"bigquery"` object with COURTSIDE_BQ_* variables on top.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';

/** On-demand analysis price in USD per TiB scanned (us/eu multi-region list price); configurable. */
export const DEFAULT_PRICE_PER_TIB_USD = 6.25;

export type WarehouseTarget = { readonly kind: 'duckdb' } | { readonly kind: 'bigquery'; readonly projectId: string };

export interface BigQuerySettings {
  readonly projectId: string;
  /** Dataset location, e.g. `US`, `EU`, `us-central1`; undefined = BigQuery's default (US). */
  readonly location?: string;
  /** Prepended to every dataset name: `dev_alice_` → `dev_alice_nba_raw`. */
  readonly datasetPrefix: string;
  /** REST endpoint instead of https://bigquery.googleapis.com (tests point it at loopback). */
  readonly apiEndpoint?: string;
  /** For `backfill --dry-run` cost reporting. */
  readonly pricePerTiBUsd: number;
}

/** The `"bigquery"` object of courtside.config.json. */
export const BigQueryFileSchema = z.strictObject({
  location: z.string().min(1).optional(),
  datasetPrefix: z.string().regex(/^[A-Za-z0-9_]*$/, 'letters, digits and _ only').optional(),
  apiEndpoint: z.string().url().optional(),
  pricePerTiBUsd: z.number().nonnegative().optional(),
});

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
  const fromEnv = env['COURTSIDE_WAREHOUSE'];
  if (fromEnv !== undefined && fromEnv !== '') return parseWarehouseUrl(fromEnv, 'COURTSIDE_WAREHOUSE');
  if (choice.file?.warehouse !== undefined) return parseWarehouseUrl(choice.file.warehouse, `${choice.file.path ?? 'config file'}: warehouse`);
  return { kind: 'duckdb' };
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number, got '${raw}'`);
  return n;
}

/** BigQuery settings for `projectId`: config file first, environment on top. */
export function bigQuerySettings(projectId: string, choice: WarehouseChoice = {}): BigQuerySettings {
  const env = choice.env ?? process.env;
  const parsed = BigQueryFileSchema.safeParse(choice.file?.bigquery ?? {});
  if (!parsed.success) throw new UsageError(`${choice.file?.path ?? 'config file'}: bigquery.${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const file = parsed.data;
  const prefix = env['COURTSIDE_BQ_DATASET_PREFIX'] ?? file.datasetPrefix ?? '';
  if (!/^[A-Za-z0-9_]*$/.test(prefix)) throw new UsageError(`COURTSIDE_BQ_DATASET_PREFIX '${prefix}' may contain only letters, digits and '_'`);
  const location = env['COURTSIDE_BQ_LOCATION'] || file.location;
  const apiEndpoint = env['COURTSIDE_BQ_API_ENDPOINT'] || file.apiEndpoint;
  return {
    projectId,
    datasetPrefix: prefix,
    pricePerTiBUsd: numberFromEnv(env, 'COURTSIDE_BQ_PRICE_PER_TIB_USD') ?? file.pricePerTiBUsd ?? DEFAULT_PRICE_PER_TIB_USD,
    ...(location ? { location } : {}),
    ...(apiEndpoint ? { apiEndpoint } : {}),
  };
}

/** On-demand cost of scanning `bytes` (BigQuery bills at least 10 MiB per query that scans anything). */
export function onDemandCostUsd(bytes: number, pricePerTiBUsd: number): number {
  const billed = bytes === 0 ? 0 : Math.max(bytes, 10 * 1024 ** 2);
  return (billed / 1024 ** 4) * pricePerTiBUsd;
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
