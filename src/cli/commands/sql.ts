// courtside sql "SELECT …": one ad-hoc read-only query; the prior art's operator queries run unchanged.
import type { Command } from 'commander';

export interface SqlFlags {
  readonly timeout?: string;
}

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('run one read-only query against the warehouse (it sees the warehouse only: no files, URLs or extensions)')
    .argument('<query>', 'one statement: SELECT, EXPLAIN, SHOW TABLES, DESCRIBE …')
    .option('--timeout <seconds>', 'cancel the query after this many seconds (default 300); a timeout exits 1')
    .action(async (query: string, flags: SqlFlags, command: Command) => (await import('../actions/sql.js')).sql(query, flags, command));
}
