// The `courtside` command line: wires up the commands and maps errors to exit codes in one place
// (0 ok, 1 some partitions failed, 2 usage/config/input).
//
// Start-up stays fast because each command is two files:
//   commands/<verb>.ts  declares it (flags, help) and imports nothing heavy;
//   actions/<verb>.ts   does the work, loaded by the declaration's .action() with `await import()`.
// So `courtside --help` or `courtside runs` never loads DuckDB, the processors or the engine they
// do not use. A new command follows the same pattern and is registered below.
import { Command, CommanderError } from 'commander';
import { CourtsideError } from '../core/errors.js';
import { registerIngest } from './commands/ingest.js';
import { registerSql } from './commands/sql.js';
import { registerBackfill } from './commands/backfill.js';
import { registerCoverage } from './commands/coverage.js';
import { registerFailures } from './commands/failures.js';
import { registerReset } from './commands/reset.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerRegistry } from './commands/registry.js';
import { registerServe } from './commands/serve.js';
import { registerDaily } from './commands/daily.js';
import { registerFetch } from './commands/fetch.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerReport } from './commands/report.js';

export function buildProgram(): Command {
  const program = new Command('courtside')
    .description('NBA player-points prop analytics pipeline (DuckDB by default)')
    .option('--db <path>', 'DuckDB file (default ./courtside.duckdb, or COURTSIDE_DB)')
    .option('--format <format>', 'output format where tabular: table | csv | json', 'table')
    .option('--warehouse <url>', 'bigquery://PROJECT to run on BigQuery (or COURTSIDE_WAREHOUSE, or "warehouse" in courtside.config.json); default: the DuckDB file')
    // Inherited by every command added below, so each command's --help shows --db and --format.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .exitOverride();
  registerIngest(program);
  registerSql(program);
  registerBackfill(program);
  registerRun(program);
  registerCoverage(program);
  registerFailures(program);
  registerReset(program);
  registerRuns(program);
  registerRegistry(program);
  registerServe(program);
  registerFetch(program);
  registerDaily(program);
  registerEvaluate(program);
  registerReport(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CourtsideError) {
      process.stderr.write(`courtside: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`courtside: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
