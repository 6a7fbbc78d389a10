// Child process of the SIGKILL test: seeds the fake world on first use, then backfills it in
// per-date batches, writing one progress line per batch to stderr so the parent can kill mid-run.
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { migrate } from '../../warehouse/migrate.js';
import { createProgress } from '../progress.js';
import { runBackfill } from '../run.js';
import { consecutiveDays, FAKE_PROCESSORS_NO_KEYS, seedWorld } from './fakes.js';

export const KILL_DAYS = consecutiveDays(60);

async function main(path: string): Promise<void> {
  const wh = await DuckDBWarehouse.open(path);
  await migrate(wh);
  const seeded = await wh.query(`SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_schema = 'fake' AND table_name = 'player_games'`);
  if (seeded[0]?.['n'] === 0) await seedWorld(wh, KILL_DAYS);
  const first = KILL_DAYS[0] ?? '';
  const last = KILL_DAYS[KILL_DAYS.length - 1] ?? '';
  const summary = await runBackfill(wh, FAKE_PROCESSORS_NO_KEYS, { from: first, to: last, batchDays: 1, progress: createProgress({ tty: false, intervalMs: 0 }) });
  process.stdout.write(`${JSON.stringify({ exitCode: summary.exitCode, planned: summary.processors.map((p) => p.planned) })}\n`);
  await wh.close();
}

const path = process.argv[2];
if (path) await main(path);
