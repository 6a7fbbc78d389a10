// What every command gets: the global options and a way to open the warehouse for the command's duration.
import type { Command } from 'commander';
import { openWarehouse } from '../warehouse/open.js';
import { migrate } from '../warehouse/migrate.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { parseFormat, type OutputFormat } from './format.js';

/** Timeout of any query that does not set its own (ingest, reports, registry): 5 minutes. */
export const DEFAULT_QUERY_TIMEOUT_MS = 300_000;

export interface GlobalOptions {
  readonly db?: string;
  /** --warehouse bigquery://PROJECT */
  readonly warehouse?: string;
  readonly format: OutputFormat;
}

export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<{ db?: string; format?: string; warehouse?: string }>();
  return { db: opts.db, format: parseFormat(opts.format), ...(opts.warehouse !== undefined ? { warehouse: opts.warehouse } : {}) };
}

/** Opens the warehouse (creating every schema on first use), runs `work`, always closes. */
export async function withWarehouse<T>(command: Command, work: (wh: Warehouse, g: GlobalOptions) => Promise<T>): Promise<T> {
  const g = globalOptions(command);
  // Every query gets a timeout that really interrupts it; the engine sets tighter ones per mode.
  const wh = await openWarehouse({ db: g.db, defaultTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS, labels: { command: command.name() }, ...(g.warehouse !== undefined ? { warehouse: g.warehouse } : {}) });
  try {
    await migrate(wh);
    return await work(wh, g);
  } finally {
    await wh.close();
  }
}

/** Sets the process exit code without cutting output short (1 = some partitions failed). */
export function setExitCode(code: number): void {
  if (code > Number(process.exitCode ?? 0)) process.exitCode = code;
}
