// courtside serve: starts the read-only dashboard on the warehouse and runs until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { resolveDbPath } from '../../warehouse/db-path.js';
import { readWarehouseFileConfig, resolveWarehouseTarget } from '../../warehouse/warehouse-target.js';
import type { ServeFlags } from '../commands/serve.js';
import { globalOptions } from '../context.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 = any free port), got '${value}'`);
  return n;
}

/** Node binds every interface for an empty address: an unset variable (`--host "$HOST"`) must not widen "this machine only". */
function parseHost(value: string): string {
  const host = value.trim();
  if (host === '') throw new UsageError(`--host must name an address to bind (127.0.0.1 by default; 0.0.0.0 for every interface), got ''`);
  return host;
}

export async function serve(flags: ServeFlags, command: Command): Promise<void> {
  const port = parsePort(flags.port);
  const host = parseHost(flags.host);
  const g = globalOptions(command);
  // The dashboard reads a DuckDB file per request; it has no BigQuery path yet. Say so rather than
  // serve whatever DuckDB file happens to be here.
  const file = readWarehouseFileConfig();
  const target = resolveWarehouseTarget({ ...(g.warehouse !== undefined ? { flag: g.warehouse } : {}), ...(file ? { file } : {}) });
  if (target.kind === 'bigquery') throw new UsageError(`courtside serve reads a DuckDB warehouse only; BigQuery (bigquery://${target.projectId}) is not supported by the dashboard yet: run it on a DuckDB file (--db)`);
  const db = resolveDbPath(g.db);
  if (!existsSync(db)) throw new UsageError(`no warehouse at ${db} (run \`courtside ingest\` first, or give --db)`);
  const { startDashboard } = await import('../../web/server.js');
  const server = await startDashboard({ db, host, port });
  process.stdout.write(`courtside dashboard on ${server.url} (warehouse ${db}, opened read-only per request); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
