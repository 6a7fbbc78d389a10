// Content hashes of every table and view of the raw, reference and analytics layers of a DuckDB
// warehouse (src/testing/table-hash.ts: volatile bookkeeping columns left out), as JSON on stdout.
// Used to show that a rewrite leaves DuckDB's results unchanged:
//   node --import tsx scripts/table-hashes.ts ./courtside.duckdb > hashes.json
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { tableHash } from '../src/testing/table-hash.js';

const path = process.argv[2];
if (!path) throw new Error('usage: table-hashes.ts WAREHOUSE.duckdb');
const wh = await DuckDBWarehouse.open(path, { readOnly: true });
try {
  const tables = await wh.query<{ t: string }>(
    `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
     WHERE table_schema IN ('nba_raw', 'nba_reference', 'nba_analytics') ORDER BY 1`,
  );
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const { t } of tables) out[t] = await tableHash(wh, t);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  await wh.close();
}
