// Floor (a) of `npm run bench`: the processors' own SQL run bare — for each processor in dependency
// order, its staging statements and `INSERT INTO <output> SELECT <its compute SQL>` over the range,
// on one connection, each statement committing on its own. No statuses, failures, audits, run
// history, dependency checks or planning: what Courtside would cost if bookkeeping were free.
// The statements come from the processors' definitions (bench/floors/bare-sql-statements.ts writes
// them to a JSON file before the timed runs), so this stays the floor as their SQL changes.
// Usage: node bench/floors/bare-sql.mjs <db> <statements.json>
import { readFileSync } from 'node:fs';
// Required, not imported, as Courtside loads it: an ES import of this CommonJS package first scans its
// files for export names (~50 ms), which no floor should pay when the command does not.
import { createRequire } from 'node:module';
const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

const [db, file] = process.argv.slice(2);
if (!db || !file) throw new Error('usage: bare-sql.mjs <db> <statements.json>');
/** @type {{ sql: string, params: Record<string, string | number> }[]} */
const statements = JSON.parse(readFileSync(file, 'utf8'));
const instance = await DuckDBInstance.create(db, { memory_limit: '750MB' });
const connection = await instance.connect();
for (const s of statements) await connection.run(s.sql, s.params);
connection.closeSync();
instance.closeSync();
