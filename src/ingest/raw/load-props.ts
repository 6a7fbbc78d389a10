// Player prop snapshots (betfinder) → nba_raw.player_prop_lines. Names stay as the sportsbook
// wrote them; resolution to registry players happens in Phase 3 and failures are tracked.
import { InputError } from '../../core/errors.js';
import { seasonWindow } from '../../core/dates.js';
import { recordLoad } from './load-log.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { SeasonFiles } from '../sources.js';
import { checkTeamCodes, checkValues, dropStaged, scanStaged, stageFile } from './stage.js';

/** Markets whose player column names a person (team markets such as 'first team to score' do not). */
export const PLAYER_PROP_MARKETS_SQL = `SELECT DISTINCT prop FROM nba_raw.player_prop_lines WHERE prop NOT LIKE '%team%'`;

export const PROPS_REQUIRED_COLUMNS = [
  'source_commit', 'snapshot_utc', 'prop', 'tidygamedatetime', 'tidyplayer', 'tidyhometeam', 'tidyawayteam', 'tidyou',
  'tidyline', 'draftkings', 'fanduel', 'pointsbet', 'tidyteam', 'tidyopp',
] as const;

/** A prop's US game date: tip-off UTC minus 5 hours (late West-coast games start after midnight UTC). */
const GAME_DATE = `CAST(CAST(tidygamedatetime AS TIMESTAMP) - INTERVAL 5 HOUR AS DATE)`;

const odds = (c: string) => `TRY_CAST(NULLIF(trim(CAST("${c}" AS VARCHAR)), '') AS DOUBLE)`;

export async function loadProps(tx: Warehouse, files: SeasonFiles, runId: string): Promise<number> {
  if (!files.props) return 0;
  const file = files.props;
  const staged = await stageFile(tx, file, 'stg_props', PROPS_REQUIRED_COLUMNS);
  await checkValues(
    tx,
    staged,
    { snapshot_utc: 'timestamp', tidygamedatetime: 'timestamp', tidyline: 'number', draftkings: 'number', fanduel: 'number', pointsbet: 'number' },
    ['snapshot_utc', 'prop', 'tidygamedatetime', 'tidyplayer'],
  );
  await checkTeamCodes(tx, staged, ['tidyhometeam', 'tidyawayteam']);
  // Every line is for a game of this season (a row outside its window is refused, never dropped).
  const window = seasonWindow(files.seasonYear);
  const [outside] = await scanStaged<{ row_number: number; value: string; game_date: string }>(
    tx,
    staged,
    `SELECT ${staged.row} + 1 AS row_number, tidygamedatetime AS value, ${GAME_DATE} AS game_date FROM ${staged.source}
     WHERE ${GAME_DATE} < CAST($from AS DATE) OR ${GAME_DATE} > CAST($to AS DATE)
     ORDER BY ${staged.row} LIMIT 1`,
    window,
  );
  if (outside) {
    throw new InputError(
      file,
      `column 'tidygamedatetime' has value '${outside.value}' (game date ${outside.game_date}), outside season ${files.season} (${window.from}..${window.to})`,
      outside.row_number,
    );
  }
  await tx.exec(`DELETE FROM nba_raw.player_prop_lines WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, window);
  await tx.exec(
    `INSERT INTO nba_raw.player_prop_lines BY NAME
     SELECT CAST(snapshot_utc AS TIMESTAMP) AS snapshot_utc, source_commit, prop,
            ${GAME_DATE} AS game_date,
            CAST(tidygamedatetime AS TIMESTAMP) AS tipoff_utc,
            -- Yes/no markets name the player inside the bet, as an alias key ('lukadoncictogetatripledouble').
            trim(regexp_replace(trim(tidyplayer), '\\s*to\\s*get\\s*an?\\s*(double|triple)\\s*double$', '', 'i')) AS player_name,
            NULLIF(trim(tidyteam), '') AS team_abbr, NULLIF(trim(tidyopp), '') AS opponent_team_abbr,
            tidyhometeam AS home_team_abbr, tidyawayteam AS away_team_abbr,
            NULLIF(NULLIF(tidyou, 'N/A'), '') AS side, ${odds('tidyline')} AS line,
            ${odds('draftkings')} AS draftkings, ${odds('fanduel')} AS fanduel, ${odds('pointsbet')} AS pointsbet,
            $file AS source_file, CAST(${staged.row} + 1 AS INTEGER) AS source_row, now()::TIMESTAMP AS loaded_at
     FROM ${staged.source}`,
    { file, ...staged.params },
  );
  await recordLoad(tx, { runId, file, table: 'nba_raw.player_prop_lines', rowsRead: staged.rows, rowsLoaded: staged.rows });
  await dropStaged(tx, staged);
  return staged.rows;
}
