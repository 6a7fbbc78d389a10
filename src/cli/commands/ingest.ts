// courtside ingest [--season 2021-22 …] [--source DIR]: load raw data, build the registry and Phase 3.
// courtside ingest --date D [--landing DIR] (or --landing DIR alone): the incremental ingest of
// landed feed files (ingest-landed.ts), one date per transaction.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { newRunId } from '../../core/ids.js';
import { errorMessage } from '../../core/errors.js';
import { finishRun, startRun } from '../../engine/history.js';
import { describeIngest, ingest } from '../../ingest/ingest.js';
import { BUNDLED_DATA_DIR, BUNDLED_SEASONS } from '../../ingest/sources.js';
import { withWarehouse } from '../context.js';
import { parseSeasonLabel } from '../../core/dates.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load raw play-by-play, odds, prop lines and names; build the registry and Phase 3 tables')
    .option('--season <season...>', `seasons to load (default: ${BUNDLED_SEASONS.join(' ')})`)
    .option('--source <dir>', 'data directory laid out like the bundled data/ (default: the bundled data)')
    .option('--date <date>', 'incremental: add one date of the landing folder (its games, and the pre-game contexts it reaches)')
    .option('--landing <dir>', 'incremental: the landing folder (default: nightly.landingDir); alone, every date landed there')
    .option('--force', 'incremental: ingest dates whose landed files have not changed since their last ingest')
    .action(async (opts: { season?: string[]; source?: string; date?: string; landing?: string; force?: boolean }, command: Command) => {
      if (opts.date !== undefined || opts.landing !== undefined) {
        const { ingestLandedCommand } = await import('./ingest-landed.js');
        await ingestLandedCommand(command, { ...opts, seasonOrSource: opts.season !== undefined || opts.source !== undefined });
        return;
      }
      const seasons = opts.season ?? [...BUNDLED_SEASONS];
      seasons.forEach((s) => parseSeasonLabel(s));
      const dataDir = opts.source ? resolve(opts.source) : BUNDLED_DATA_DIR;
      await withWarehouse(command, async (wh, g) => {
        const runId = newRunId('ingest');
        // The run history shows ingests beside backfills; a rejected input is recorded as failed.
        await startRun(wh, runId, 'ingest', { seasons, source: dataDir }, 'ingest', new Date());
        try {
          const summary = await ingest(wh, { dataDir, seasons, runId, log: (l) => process.stderr.write(`${l}\n`) });
          await finishRun(wh, runId, 'success', summary);
          process.stdout.write(g.format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : `${describeIngest(summary)}\n`);
        } catch (err) {
          await finishRun(wh, runId, 'failed', { error: errorMessage(err) });
          throw err;
        }
      });
    });
}
