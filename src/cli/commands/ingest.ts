// courtside ingest [--season 2021-22 …] [--source DIR]: load raw data, build the registry and Phase 3.
// courtside ingest --date D [--landing DIR] (or --landing DIR alone): the incremental ingest of
// landed feed files (ingest-landed.ts), one date per transaction.
import type { Command } from 'commander';

export interface IngestFlags {
  readonly season?: string[];
  readonly source?: string;
  readonly date?: string;
  readonly landing?: string;
  readonly force?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load raw play-by-play, odds, prop lines and names; build the registry and Phase 3 tables')
    .option('--season <season...>', 'seasons to load (default: every bundled season, 2021-22 2022-23)')
    .option('--source <dir>', 'data directory laid out like the bundled data/ (default: the bundled data)')
    .option('--date <date>', 'incremental: add one date of the landing folder (its games, and the pre-game contexts it reaches)')
    .option('--landing <dir>', 'incremental: the landing folder (default: COURTSIDE_LANDING_DIR, else nightly.landingDir, else ./landing); alone, every date landed there')
    .option('--force', 'incremental: ingest dates whose landed files have not changed since their last ingest, and play-by-play the fetch judged short of the final score')
    .action(async (flags: IngestFlags, command: Command) => {
      if (flags.date !== undefined || flags.landing !== undefined) {
        const { ingestLandedCommand } = await import('../actions/ingest-landed.js');
        await ingestLandedCommand(command, { ...flags, seasonOrSource: flags.season !== undefined || flags.source !== undefined });
        return;
      }
      await (await import('../actions/ingest.js')).ingest(flags, command);
    });
}
