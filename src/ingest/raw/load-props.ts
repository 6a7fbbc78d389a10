// Player prop snapshots (betfinder) → nba_raw.player_prop_lines. Names stay as the sportsbook
// wrote them; resolution to registry players happens in Phase 3 and failures are tracked.
import { InputError } from '../../core/errors.js';
import { seasonWindow } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { SeasonFiles } from '../sources.js';
import type { WriteUnit } from '../write-unit.js';
import { loadLogSql } from './load-log.js';
import { checkSeasonWindow, checkTeamCodes, checkValues, text, type StagedFile } from './stage.js';

/** Markets whose player column names a person (team markets such as 'first team to score' do not). */
export const PLAYER_PROP_MARKETS_SQL = `SELECT DISTINCT prop FROM nba_raw.player_prop_lines WHERE prop NOT LIKE '%team%'`;

export const PROPS_REQUIRED_COLUMNS = [
  'source_commit', 'snapshot_utc', 'prop', 'tidygamedatetime', 'tidyplayer', 'tidyhometeam', 'tidyawayteam', 'tidyou',
  'tidyline', 'draftkings', 'fanduel', 'pointsbet', 'tidyteam', 'tidyopp',
] as const;

/**
 * A prop's US game date: tip-off UTC minus 5 hours (late West-coast games start after midnight UTC),
 * as the UTC date less a day before 05:00 (no common form subtracts hours from a TIMESTAMP).
 */
const TIPOFF = `CAST(${text('tidygamedatetime')} AS TIMESTAMP)`;
export const GAME_DATE = `(CAST(${TIPOFF} AS DATE) - CASE WHEN EXTRACT(HOUR FROM ${TIPOFF}) < 5 THEN 1 ELSE 0 END)`;

const odds = (c: string) => `{{try_cast(NULLIF(trim(${text(c)}), ''), FLOAT64)}}`;
// Whitespace without a backslash class (GoogleSQL reads '\s' in a literal as an escape): RE2's \s.
const WS = '[ \\t\\n\\f\\r]*';

/** Every check the staged prop lines must pass, with its row. */
export async function validateStagedProps(wh: Warehouse, staged: StagedFile, files: SeasonFiles): Promise<void> {
  await checkValues(
    wh,
    staged,
    { snapshot_utc: 'timestamp', tidygamedatetime: 'timestamp', tidyline: 'number', draftkings: 'number', fanduel: 'number', pointsbet: 'number' },
    ['snapshot_utc', 'prop', 'tidygamedatetime', 'tidyplayer'],
  );
  await checkTeamCodes(wh, staged, ['tidyhometeam', 'tidyawayteam']);
  // Every line is for a game of this season (a row outside its window is refused, never dropped).
  await checkSeasonWindow(wh, staged, files, 'tidygamedatetime', GAME_DATE, 'game date ');
}

/** The season's writes: its window's prop lines replaced by the staged file's, and the load logged. */
export function propsStatements(unit: WriteUnit, staged: StagedFile, files: SeasonFiles, runId: string): void {
  const window = seasonWindow(files.seasonYear);
  unit.add(`DELETE FROM nba_raw.player_prop_lines WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, window);
  unit.add(
    `INSERT INTO nba_raw.player_prop_lines (snapshot_utc, source_commit, prop, game_date, tipoff_utc, player_name, team_abbr, opponent_team_abbr,
                                          home_team_abbr, away_team_abbr, side, line, draftkings, fanduel, pointsbet, source_file, source_row, loaded_at)
     SELECT CAST(${text('snapshot_utc')} AS TIMESTAMP), source_commit, prop, ${GAME_DATE}, ${TIPOFF},
            -- Yes/no markets name the player inside the bet, as an alias key ('lukadoncictogetatripledouble').
            trim(regexp_replace(trim(tidyplayer), '(?i)${WS}to${WS}get${WS}an?${WS}(double|triple)${WS}double$', '')),
            NULLIF(trim(tidyteam), ''), NULLIF(trim(tidyopp), ''), tidyhometeam, tidyawayteam,
            NULLIF(NULLIF(tidyou, 'N/A'), ''), ${odds('tidyline')}, ${odds('draftkings')}, ${odds('fanduel')}, ${odds('pointsbet')},
            $file, stage_row + 1, CAST(current_timestamp AS TIMESTAMP)
     FROM ${staged.source}`,
    { file: staged.file, ...staged.params },
  );
  unit.add(loadLogSql('nba_raw.player_prop_lines'), { run_id: runId, file: staged.file, rows_read: staged.rows, rows_loaded: staged.rows });
}
