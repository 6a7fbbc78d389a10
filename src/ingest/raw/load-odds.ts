// Game odds (kyleskom, one row per game incl. play-in/playoffs) → nba_raw.game_odds.
// Team abbreviations are filled afterwards by the registry's team resolution (names like
// 'Charlotte Bobcats' go through aliases; unresolved names are tracked, not dropped).
import { InputError } from '../../core/errors.js';
import { seasonWindow } from '../../core/dates.js';
import { teamAbbrOfSql } from '../registry/teams.js';
import { recordLoad } from './load-log.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { SeasonFiles } from '../sources.js';
import { checkRanges, checkValues, dropStaged, scanStaged, stageFile, type NumberRange, type StagedFile } from './stage.js';

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
  await checkOneRowPerGame(tx, staged);
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

/**
 * One row per game: two rows for the same date and pair of teams (in either order, under any name
 * the team registry knows) would be joined twice by the team context. The key is the team's
 * tricode where the name resolves, else its normalised name.
 */
async function checkOneRowPerGame(tx: Warehouse, staged: StagedFile): Promise<void> {
  const key = (col: string) => `coalesce(${teamAbbrOfSql(`trim("${col}")`)}, player_lookup_of("${col}"))`;
  const [dup] = await scanStaged<{ row_number: number; first_row: number; home: string; away: string; game_date: string }>(
    tx,
    staged,
    `WITH games AS (
       SELECT ${staged.row} + 1 AS row_number, CAST(odds_date("Date") AS DATE) AS game_date, trim("Home") AS home, trim("Away") AS away,
              least(${key('Home')}, ${key('Away')}) AS team_a, greatest(${key('Home')}, ${key('Away')}) AS team_b
       FROM ${staged.source}
     ),
     repeated AS (
       SELECT game_date, team_a, team_b, min(row_number) AS first_row
       FROM games GROUP BY game_date, team_a, team_b HAVING count(*) > 1
     )
     SELECT g.row_number, r.first_row, f.home, f.away, g.game_date
     FROM games g
     JOIN repeated r ON r.game_date = g.game_date AND r.team_a = g.team_a AND r.team_b = g.team_b
     JOIN games f ON f.row_number = r.first_row
     WHERE g.row_number > r.first_row
     ORDER BY g.row_number LIMIT 1`,
  );
  if (dup) {
    throw new InputError(
      staged.file,
      `the same game as row ${dup.first_row} (${dup.away} at ${dup.home} on ${dup.game_date}); a game may have one odds row`,
      dup.row_number,
    );
  }
}
