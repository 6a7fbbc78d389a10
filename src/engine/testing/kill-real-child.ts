// Child process of the real-data SIGKILL test: backfills the real processors per date (one batch
// per date and processor), with a progress line per batch on stderr so the parent can kill it.
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../../warehouse/migrate.js';
import { PROCESSORS } from '../../processors/index.js';
import { createProgress } from '../progress.js';
import { runBackfill } from '../run.js';

const [path, from, to] = process.argv.slice(2);
if (path && from && to) {
  const wh = await DuckDBWarehouse.open(path);
  await migrate(wh);
  const summary = await runBackfill(wh, PROCESSORS, { from, to, batchDays: 1, progress: createProgress({ tty: false, intervalMs: 0 }) });
  process.stdout.write(`${JSON.stringify({ exitCode: summary.exitCode, planned: summary.processors.map((p) => p.planned) })}\n`);
  await wh.close();
}
