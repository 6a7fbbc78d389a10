// What every command's action gets: the global options and the warehouse, opened the way the
// command uses it, for the command's duration.
import type { Command } from 'commander';
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

/**
 * How a command uses the warehouse:
 * - `read`: opened read-only and sandboxed, never migrated; works on a file the user may not
 *   write and beside other readers (sql, coverage, failures, runs, registry pending, --dry-run);
 * - `write`: an existing warehouse, migrated first (backfill, run, reset, registry alias/reprocess);
 * - `create`: like write, and creates the file if there is none (ingest only).
 */
export type CommandAccess = 'read' | 'write' | 'create';

export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<{ db?: string; format?: string; warehouse?: string }>();
  return { db: opts.db, format: parseFormat(opts.format), ...(opts.warehouse !== undefined ? { warehouse: opts.warehouse } : {}) };
}

/** Opens the warehouse for `access`, runs `work`, always closes. */
export async function withWarehouse<T>(command: Command, access: CommandAccess, work: (wh: Warehouse, g: GlobalOptions) => Promise<T>): Promise<T> {
  const g = globalOptions(command);
  // Every query gets a timeout that really interrupts it; the engine sets tighter ones per mode.
  // Loaded here, not at start-up: opening pulls in DuckDB, which --help and argument errors never need.
  const { openWarehouse } = await import('../warehouse/open.js');
  const wh = await openWarehouse({
    db: g.db,
    defaultTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS,
    access: access === 'read' ? 'read' : 'write',
    create: access === 'create',
    labels: { command: command.name() },
    ...(g.warehouse !== undefined ? { warehouse: g.warehouse } : {}),
  });
  try {
    return await work(wh, g);
  } finally {
    await wh.close();
  }
}

/** Sets the process exit code without cutting output short (1 = some partitions failed). */
export function setExitCode(code: number): void {
  if (code > Number(process.exitCode ?? 0)) process.exitCode = code;
}
