// courtside sql "SELECT …": ad-hoc read-only queries; the prior art's operator queries run unchanged.
import type { Command } from 'commander';

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('run one read-only query (SELECT) against the warehouse')
    .argument('<query>', 'the SQL to run')
    .action(async (query: string, _flags: unknown, command: Command) => (await import('../actions/sql.js')).sql(query, command));
}
