// Floor (d) of `npm run bench`: a bare DuckDB pass over what ingest must at least do — read both
// seasons' play-by-play files, deduplicate the events on (game, action number), and aggregate
// player-game box scores into a table of a new DuckDB file. No validation, registry, schedule,
// team tables or pre-game contexts. Usage: node bench/floors/bare-ingest.mjs <new db> <pbp file>…
import { rmSync } from 'node:fs';
// Required, not imported, as Courtside loads it: an ES import of this CommonJS package first scans its
// files for export names (~50 ms), which no floor should pay when the command does not.
import { createRequire } from 'node:module';
import { EVENT_COLUMNS, playerBoxSql } from './box-scores-sql.mjs';
const { DuckDBInstance, listValue } = createRequire(import.meta.url)('@duckdb/node-api');

const [db, ...files] = process.argv.slice(2);
if (!db || files.length === 0) throw new Error('usage: bare-ingest.mjs <db> <pbp parquet>…');
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
const instance = await DuckDBInstance.create(db, { memory_limit: '750MB' });
const connection = await instance.connect();
// Deduplicated in the aggregate's input: nothing is stored but the box scores.
await connection.run(
  playerBoxSql(`SELECT DISTINCT ON (CAST(game_id AS BIGINT), CAST(actionNumber AS BIGINT)) ${EVENT_COLUMNS} FROM read_parquet($files)`),
  { files: listValue(files) },
);
connection.closeSync();
instance.closeSync();
