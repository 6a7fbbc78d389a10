// What the two ingest floors, (d) bare-ingest.mjs and (e) bare-ingest-events.mjs, share: their
// command line, a new DuckDB file opened as Courtside opens one, and the player-game box-score
// aggregate (points, shot attempts and makes, rebounds, turnovers and assists per game and person).
import { rmSync } from 'node:fs';
// Required, not imported, as Courtside loads it: an ES import of this CommonJS package first scans its
// files for export names (~50 ms), which no floor should pay when the command does not.
import { createRequire } from 'node:module';
export const { DuckDBInstance, listValue } = createRequire(import.meta.url)('@duckdb/node-api');

/**
 * `<script> <new db> <pbp file>…` from the command line: the play-by-play files, and a connection to
 * the new file (an old one and its WAL removed first) with Courtside's buffer-pool limit.
 */
export async function openIngestFloor(script) {
  const [db, ...files] = process.argv.slice(2);
  if (!db || files.length === 0) throw new Error(`usage: ${script} <db> <pbp parquet>…`);
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  const instance = await DuckDBInstance.create(db, { memory_limit: '750MB' });
  return { instance, connection: await instance.connect(), files };
}

/** The typed columns the aggregate reads, from events with the feed's column names (text). */
export const EVENT_COLUMNS = `CAST(game_id AS BIGINT) AS game_id, TRY_CAST(person_id AS BIGINT) AS person_id,
            TRY_CAST(assister_id AS BIGINT) AS assister_id, actionType AS action_type,
            shotResult = 'Made' AS made, lower(isFieldGoal) IN ('true', '1') AS fg`;

/** `CREATE TABLE player_box AS …` over `ev`, a SELECT of EVENT_COLUMNS (one row per event, deduplicated). */
export function playerBoxSql(ev) {
  return `CREATE TABLE player_box AS
   WITH ev AS (${ev}),
   shooter AS (
     SELECT game_id, person_id,
            sum(CASE WHEN made AND action_type = '3pt' THEN 3 WHEN made AND action_type = '2pt' THEN 2
                     WHEN made AND action_type = 'freethrow' THEN 1 ELSE 0 END) AS points,
            count(CASE WHEN fg THEN 1 END) AS fga, count(CASE WHEN fg AND made THEN 1 END) AS fgm,
            count(CASE WHEN action_type = '3pt' THEN 1 END) AS fg3a, count(CASE WHEN action_type = 'freethrow' THEN 1 END) AS fta,
            count(CASE WHEN action_type = 'rebound' THEN 1 END) AS reb, count(CASE WHEN action_type = 'turnover' THEN 1 END) AS tov
     FROM ev WHERE person_id > 0 GROUP BY game_id, person_id
   ),
   assists AS (
     SELECT game_id, assister_id AS person_id, count(*) AS ast FROM ev WHERE fg AND made AND assister_id > 0 GROUP BY ALL
   )
   SELECT s.*, coalesce(a.ast, 0) AS ast FROM shooter s LEFT JOIN assists a USING (game_id, person_id)`;
}
