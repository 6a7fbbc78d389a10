// Builds the compact bundled data under data/ from the staged sources in ../shared/data.
// Run once by a maintainer (`npx tsx scripts/bundle-data.ts`); the product itself reads only data/.
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const shared = resolve(process.argv[2] ?? '../shared/data');
const out = resolve('data');
for (const dir of ['pbp', 'odds', 'props', 'names']) mkdirSync(`${out}/${dir}`, { recursive: true });

const PBP_COLUMNS = [
  'game_id', 'date', 'season_year', 'season_type', 'team', 'opp_team', 'teamId', 'period', 'clock',
  'clock_display', 'game_clock', 'minutes_left_in_game', 'actionNumber', 'actionType', 'description',
  'qualifier', 'playerName', 'person_id', 'scoreHome', 'scoreAway', 'shotResult', 'isFieldGoal',
  'assisted', 'assister_id', 'previous_action', 'next_action', 'foulDrawnPersonId', 'stealPersonId',
  'blockPersonId', 'defender_id', 'foul_flag', 'steal_flag', 'block_flag', 'playoffs', 'players_on',
];
// The raw parquet stores some ids as DOUBLE (1629651.0); the CSV form writes them as integers.
const ID_DOUBLES = new Set(['assister_id', 'foulDrawnPersonId', 'stealPersonId', 'blockPersonId']);
const asText = (c: string) =>
  ID_DOUBLES.has(c) ? `CAST(CAST("${c}" AS BIGINT) AS VARCHAR) AS "${c}"` : `CAST("${c}" AS VARCHAR) AS "${c}"`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const zstd = `(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)`;

// 2021-22: the original per-team files, duplicates kept, so that ingest really deduplicates.
await con.run(`COPY (SELECT ${PBP_COLUMNS.map(asText).join(', ')}
  FROM read_parquet('${shared}/gabriel1200-merged-playbyplay/raw_parquet_2021-22/*.parquet', filename = true)
  ORDER BY filename, game_id, actionNumber) TO '${out}/pbp/pbp_2021-22.parquet' ${zstd}`);
// 2022-23 exists only as the deduplicated concatenation.
await con.run(`COPY (SELECT * FROM read_csv('${shared}/gabriel1200-merged-playbyplay/pbp_2022-23_regular_season.csv.gz', all_varchar = true))
  TO '${out}/pbp/pbp_2022-23.parquet' ${zstd}`);
await con.run(`COPY (SELECT * FROM read_csv('${shared}/betfinder/nba_props_snapshots_2021-22.csv', all_varchar = true))
  TO '${out}/props/props_2021-22.parquet' ${zstd}`);
const unzipped = mkdtempSync(`${tmpdir()}/shots-`);
for (const z of ['NBA_2021_Shots', 'NBA_2023_Shots']) execFileSync('unzip', ['-o', '-q', `${shared}/domsamangy-nba-shots/${z}.csv.zip`, `${z}.csv`, '-d', unzipped]);
// Shot-chart names only (the shots themselves are not used: 2021-22 zones come from the pbp tag).
await con.run(`COPY (
  SELECT DISTINCT season, CAST(PLAYER_ID AS BIGINT) AS player_id, PLAYER_NAME AS player_name FROM (
    SELECT '2020-21' AS season, * FROM read_csv('${unzipped}/NBA_2021_Shots.csv')
    UNION ALL BY NAME
    SELECT '2022-23' AS season, * FROM read_csv('${unzipped}/NBA_2023_Shots.csv'))
  ORDER BY season, player_id) TO '${out}/names/shotchart_names.csv' (HEADER)`);
for (const f of ['odds_2021-22.csv', 'odds_2022-23.csv']) copyFileSync(`${shared}/kyleskom-nba-ml-sports-betting/${f}`, `${out}/odds/${f}`);
copyFileSync(`${shared}/betfinder/nba_player_lu.json`, `${out}/names/betfinder_player_lu.json`);
copyFileSync(`${shared}/betfinder/nba_team_lu.json`, `${out}/names/betfinder_team_lu.json`);
copyFileSync(`${shared}/a-krishnamachar-nba-shots-visualization/commonplayerinfo_2021-12.json.gz`, `${out}/names/commonplayerinfo_2021-12.json.gz`);
console.log(`bundled into ${out}`);
