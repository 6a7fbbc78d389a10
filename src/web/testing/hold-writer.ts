// Child process for the read-warehouse test: holds a DuckDB file open for writing (as a backfill
// does) until it is told to stop, printing "held" once the lock is taken.
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';

const path = process.argv[2];
if (path) {
  const wh = await DuckDBWarehouse.open(path);
  process.stdout.write('held\n');
  process.once('SIGTERM', () => {
    void wh.close().then(() => process.exit(0));
  });
  setInterval(() => undefined, 1_000);
}
