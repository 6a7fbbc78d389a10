// Game odds (kyleskom, one row per game incl. play-in/playoffs) → nba_raw.game_odds.
// Team abbreviations are filled afterwards by the registry's team resolution (names like
// 'Charlotte Bobcats' go through aliases; unresolved names are tracked, not dropped).
import { InputError } from '../../core/errors.js';
import { seasonWindow } from '../../core/dates.js';
import { recordLoad } from './load-log.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { SeasonFiles } from '../sources.js';
import { checkRanges, checkValues, dropStaged, scanStaged, stageFile, type NumberRange } from './stage.js';

/**
 * What an odds value may be: a value outside refuses the file, naming the row. The bounds are set
 * well outside the bundled real data (2021-22 and 2022-23, 2,642 rows): OU 3..261.5, |Spread| 0..31,
 * |moneyline| 100..100000 (-100000 is the longest price sportsbooks quote), Points 0..351,
 * Win_Margin -56..73. OU starts at 1, not at a plausible ~150, because the real 2021-22 file holds
 * four scraped totals of 3, 6.5, 22 and 32.5 (rows 41, 156, 1143, 1155) that a tighter band would
 * refuse with the whole bundled season.
 */
export const ODDS_BOUNDS: Readonly<Record<string, NumberRange>> = {
  OU: { min: 1, max: 400 },
  Spread: { min: 0, max: 50, abs: true },
  ML_Home: { min: 100, max: 100_000, abs: true },
  ML_Away: { min: 100, max: 100_000, abs: true },
  Points: { min: 0, max: 500 },
  Win_Margin: { min: 0, max: 200, abs: true },
};

export const ODDS_REQUIRED_COLUMNS = ['Date', 'Home', 'Away', 'OU', 'Spread', 'ML_Home', 'ML_Away', 'Points', 'Win_Margin'] as const;

export async function loadOdds(tx: Warehouse, files: SeasonFiles, runId: string): Promise<number> {
  if (!files.odds) return 0;
  const file = files.odds;
  const staged = await stageFile(tx, file, 'stg_odds', ODDS_REQUIRED_COLUMNS);
  // 'Date' is the season label plus MMDD ('2021-22-1019'): October–December belong to the first year.
  await tx.exec(`CREATE OR REPLACE TEMP MACRO odds_date(d) AS
    TRY_STRPTIME(CASE WHEN CAST(substr(d, 9, 2) AS INTEGER) >= 8 THEN substr(d, 1, 4) ELSE CAST(CAST(substr(d, 1, 4) AS INTEGER) + 1 AS VARCHAR) END || substr(d, 9, 4), '%Y%m%d')`);
  await tx.exec(`CREATE OR REPLACE TEMP MACRO odds_date_ok(d) AS regexp_full_match(d, '\\d{4}-\\d{2}-\\d{4}') AND odds_date(d) IS NOT NULL`);
  const [badDate] = await scanStaged<{ row_number: number; value: string }>(
    tx,
    staged,
    `SELECT ${staged.row} + 1 AS row_number, CAST("Date" AS VARCHAR) AS value FROM ${staged.source}
     WHERE NOT coalesce(odds_date_ok(CAST("Date" AS VARCHAR)), false) OR substr(CAST("Date" AS VARCHAR), 1, 7) <> $season ORDER BY ${staged.row} LIMIT 1`,
    { season: files.season },
  );
  if (badDate) {
    throw new InputError(file, `column 'Date' has unparsable value '${badDate.value}' (expected ${files.season}-MMDD)`, badDate.row_number);
  }
  const window = seasonWindow(files.seasonYear);
  const [outside] = await scanStaged<{ row_number: number; value: string; game_date: string }>(
    tx,
    staged,
    `SELECT ${staged.row} + 1 AS row_number, "Date" AS value, CAST(odds_date("Date") AS DATE) AS game_date FROM ${staged.source}
     WHERE CAST(odds_date("Date") AS DATE) < CAST($from AS DATE) OR CAST(odds_date("Date") AS DATE) > CAST($to AS DATE)
     ORDER BY ${staged.row} LIMIT 1`,
    window,
  );
  if (outside) {
    throw new InputError(
      file,
      `column 'Date' has value '${outside.value}' (${outside.game_date}), outside season ${files.season} (${window.from}..${window.to})`,
      outside.row_number,
    );
  }
  await checkValues(tx, staged, { OU: 'number', Spread: 'number', ML_Home: 'integer', ML_Away: 'integer', Points: 'integer', Win_Margin: 'integer' }, [
    'Home',
    'Away',
  ]);
  await checkRanges(tx, staged, ODDS_BOUNDS);
  await tx.exec(`DELETE FROM nba_raw.game_odds WHERE season_label = $season`, { season: files.season });
  await tx.exec(
    `INSERT INTO nba_raw.game_odds BY NAME
     SELECT CAST(odds_date(CAST("Date" AS VARCHAR)) AS DATE) AS game_date, $season AS season_label,
            trim("Home") AS home_team_name, trim("Away") AS away_team_name,
            CAST(trim(CAST(OU AS VARCHAR)) AS DOUBLE) AS game_total, CAST(trim(CAST(Spread AS VARCHAR)) AS DOUBLE) AS spread,
            CAST(trim(CAST(ML_Home AS VARCHAR)) AS INTEGER) AS ml_home, CAST(trim(CAST(ML_Away AS VARCHAR)) AS INTEGER) AS ml_away,
            CAST(trim(CAST(Points AS VARCHAR)) AS INTEGER) AS final_points, CAST(trim(CAST(Win_Margin AS VARCHAR)) AS INTEGER) AS home_win_margin,
            $file AS source_file, CAST(${staged.row} + 1 AS INTEGER) AS source_row, now()::TIMESTAMP AS loaded_at
     FROM ${staged.source}`,
    { season: files.season, file, ...staged.params },
  );
  await recordLoad(tx, { runId, file, table: 'nba_raw.game_odds', rowsRead: staged.rows, rowsLoaded: staged.rows });
  await dropStaged(tx, staged);
  return staged.rows;
}
