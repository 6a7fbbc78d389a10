// Test-only builder of tiny Phase 3 tables: schedule, player_game_summary, team offense/defense
// summaries and the pre-game contexts. Every NOT NULL column gets a plain default so that a test
// spells out only the values its hand computation uses.
import { seasonYearOf } from '../../core/dates.js';
import type { SqlValue, Warehouse } from '../../warehouse/warehouse.js';

type Row = Record<string, SqlValue>;
type Overrides = Readonly<Record<string, SqlValue>>;

const META = { processed_at: '2024-01-01 00:00:00', run_id: 'fixture' } as const;

const PLAYER_DEFAULTS: Row = {
  starter_flag: true, minutes_played: 30, points: 10,
  fg_attempts: 0, fg_makes: 0, three_pt_attempts: 0, three_pt_makes: 0, ft_attempts: 0, ft_makes: 0,
  paint_attempts: 0, paint_makes: 0, mid_range_attempts: 0, mid_range_makes: 0,
  assisted_fg_makes: 0, unassisted_fg_makes: 0,
  offensive_rebounds: 0, defensive_rebounds: 0, total_rebounds: 0, assists: 0, turnovers: 0, steals: 0,
  blocks: 0, personal_fouls: 0, usage_rate: 20, ts_pct: 0.55, win_flag: true, is_active: true,
};

const OFFENSE_DEFAULTS: Row = {
  points: 110, opponent_points: 105, fg_attempts: 85, fg_makes: 40, three_pt_attempts: 35, three_pt_makes: 12,
  ft_attempts: 20, ft_makes: 16, offensive_rebounds: 10, defensive_rebounds: 35, assists: 25, turnovers: 13,
  possessions: 100, minutes_played: 48, ot_periods: 0, pace: 100, offensive_rating: 110, win_flag: true,
};

const DEFENSE_DEFAULTS: Row = {
  points_allowed: 105, opp_fg_attempts: 85, opp_fg_makes: 40,
  opp_paint_attempts: 40, opp_paint_makes: 24, opp_mid_range_attempts: 15, opp_mid_range_makes: 6,
  opp_three_pt_attempts: 30, opp_three_pt_makes: 10, opp_paint_points: 48,
  blocks_paint: 4, blocks_mid_range: 1, blocks_three_pt: 0, steals: 7, defensive_rating: 105,
  opponent_pace: 100, win_flag: false,
};

const UPCOMING_DEFAULTS: Row = {
  days_rest: 2, back_to_back: false, games_in_last_7_days: 3, games_in_last_14_days: 6,
  minutes_in_last_7_days: 90, minutes_in_last_14_days: 180, avg_minutes_per_game_last_7: 30,
  back_to_backs_last_14_days: 0, opponent_days_rest: 2, team_days_rest: 2, player_age: 25, player_age_years: 25,
  player_status: null, current_points_line: null, avg_usage_rate_last_7_games: null, usage_rate_season: null,
  season_phase: 'regular_season', source_last_game_date: null,
};

interface Game {
  readonly gameId: string;
  readonly date: string;
  readonly home: string;
  readonly away: string;
  readonly ot: number;
}

export class Phase3Fixture {
  readonly games: Game[] = [];
  readonly players: Row[] = [];
  readonly offense: Row[] = [];
  readonly defense: Row[] = [];
  readonly upcomingPlayers: Row[] = [];
  readonly upcomingTeams: Row[] = [];
  private readonly ids = new Map<string, number>();

  /** Schedules home vs away on date; returns the prior art's game id YYYYMMDD_AWAY_HOME. */
  game(date: string, home: string, away: string, ot = 0): string {
    const gameId = `${date.replaceAll('-', '')}_${away}_${home}`;
    this.games.push({ gameId, date, home, away, ot });
    return gameId;
  }

  /** One game per date in the list, alternating home court. */
  series(dates: readonly string[], a: string, b: string): void {
    dates.forEach((d, i) => (i % 2 === 0 ? this.game(d, a, b) : this.game(d, b, a)));
  }

  gameOf(date: string, team: string): Game & { opponent: string; home_game: boolean } {
    const g = this.games.find((x) => x.date === date && (x.home === team || x.away === team));
    if (!g) throw new Error(`fixture: ${team} has no game on ${date}`);
    return { ...g, opponent: g.home === team ? g.away : g.home, home_game: g.home === team };
  }

  playerId(player: string): number {
    if (!this.ids.has(player)) this.ids.set(player, 1000 + this.ids.size);
    return this.ids.get(player) as number;
  }

