// Game odds (kyleskom, one row per game incl. play-in/playoffs) → nba_raw.game_odds.
// Team abbreviations are filled afterwards by the registry's team resolution (names like
// 'Charlotte Bobcats' go through aliases; unresolved names are tracked, not dropped).
import { InputError } from '../../core/errors.js';
import type { SqlParams, Warehouse } from '../../warehouse/warehouse.js';
import type { SeasonFiles } from '../sources.js';
import type { WriteUnit } from '../write-unit.js';
import { loadLogSql } from './load-log.js';
import { checkRanges, checkSeasonWindow, checkValues, scanStaged, text, type NumberRange, type StagedFile } from './stage.js';

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

/**
 * What Phase 3 takes for a game's total line. The real 2021-22 file's four scraped totals (3, 6.5, 22,
 * 32.5) pass ODDS_BOUNDS, so the raw table keeps them as the source has them, but they are no NBA game
 * total (the bundled seasons' others run 199..261.5): outside this band the game's total and its
 * teams' implied totals are unknown (NULL), never a garbage number, and the ingest summary counts them.
 */
export const PLAUSIBLE_GAME_TOTAL = { min: 150, max: 350 } as const;

export const ODDS_REQUIRED_COLUMNS = ['Date', 'Home', 'Away', 'OU', 'Spread', 'ML_Home', 'ML_Away', 'Points', 'Win_Margin'] as const;

/**
 * The game date of an odds 'Date' ('2021-22-1019' = season label + MMDD: August–December belong to the
 * season's first year, the rest to its second), NULL when the text is none.
 */
export function oddsDate(d: string): string {
  const month = `{{try_cast(substr(${d}, 9, 2), INT64)}}`;
  const year = `CASE WHEN ${month} >= 8 THEN substr(${d}, 1, 4) ELSE CAST({{try_cast(substr(${d}, 1, 4), INT64)}} + 1 AS STRING) END`;
  return `{{try_cast(concat(${year}, '-', substr(${d}, 9, 2), '-', substr(${d}, 11, 2)), DATE)}}`;
}

const DATE = oddsDate(text('Date'));

/**
 * Every check the staged odds must pass, with its row. `teamAliases`: a FROM item of (k, team_abbr),
 * a spelling's lookup and its team (teamAliasRowsSql), as this ingest's team registry will hold them.
 */
export async function validateStagedOdds(wh: Warehouse, staged: StagedFile, files: SeasonFiles, teamAliases: { readonly source: string; readonly params: SqlParams }): Promise<void> {
  // A full match of an anchored pattern: regexp_replace leaves '' (see stage.ts).
  const [badDate] = await scanStaged<{ row_number: number; value: string }>(
    wh,
    staged,
    `SELECT stage_row + 1 AS row_number, ${text('Date')} AS value FROM ${staged.source}
     WHERE NOT coalesce(regexp_replace(${text('Date')}, '^[0-9]{4}-[0-9]{2}-[0-9]{4}$', '') = '' AND ${DATE} IS NOT NULL, false)
        OR substr(${text('Date')}, 1, 7) <> $season
     ORDER BY stage_row LIMIT 1`,
    { season: files.season },
  );
  if (badDate) {
    throw new InputError(staged.file, `column 'Date' has unparsable value '${badDate.value}' (expected ${files.season}-MMDD)`, badDate.row_number);
  }
  await checkSeasonWindow(wh, staged, files, 'Date', DATE);
  await checkValues(wh, staged, { OU: 'number', Spread: 'number', ML_Home: 'integer', ML_Away: 'integer', Points: 'integer', Win_Margin: 'integer' }, [
    'Home',
    'Away',
  ]);
  await checkRanges(wh, staged, ODDS_BOUNDS);
  await checkOneRowPerGame(wh, staged, teamAliases);
}

/** The season's writes: its odds rows replaced by the staged file's (team codes are filled by the registry), and the load logged. */
export function oddsStatements(unit: WriteUnit, staged: StagedFile, files: SeasonFiles, runId: string): void {
  // NUMERIC(18, 9): every value is inside ODDS_BOUNDS (checked), and DuckDB parses text into a
  // 38-digit decimal far more slowly.
  const num = (c: string) => `CAST(trim(${text(c)}) AS NUMERIC(18, 9))`;
  const int = (c: string) => `CAST(trim(${text(c)}) AS INT64)`;
  unit.add(`DELETE FROM nba_raw.game_odds WHERE season_label = $season`, { season: files.season });
  unit.add(
    `INSERT INTO nba_raw.game_odds (game_date, season_label, home_team_name, away_team_name, game_total, spread, ml_home, ml_away,
                                 final_points, home_win_margin, source_file, source_row, loaded_at)
     SELECT ${DATE}, $season, trim(Home), trim(Away), ${num('OU')}, ${num('Spread')}, ${int('ML_Home')}, ${int('ML_Away')},
            ${int('Points')}, ${int('Win_Margin')}, $file, stage_row + 1, CAST(current_timestamp AS TIMESTAMP)
     FROM ${staged.source}`,
    { season: files.season, file: staged.file, ...staged.params },
  );
  unit.add(loadLogSql('nba_raw.game_odds'), { run_id: runId, file: staged.file, rows_read: staged.rows, rows_loaded: staged.rows });
}

/**
 * One row per game: two rows for the same date and pair of teams (in either order, under any name
 * the team registry knows) would be joined twice by the team context. The key is the team's
 * tricode where the name resolves, else its normalised name.
 */
async function checkOneRowPerGame(wh: Warehouse, staged: StagedFile, aliases: { readonly source: string; readonly params: SqlParams }): Promise<void> {
  const [dup] = await scanStaged<{ row_number: number; first_row: number; home: string; away: string; game_date: string }>(
    wh,
    staged,
    `WITH aliases AS (SELECT k, team_abbr FROM ${aliases.source}),
     named AS (
       SELECT s.stage_row + 1 AS row_number, ${DATE} AS game_date, trim(s.Home) AS home, trim(s.Away) AS away,
              coalesce(h.team_abbr, {{player_lookup(s.Home)}}) AS home_key, coalesce(a.team_abbr, {{player_lookup(s.Away)}}) AS away_key
       FROM ${staged.source} s
       LEFT JOIN aliases h ON h.k = {{player_lookup(trim(s.Home))}}
       LEFT JOIN aliases a ON a.k = {{player_lookup(trim(s.Away))}}
     ),
     games AS (
       SELECT row_number, game_date, home, away,
              CASE WHEN home_key <= away_key THEN home_key ELSE away_key END AS team_a,
              CASE WHEN home_key <= away_key THEN away_key ELSE home_key END AS team_b
       FROM named
     ),
     repeated AS (
       SELECT game_date, team_a, team_b, min(row_number) AS first_row
       FROM games GROUP BY game_date, team_a, team_b HAVING count(*) > 1
     )
     SELECT g.row_number, r.first_row, f.home, f.away, CAST(g.game_date AS STRING) AS game_date
     FROM games g
     JOIN repeated r ON r.game_date = g.game_date AND r.team_a = g.team_a AND r.team_b = g.team_b
     JOIN games f ON f.row_number = r.first_row
     WHERE g.row_number > r.first_row
     ORDER BY g.row_number LIMIT 1`,
    aliases.params,
  );
  if (dup) {
    throw new InputError(
      staged.file,
      `the same game as row ${dup.first_row} (${dup.away} at ${dup.home} on ${dup.game_date}); a game may have one odds row`,
      dup.row_number,
    );
  }
}
