// A slate's landed odds → nba_raw: game lines (odds-game-lines/<D>/odds.json) replace the date's
// game_odds rows of the games they list; player props (odds-player-props/<D>/<event>.json) replace
// its prop lines. Team names resolve through the team registry afterwards (oddsTeamStatements), prop names in Phase 3,
// exactly as for the season files: an unknown name becomes a tracked registry failure.
import { seasonLabel, seasonYearOf, type IsoDate } from '../../core/dates.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { loadLogSql } from '../raw/load-log.js';
import { stageRows, type StagedFile } from '../raw/stage.js';
import { teamAbbrOfSql } from '../registry/teams.js';
import type { WriteUnit } from '../write-unit.js';
import { gameLineRows, parseEventOdds, parseOddsEvents, propLineRows, type PropLineRow } from './odds-feed.js';

const text = (v: string | number | null): string | null => (v === null ? null : String(v));

/** A date's landed odds, parsed and staged (nothing written yet); undefined parts landed nothing. */
export interface StagedLandedOdds {
  readonly lines: { readonly staged: StagedFile; readonly file: string } | undefined;
  readonly props: { readonly staged: StagedFile; readonly files: readonly { readonly path: string; readonly rows: number }[] } | undefined;
}

const LINE_COLUMNS = ['home_team_name', 'away_team_name', 'game_total', 'spread', 'ml_home', 'ml_away', 'source_row'] as const;
const PROP_COLUMNS = ['snapshot_utc', 'source_commit', 'prop', 'tipoff_utc', 'player_name', 'home_team_name', 'away_team_name', 'side', 'line', 'draftkings', 'fanduel', 'pointsbet', 'source_row', 'source_file'] as const;

export async function stageLandedOdds(
  w: Warehouse,
  args: { readonly lines: string | null; readonly props: readonly { readonly path: string; readonly fetchedAt: string }[]; readonly bookmakers: readonly string[] },
): Promise<StagedLandedOdds> {
  let lines: StagedLandedOdds['lines'];
  if (args.lines) {
    const rows = gameLineRows(args.lines, parseOddsEvents(args.lines), args.bookmakers);
    // An empty answer (a past date: the API lists upcoming events only) replaces nothing.
    if (rows.length > 0) {
      const staged = await stageRows(w, 'stg_landed_lines', args.lines, LINE_COLUMNS, rows.map((r) => Object.fromEntries(LINE_COLUMNS.map((c) => [c, text(r[c])]))));
      lines = { staged, file: args.lines };
    }
  }
  // Every event file is parsed first: an empty slate (or a past date) replaces nothing.
  const parsed = args.props.map((f) => ({ path: f.path, rows: propLineRows(f.path, parseEventOdds(f.path), args.bookmakers, f.fetchedAt) }));
  const all = parsed.flatMap((f) => f.rows.map((r: PropLineRow) => ({ ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v as string | number | null)])), source_file: f.path })));
  let props: StagedLandedOdds['props'];
  if (all.length > 0) {
    const staged = await stageRows(w, 'stg_landed_props', `prop lines landed`, PROP_COLUMNS, all.map((r) => Object.fromEntries(PROP_COLUMNS.map((c) => [c, (r as Record<string, string | null>)[c] ?? null]))));
    props = { staged, files: parsed.filter((f) => f.rows.length > 0).map((f) => ({ path: f.path, rows: f.rows.length })) };
  }
  return { lines, props };
}

/** The date's game lines and prop lines replaced by the staged ones, each file's load logged. */
export function landedOddsStatements(unit: WriteUnit, odds: StagedLandedOdds, args: { readonly date: IsoDate; readonly runId: string }): { gameLines: number; propLines: number } {
  let gameLines = 0;
  let propLines = 0;
  if (odds.lines) {
    const s = odds.lines.staged;
    // Only the games the file lists: the Odds API lists upcoming events only, so a later answer (a
    // forced re-fetch once a game has tipped off) must not take the started games' pre-game lines.
    // A game is its home team (once a date), by name as landed or resolved to its team code.
    unit.add(
      `DELETE FROM nba_raw.game_odds WHERE game_date = CAST($date AS DATE)
         AND (home_team_name IN (SELECT home_team_name FROM ${s.source})
              OR home_team_abbr IN (SELECT ${teamAbbrOfSql('home_team_name')} FROM ${s.source}))`,
      { date: args.date, ...s.params },
    );
    unit.add(
      `INSERT INTO nba_raw.game_odds (game_date, season_label, home_team_name, away_team_name, game_total, spread, ml_home, ml_away,
                                      final_points, home_win_margin, source_file, source_row, loaded_at)
       SELECT CAST($date AS DATE), $season, home_team_name, away_team_name, CAST(game_total AS NUMERIC(8, 2)), CAST(spread AS NUMERIC(8, 2)),
              CAST(ml_home AS INT64), CAST(ml_away AS INT64), NULL, NULL, $file, CAST(source_row AS INT64), CAST(current_timestamp AS TIMESTAMP)
       FROM ${s.source}`,
      { date: args.date, season: seasonLabel(seasonYearOf(args.date)), file: odds.lines.file, ...s.params },
    );
    unit.add(loadLogSql('nba_raw.game_odds'), { run_id: args.runId, file: odds.lines.file, rows_read: s.rows, rows_loaded: s.rows });
    gameLines = s.rows;
  }
  if (odds.props) {
    const s = odds.props.staged;
    unit.add(`DELETE FROM nba_raw.player_prop_lines WHERE game_date = CAST($date AS DATE)`, { date: args.date });
    unit.add(
      `INSERT INTO nba_raw.player_prop_lines (snapshot_utc, source_commit, prop, game_date, tipoff_utc, player_name, team_abbr, opponent_team_abbr,
                                              home_team_abbr, away_team_abbr, side, line, draftkings, fanduel, pointsbet, source_file, source_row, loaded_at)
       SELECT CAST(snapshot_utc AS TIMESTAMP), source_commit, prop, CAST($date AS DATE),
              CAST(tipoff_utc AS TIMESTAMP), player_name, NULL, NULL,
              ${teamAbbrOfSql('home_team_name')}, ${teamAbbrOfSql('away_team_name')}, side, CAST(line AS NUMERIC(8, 2)),
              CAST(draftkings AS NUMERIC(8, 2)), CAST(fanduel AS NUMERIC(8, 2)), CAST(pointsbet AS NUMERIC(8, 2)), source_file, CAST(source_row AS INT64),
              CAST(current_timestamp AS TIMESTAMP)
       FROM ${s.source}`,
      { date: args.date, ...s.params },
    );
    for (const f of odds.props.files) unit.add(loadLogSql('nba_raw.player_prop_lines'), { run_id: args.runId, file: f.path, rows_read: f.rows, rows_loaded: f.rows });
    propLines = s.rows;
  }
  return { gameLines, propLines };
}
