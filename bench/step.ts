// One measured benchmark step, run in its own process so that its peak RSS is its own.
// Prints one JSON line: { step, wallMs, maxRssMb, partitions }.
import { rmSync } from 'node:fs';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../src/warehouse/migrate.js';
import { ingest } from '../src/ingest/ingest.js';
import { BUNDLED_DATA_DIR } from '../src/ingest/sources.js';
import { runBackfill, runDaily } from '../src/engine/run.js';
import { PROCESSORS } from '../src/processors/index.js';
import type { ProcessorKey } from '../src/processors/processor.js';
import { replicateSeasons } from './synthetic-seasons.js';

const [step, db, ...args] = process.argv.slice(2);
if (!step || !db) throw new Error('usage: step.ts <ingest|backfill|daily|daily-refit|synthesize> <db> ...');

// Phase 4 figures stay Phase 4 (comparable with their targets); 'pred' measures the predictions alone.
const PHASE4: readonly ProcessorKey[] = ['psza', 'tdza', 'pdc', 'pcf', 'mlfs'];
const keysOf = (which: string | undefined): readonly ProcessorKey[] => (which === 'pred' ? ['pred'] : which === 'all6' ? [...PHASE4, 'pred'] : PHASE4);

if (step === 'ingest') for (const suffix of ['', '.wal']) rmSync(db + suffix, { force: true });
const wh = await DuckDBWarehouse.open(db);
await migrate(wh);
if (step === 'daily-refit') {
  // as on a real Monday: the refit is fitted inside the timed run, and the training rows of the week
  // before it (played since the last refit) are computed then too
  for (const t of ['points_model_fits', 'points_model_coefficients', 'points_model_residuals']) {
    await wh.exec(`DELETE FROM nba_predictions.${t} WHERE refit_date = CAST($d AS DATE)`, { d: args[0]! });
  }
  for (const t of ['points_model_training_rows', 'points_model_training_dates']) {
    await wh.exec(`DELETE FROM nba_predictions.${t} WHERE game_date BETWEEN CAST($d AS DATE) - 7 AND CAST($d AS DATE) - 1`, { d: args[0]! });
  }
}
const started = performance.now();
let partitions = 0;
if (step === 'ingest') {
  await ingest(wh, { dataDir: BUNDLED_DATA_DIR, seasons: args, runId: 'bench' });
} else if (step === 'backfill') {
  const [from, to, batch, which] = args as [string, string, string, string | undefined];
  const summary = await runBackfill(wh, PROCESSORS, { from, to, force: true, batchDays: batch === 'all' ? null : Number(batch), processors: keysOf(which) });
  if (summary.exitCode !== 0) throw new Error(`backfill had failures: ${JSON.stringify(summary.failedPartitions.slice(0, 3))}`);
  partitions = summary.processors.reduce((n, p) => n + p.complete + p.bootstrapEmpty, 0);
} else if (step === 'daily' || step === 'daily-refit') {
  const summary = await runDaily(wh, PROCESSORS, { date: args[0]!, processors: keysOf(args[1]) });
  if (summary.exitCode !== 0) throw new Error(`daily run had failures: ${JSON.stringify(summary.failedPartitions.slice(0, 3))}`);
  partitions = summary.processors.reduce((n, p) => n + p.complete + p.bootstrapEmpty, 0);
} else if (step === 'synthesize') {
  await replicateSeasons(wh, Number(args[0]));
} else {
  throw new Error(`unknown step ${step}`);
}
const wallMs = performance.now() - started;
await wh.close();
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ step, wallMs: Math.round(wallMs), maxRssMb: Math.round(maxRssMb), partitions })}\n`);
