// courtside ingest [--season 2021-22 …] [--source DIR]: load raw data, build the registry and Phase 3.
import type { Command } from 'commander';

export interface IngestFlags {
  readonly season?: string[];
  readonly source?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load raw play-by-play, odds, prop lines and names; build the registry and Phase 3 tables')
    .option('--season <season...>', 'seasons to load (default: every bundled season, 2021-22 2022-23)')
    .option('--source <dir>', 'data directory laid out like the bundled data/ (default: the bundled data)')
    .action(async (flags: IngestFlags, command: Command) => (await import('../actions/ingest.js')).ingest(flags, command));
}
