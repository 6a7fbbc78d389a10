// courtside serve [--port 8787] [--host 127.0.0.1]: the read-only web dashboard. The web server is
// imported only when this command runs (actions/serve.ts), so other commands do not load it.
import type { Command } from 'commander';

export interface ServeFlags {
  readonly port: string;
  readonly host: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('read-only web dashboard: partition health, failures, runs, registry, players, slate (also as JSON under /api)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8787')
    .option('--host <address>', 'address to bind; the default serves this machine only', '127.0.0.1')
    .action(async (flags: ServeFlags, command: Command) => (await import('../actions/serve.js')).serve(flags, command));
}
