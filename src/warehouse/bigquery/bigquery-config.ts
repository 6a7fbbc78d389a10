// Which warehouse a command opens and, for BigQuery, how: `--warehouse bigquery://PROJECT`, else
// COURTSIDE_WAREHOUSE, else `"warehouse"` in courtside.config.json, else the DuckDB file. BigQuery
// settings come from the config file's `"bigquery"` object with COURTSIDE_BQ_* variables on top.
import { z } from 'zod';
import { envSetting } from '../../core/env.js';
import { UsageError } from '../../core/errors.js';
import type { WarehouseChoice } from '../warehouse-target.js';

// Which warehouse (parsing --warehouse, the environment and the config file) lives in
// warehouse-target.ts, which every command loads; these settings are loaded only for BigQuery.
export { parseWarehouseUrl, readWarehouseFileConfig, resolveWarehouseTarget, type WarehouseChoice, type WarehouseTarget } from '../warehouse-target.js';

/** On-demand analysis price in USD per TiB scanned (us/eu multi-region list price); configurable. */
export const DEFAULT_PRICE_PER_TIB_USD = 6.25;

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

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = envSetting(env, name);
  if (raw === undefined) return undefined;
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
  const prefix = envSetting(env, 'COURTSIDE_BQ_DATASET_PREFIX') ?? file.datasetPrefix ?? ''; // empty = unset, as every variable
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
