// Floor (d) of `npm run bench`: a bare DuckDB pass over what ingest must at least do — read both
// seasons' play-by-play files, deduplicate the events on (game, action number), and aggregate
// player-game box scores into a table of a new DuckDB file. No validation, registry, schedule,
// team tables or pre-game contexts. Usage: node bench/floors/bare-ingest.mjs <new db> <pbp file>…
import { EVENT_COLUMNS, listValue, openIngestFloor, playerBoxSql } from './ingest-floor.mjs';

const { instance, connection, files } = await openIngestFloor('bare-ingest.mjs');
// Deduplicated in the aggregate's input: nothing is stored but the box scores.
await connection.run(
  playerBoxSql(`SELECT DISTINCT ON (CAST(game_id AS BIGINT), CAST(actionNumber AS BIGINT)) ${EVENT_COLUMNS} FROM read_parquet($files)`),
  { files: listValue(files) },
);
connection.closeSync();
instance.closeSync();
