// courtside ingest: loads the seasons in one transaction and records the run in the run history.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { newRunId } from '../../core/ids.js';
import { errorMessage } from '../../core/errors.js';
import { finishRun, startRun } from '../../engine/history.js';
import { describeIngest, ingest as ingestSeasons } from '../../ingest/ingest.js';
import { BUNDLED_DATA_DIR, BUNDLED_SEASONS, seasonFiles } from '../../ingest/sources.js';
import type { IngestFlags } from '../commands/ingest.js';
import { globalOptions, withWarehouse } from '../context.js';
import { refuseCsv } from '../format.js';

export async function ingest(flags: IngestFlags, command: Command): Promise<void> {
  const seasons = flags.season ?? [...BUNDLED_SEASONS];
  const dataDir = flags.source ? resolve(flags.source) : BUNDLED_DATA_DIR;
  // A mistyped season or --source is refused before the warehouse is opened (or created).
  seasons.forEach((s) => seasonFiles(dataDir, s));
  refuseCsv(
    globalOptions(command).format,
    'ingest prints a summary, not a table: --format csv has none to print (use --format json for its figures as one document; ' +
      '`ingest --date D` and `ingest --landing DIR` print a table per date, in csv too)',
  );
  await withWarehouse(command, 'create', async (wh, g) => {
    const runId = newRunId('ingest');
    // The run history shows ingests beside backfills; a rejected input is recorded as failed.
    await startRun(wh, runId, 'ingest', { seasons, source: dataDir }, 'ingest', new Date());
    try {
      // Progress on stderr, timestamped like a backfill's; the one summary goes to stdout.
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ingest: ${line}\n`);
      const summary = await ingestSeasons(wh, { dataDir, seasons, runId, log });
      await finishRun(wh, runId, 'success', summary);
      process.stdout.write(g.format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : `${describeIngest(summary)}\n`);
    } catch (err) {
      // Recording the failure must not hide it: after a full disk the warehouse may refuse this write too.
      await finishRun(wh, runId, 'failed', { error: errorMessage(err) }).catch(() => undefined);
      throw err;
    }
  });
}
