// courtside serve [--port 8787] [--host 127.0.0.1]: the read-only web dashboard. The web server is
// imported only when this command runs, so other commands do not load it.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { resolveDbPath } from '../../warehouse/open.js';
import { globalOptions } from '../context.js';

interface ServeFlags {
  readonly port: string;
  readonly host: string;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 = any free port), got '${value}'`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('read-only web dashboard: partition health, failures, runs, registry, players, slate (also as JSON under /api)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8787')
    .option('--host <address>', 'address to bind; the default serves this machine only', '127.0.0.1')
    .action(async (flags: ServeFlags, command: Command) => {
      const port = parsePort(flags.port);
      const db = resolveDbPath(globalOptions(command).db);
      if (!existsSync(db)) throw new UsageError(`no warehouse at ${db} (run \`courtside ingest\` first, or give --db)`);
      const { startDashboard } = await import('../../web/server.js');
      const server = await startDashboard({ db, host: flags.host, port });
      process.stdout.write(`courtside dashboard on ${server.url} (warehouse ${db}, opened read-only per request); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}
