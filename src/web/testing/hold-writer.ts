// Child process for the read-warehouse test: holds a DuckDB file open for writing (as a backfill
// does) until it is told to stop, printing "held" once the lock is taken (and the optional
// statement has run).
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';

const [path, statement] = process.argv.slice(2);
if (path) {
  const wh = await DuckDBWarehouse.open(path);
  if (statement) await wh.exec(statement);
  process.stdout.write('held\n');
  process.once('SIGTERM', () => {
    void wh.close().then(() => process.exit(0));
  });
  setInterval(() => undefined, 1_000);
}
