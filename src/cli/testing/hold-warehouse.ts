// Child process of the "busy warehouse" test: holds the DuckDB file open for writing, as a running
// backfill does, prints `ready`, and lets go when its stdin closes.
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';

const path = process.argv[2];
if (path) {
  const wh = await DuckDBWarehouse.open(path);
  process.stdout.write('ready\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await wh.close();
}
