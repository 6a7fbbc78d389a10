// courtside ingest [--season 2021-22 …] [--source DIR]: load raw data, build the registry and Phase 3.
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
    .action(async (opts: { season?: string[]; source?: string }, command: Command) => {
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
          // Recording the failure must not hide it: after a full disk the warehouse may refuse this write too.
          await finishRun(wh, runId, 'failed', { error: errorMessage(err) }).catch(() => undefined);
          throw err;
        }
      });
    });
}
