// Child process of the "busy warehouse" tests: holds the DuckDB file open for writing, as a running
// backfill does (or, with `--read-only`, for reading, as a dashboard request or `sql` does), prints
// `ready`, and lets go when its stdin closes.
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';

const [path, mode] = process.argv.slice(2);
if (path) {
  const wh = await DuckDBWarehouse.open(path, { readOnly: mode === '--read-only' });
  process.stdout.write('ready\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await wh.close();
}
