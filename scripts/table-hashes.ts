// Content hashes of every table and view of the raw, reference and analytics layers of a DuckDB
// warehouse (src/testing/table-hash.ts: volatile bookkeeping columns left out), as JSON on stdout.
// Used to show that a rewrite leaves DuckDB's results unchanged:
//   node --import tsx scripts/table-hashes.ts [--all] ./courtside.duckdb > hashes.json
// --all adds Phase 4, predictions and the processing tables (failures, statuses, fits) — not the
// run history, whose rows are per run by design.
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { tableHash } from '../src/testing/table-hash.js';

const all = process.argv.includes('--all');
const path = process.argv.slice(2).find((a) => a !== '--all');
if (!path) throw new Error('usage: table-hashes.ts [--all] WAREHOUSE.duckdb');
const SCHEMAS = all
  ? ['nba_raw', 'nba_reference', 'nba_analytics', 'nba_precompute', 'nba_predictions', 'nba_processing']
  : ['nba_raw', 'nba_reference', 'nba_analytics'];
const PER_RUN = ['nba_processing.run_history', 'nba_processing.run_steps', 'nba_processing.notification_log'];
const wh = await DuckDBWarehouse.open(path, { readOnly: true });
try {
  const tables = await wh.query<{ t: string }>(
    `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
     WHERE table_schema IN (SELECT * FROM unnest($schemas)) ORDER BY 1`,
    { schemas: SCHEMAS },
  );
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const { t } of tables) if (!PER_RUN.includes(t)) out[t] = await tableHash(wh, t);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  await wh.close();
}
