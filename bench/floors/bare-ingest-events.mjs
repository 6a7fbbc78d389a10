// Floor (e) of `npm run bench`, a reference beside (d): the same bare pass, but storing the events, as
// SYSTEM.md requires of ingest (nba_raw keeps the deduplicated raw events). Read both seasons'
// play-by-play files; keep each (file, game, action number)'s first row; store the 24 feed columns
// nba_raw keeps, as read (text: no typing, no lists, no load metadata); aggregate player-game box
// scores from the stored events as (d) does. With the two DuckDB settings the ingest runs its unit
// with (insertion order not preserved, no FSST), so that the floor is not slower for want of them.
// No validation, registry, schedule, team tables, pre-game contexts, odds or props.
// Usage: node bench/floors/bare-ingest-events.mjs <new db> <pbp file>…
import { EVENT_COLUMNS, listValue, openIngestFloor, playerBoxSql } from './ingest-floor.mjs';

const { instance, connection, files } = await openIngestFloor('bare-ingest-events.mjs');
await connection.run(`SET preserve_insertion_order = false; SET disabled_compression_methods = 'fsst'`);
const kept = `game_id, date, season_year, team, opp_team, teamId, period, clock, actionNumber, actionType, description,
  qualifier, playerName, person_id, scoreHome, scoreAway, shotResult, isFieldGoal, assisted, assister_id, foulDrawnPersonId,
  stealPersonId, blockPersonId, players_on`;
const rows = `read_parquet($files, file_row_number = true, filename = true)`;
// Deduplicated by a narrow aggregate over row numbers, not DISTINCT ON over the wide rows (~1 s slower here).
await connection.run(
  `CREATE TABLE events AS
   SELECT ${kept} FROM ${rows}
   WHERE (filename, file_row_number) IN (
     SELECT (filename, min(file_row_number)) FROM ${rows} GROUP BY filename, CAST(game_id AS BIGINT), CAST(actionNumber AS BIGINT))`,
  { files: listValue(files) },
);
await connection.run(playerBoxSql(`SELECT ${EVENT_COLUMNS} FROM events`));
connection.closeSync();
instance.closeSync();
