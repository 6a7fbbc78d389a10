// courtside sql "SELECT …": ad-hoc read-only queries; the prior art's operator queries run unchanged.
import type { Command } from 'commander';
import { formatRows } from '../format.js';
import { withWarehouse } from '../context.js';

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('run one read-only query (SELECT) against the warehouse')
    .argument('<query>', 'the SQL to run')
    .action(async (query: string, _opts: unknown, command: Command) => {
      await withWarehouse(command, async (wh, g) => {
        const rows = await wh.readOnlyQuery(query);
        process.stdout.write(`${formatRows(rows, g.format)}\n`);
      });
    });
}
