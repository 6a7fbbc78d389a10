// A slate's landed odds → nba_raw: game lines (odds-game-lines/<D>/odds.json) replace the date's
// game_odds rows; player props (odds-player-props/<D>/<event>.json) replace its prop lines. Team
// names resolve through the team registry afterwards (resolveOddsTeams), prop names in Phase 3,
// exactly as for the season files: an unknown name becomes a tracked registry failure.
import { seasonLabel, seasonYearOf, type IsoDate } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { recordLoad } from '../raw/load-log.js';
import { dropStaged } from '../raw/stage.js';
import { teamAbbrOfSql } from '../registry/teams.js';
import { gameLineRows, parseEventOdds, parseOddsEvents, propLineRows, type PropLineRow } from './odds-feed.js';
import { stageTextRows } from './stage-rows.js';

const text = (v: string | number | null): string | null => (v === null ? null : String(v));

export async function loadLandedGameLines(tx: Warehouse, args: { readonly file: string; readonly date: IsoDate; readonly bookmakers: readonly string[]; readonly runId: string }): Promise<number> {
  const rows = gameLineRows(args.file, parseOddsEvents(args.file), args.bookmakers);
  // An empty answer (a past date: the API lists upcoming events only) replaces nothing.
  if (rows.length === 0) return 0;
  await tx.exec(`DELETE FROM nba_raw.game_odds WHERE game_date = CAST($date AS DATE)`, { date: args.date });
  const columns = ['home_team_name', 'away_team_name', 'game_total', 'spread', 'ml_home', 'ml_away', 'source_row'] as const;
  const staged = await stageTextRows(tx, 'stg_landed_lines', args.file, columns, rows.map((r) => Object.fromEntries(columns.map((c) => [c, text(r[c])]))));
  await tx.exec(
    `INSERT INTO nba_raw.game_odds (game_date, season_label, home_team_name, away_team_name, game_total, spread, ml_home, ml_away,
                                    final_points, home_win_margin, source_file, source_row, loaded_at)
     SELECT CAST($date AS DATE), $season, home_team_name, away_team_name, CAST(game_total AS NUMERIC(8, 2)), CAST(spread AS NUMERIC(8, 2)),
            CAST(ml_home AS INT64), CAST(ml_away AS INT64), NULL, NULL, $file, CAST(source_row AS INT64), CAST(current_timestamp AS TIMESTAMP)
     FROM stg_landed_lines`,
    { date: args.date, season: seasonLabel(seasonYearOf(args.date)), file: args.file },
  );
  await recordLoad(tx, { runId: args.runId, file: args.file, table: 'nba_raw.game_odds', rowsRead: rows.length, rowsLoaded: rows.length });
  await dropStaged(tx, staged);
  return rows.length;
}

/** All of a slate's event files at once: the date's prop lines are replaced together. */
export async function loadLandedProps(tx: Warehouse, args: { readonly files: readonly { readonly path: string; readonly fetchedAt: string }[]; readonly date: IsoDate; readonly bookmakers: readonly string[]; readonly runId: string }): Promise<number> {
  // Everything is parsed first: an empty slate (or a past date) replaces nothing.
  const parsed = args.files.map((f) => ({ path: f.path, rows: propLineRows(f.path, parseEventOdds(f.path), args.bookmakers, f.fetchedAt) }));
  const total = parsed.reduce((n, f) => n + f.rows.length, 0);
  if (total === 0) return 0;
  await tx.exec(`DELETE FROM nba_raw.player_prop_lines WHERE game_date = CAST($date AS DATE)`, { date: args.date });
  for (const f of parsed) {
    const rows = f.rows;
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0] as PropLineRow) as (keyof PropLineRow)[];
    const staged = await stageTextRows(tx, 'stg_landed_props', f.path, columns, rows.map((r) => Object.fromEntries(columns.map((c) => [c, text(r[c])]))));
    await tx.exec(
      `INSERT INTO nba_raw.player_prop_lines (snapshot_utc, source_commit, prop, game_date, tipoff_utc, player_name, team_abbr, opponent_team_abbr,
                                              home_team_abbr, away_team_abbr, side, line, draftkings, fanduel, pointsbet, source_file, source_row, loaded_at)
       SELECT CAST(snapshot_utc AS TIMESTAMP), source_commit, prop, CAST($date AS DATE),
              CAST(tipoff_utc AS TIMESTAMP), player_name, NULL, NULL,
              ${teamAbbrOfSql('home_team_name')}, ${teamAbbrOfSql('away_team_name')}, side, CAST(line AS NUMERIC(8, 2)),
              CAST(draftkings AS NUMERIC(8, 2)), CAST(fanduel AS NUMERIC(8, 2)), CAST(pointsbet AS NUMERIC(8, 2)), $file, CAST(source_row AS INT64),
              CAST(current_timestamp AS TIMESTAMP)
       FROM stg_landed_props`,
      { date: args.date, file: f.path },
    );
    await recordLoad(tx, { runId: args.runId, file: f.path, table: 'nba_raw.player_prop_lines', rowsRead: rows.length, rowsLoaded: rows.length });
    await dropStaged(tx, staged);
  }
  return total;
}
