// Floor (d) of `npm run bench`: a bare DuckDB pass over what ingest must at least do — read both
// seasons' play-by-play files, deduplicate the events on (game, action number), and aggregate
// player-game box scores into a table of a new DuckDB file. No validation, registry, schedule,
// team tables or pre-game contexts. Usage: node bench/floors/bare-ingest.mjs <new db> <pbp file>…
import { rmSync } from 'node:fs';
// Required, not imported, as Courtside loads it: an ES import of this CommonJS package first scans its
// files for export names (~50 ms), which no floor should pay when the command does not.
import { createRequire } from 'node:module';
const { DuckDBInstance, listValue } = createRequire(import.meta.url)('@duckdb/node-api');

const [db, ...files] = process.argv.slice(2);
if (!db || files.length === 0) throw new Error('usage: bare-ingest.mjs <db> <pbp parquet>…');
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
const instance = await DuckDBInstance.create(db, { memory_limit: '750MB' });
const connection = await instance.connect();
await connection.run(
  `CREATE TABLE player_box AS
   WITH ev AS (
     SELECT DISTINCT ON (CAST(game_id AS BIGINT), CAST(actionNumber AS BIGINT))
            CAST(game_id AS BIGINT) AS game_id, TRY_CAST(person_id AS BIGINT) AS person_id,
            TRY_CAST(assister_id AS BIGINT) AS assister_id, actionType AS action_type,
            shotResult = 'Made' AS made, lower(isFieldGoal) IN ('true', '1') AS fg
     FROM read_parquet($files)
   ),
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
   SELECT s.*, coalesce(a.ast, 0) AS ast FROM shooter s LEFT JOIN assists a USING (game_id, person_id)`,
  { files: listValue(files) },
);
connection.closeSync();
instance.closeSync();