  /** A player's box score line; fg attempts/makes are derived from the zones unless given. */
  playerGame(player: string, date: string, team: string, stats: Overrides = {}): void {
    const g = this.gameOf(date, team);
    const row: Row = { ...PLAYER_DEFAULTS, ...stats };
    const n = (k: string): number => Number(row[k] ?? 0);
    if (stats['fg_attempts'] === undefined) row['fg_attempts'] = n('paint_attempts') + n('mid_range_attempts') + n('three_pt_attempts');
    if (stats['fg_makes'] === undefined) row['fg_makes'] = n('paint_makes') + n('mid_range_makes') + n('three_pt_makes');
    this.players.push({
      player_lookup: player, universal_player_id: this.playerId(player), player_name: player,
      game_id: g.gameId, game_date: date, season_year: seasonYearOf(date), team_abbr: team,
      opponent_team_abbr: g.opponent, home_game: g.home_game, ...row, ...META,
    });
  }

  /** The same line for every date in the list. */
  playerGames(player: string, dates: readonly string[], team: string, stats: Overrides = {}): void {
    for (const d of dates) this.playerGame(player, d, team, stats);
  }

  teamGame(team: string, date: string, offense: Overrides = {}, defense: Overrides = {}): void {
    const g = this.gameOf(date, team);
    const common = { game_id: g.gameId, game_date: date, season_year: seasonYearOf(date), home_game: g.home_game, opponent_team_abbr: g.opponent };
    this.offense.push({ ...OFFENSE_DEFAULTS, ot_periods: g.ot, minutes_played: 48 + 5 * g.ot, ...offense, team_abbr: team, ...common, ...META });
    this.defense.push({ ...DEFENSE_DEFAULTS, ...defense, defending_team_abbr: team, ...common, ...META });
  }

  /** Team offense and defense rows with defaults for every scheduled game that has none yet. */
  fillTeamGames(): void {
    for (const g of this.games) {
      for (const team of [g.home, g.away]) {
        if (!this.offense.some((r) => r['game_id'] === g.gameId && r['team_abbr'] === team)) this.teamGame(team, g.date);
      }
    }
  }

  /**
   * A box score for every scheduled team-game that has no player row yet (a filler `<team>-bench`
   * player), so that a team's Phase 3 rows are complete: call it after the players a test spells out.
   * Without it the team-games nobody played for are Phase 3 gaps, and failures they explain are real.
   */
  fillPlayerGames(): void {
    for (const g of this.games) {
      for (const team of [g.home, g.away]) {
        if (!this.players.some((r) => r['game_id'] === g.gameId && r['team_abbr'] === team)) {
          this.playerGame(`${team.toLowerCase()}-bench`, g.date, team, { minutes_played: 12, points: 2 });
        }
      }
    }
  }

  /** The pre-game context row of a player on date (team's game that day). */
  upcoming(player: string, date: string, team: string, ctx: Overrides = {}): void {
    const g = this.gameOf(date, team);
    this.upcomingPlayers.push({
      ...UPCOMING_DEFAULTS, ...ctx, player_lookup: player, universal_player_id: this.playerId(player),
      game_id: g.gameId, game_date: date, season_year: seasonYearOf(date), team_abbr: team,
      opponent_team_abbr: g.opponent, home_game: g.home_game, ...META,
    });
  }

  upcomingTeam(team: string, date: string, ctx: Overrides = {}): void {
    const g = this.gameOf(date, team);
    this.upcomingTeams.push({
      game_total: 220, game_spread: -2, team_implied_total: 111, days_rest: 2, opponent_days_rest: 2, back_to_back: false,
      team_pace_last_10: null, opponent_pace_last_10: null, ...ctx, team_abbr: team, opponent_team_abbr: g.opponent,
      game_id: g.gameId, game_date: date, season_year: seasonYearOf(date), home_game: g.home_game, ...META,
    });
  }

  async insert(wh: Warehouse): Promise<void> {
    const schedule = this.games.map((g) => ({
      game_id: g.gameId, game_date: g.date, season_year: seasonYearOf(g.date), home_team_abbr: g.home,
      away_team_abbr: g.away, home_points: 100, away_points: 99, ot_periods: g.ot, ...META,
    }));
    await insertRows(wh, 'nba_reference.schedule', schedule);
    await insertRows(wh, 'nba_analytics.player_game_summary', this.players);
    await insertRows(wh, 'nba_analytics.team_offense_game_summary', this.offense);
    await insertRows(wh, 'nba_analytics.team_defense_game_summary', this.defense);
    await insertRows(wh, 'nba_analytics.upcoming_player_game_context', this.upcomingPlayers);
    await insertRows(wh, 'nba_analytics.upcoming_team_game_context', this.upcomingTeams);
  }
}

/** Multi-row INSERT with bound parameters, in chunks (columns from the first row). */
export async function insertRows(wh: Warehouse, table: string, rows: readonly Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  for (let start = 0; start < rows.length; start += 200) {
    const params: Record<string, SqlValue> = {};
    const tuples = rows.slice(start, start + 200).map((row, i) => {
      const names = columns.map((c, j) => {
        const name = `p${i}_${j}`;
        params[name] = row[c] ?? null;
        return `$${name}`;
      });
      return `(${names.join(', ')})`;
    });
    await wh.exec(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Consecutive calendar days from `from`, `count` of them. */
export function days(from: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
