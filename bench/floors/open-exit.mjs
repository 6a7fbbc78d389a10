// Floor (b) of `npm run bench`: a process that opens the warehouse and exits — Node, the DuckDB
// library, opening the file (its catalog) and closing it. Every Courtside command that touches the
// warehouse pays at least this. Usage: node bench/floors/open-exit.mjs <db>
// Required, not imported, as Courtside loads it: an ES import of this CommonJS package first scans its
// files for export names (~50 ms), which no floor should pay when the command does not.
import { createRequire } from 'node:module';
const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

const [db] = process.argv.slice(2);
if (!db) throw new Error('usage: open-exit.mjs <db>');
// The same buffer-pool setting Courtside opens with (DEFAULT_MEMORY_LIMIT).
const instance = await DuckDBInstance.create(db, { memory_limit: '750MB' });
const connection = await instance.connect();
connection.closeSync();
instance.closeSync();
