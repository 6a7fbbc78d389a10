// Test fixture: the real APIs' answers for a date window, generated from the bundled real data —
// the play-by-play rows ARE the v3 feed's action records (deduplicated, as the live feed sends
// them), the schedule is those games (home team: the side whose made shots move scoreHome), the
// prop snapshots are the three dates' player_points markets (DraftKings, FanDuel, PointsBet as the
// snapshot's rows give them) and the kyleskom odds are each game's h2h/spreads/totals. Tip-off
// times are not in the bundled data except where a prop snapshot gives one; 7:30 pm ET otherwise.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { IsoDate } from '../../core/dates.js';
import { TEAMS } from '../../ingest/registry/teams.js';
import { BUNDLED_DATA_DIR } from '../../ingest/sources.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';

export interface FixtureGame {
  readonly gameId: string;
  readonly date: IsoDate;
  readonly home: string;
  readonly away: string;
  readonly homeScore: number;
  readonly awayScore: number;
  readonly periods: number;
  readonly tipoffUtc: string;
}

export type ActionRecord = Record<string, string | null>;

export interface PropRow {
  readonly snapshot_utc: string;
  readonly tidygamedatetime: string;
  readonly tidyplayer: string;
  readonly tidyhometeam: string;
  readonly tidyawayteam: string;
  readonly tidyou: string;
  readonly tidyline: string;
  readonly draftkings: string | null;
  readonly fanduel: string | null;
  readonly pointsbet: string | null;
}

export interface OddsRow {
  readonly home: string;
  readonly away: string;
  readonly OU: string;
  readonly Spread: string;
  readonly ML_Home: string;
  readonly ML_Away: string;
}

export interface FeedFixture {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly games: readonly FixtureGame[];
  actions(gameId: string): Promise<ActionRecord[]>;
  /** 'player points ou' rows of a game date, in snapshot file order. */
  props(date: IsoDate): Promise<PropRow[]>;
  /** Game lines of a date with tricodes for the teams. */
  odds(date: IsoDate): Promise<OddsRow[]>;
  close(): Promise<void>;
}

const compact = (d: IsoDate) => d.replace(/-/g, '');
export const eventIdOf = (gameId: string): string => createHash('md5').update(`event-${gameId}`).digest('hex');
export const teamName = (tricode: string): string => TEAMS.find((t) => t.abbr === tricode)?.name ?? tricode;
export const teamIdOf = (tricode: string): number => TEAMS.find((t) => t.abbr === tricode)?.teamId ?? 0;

const ODDS_NAMES = JSON.stringify(TEAMS.flatMap((t) => [t.name, ...t.historical].map((name) => ({ name, abbr: t.abbr }))));

export async function loadFeedFixture(window: { readonly from: IsoDate; readonly to: IsoDate }, season = '2021-22'): Promise<FeedFixture> {
  const db = await DuckDBWarehouse.open(':memory:', { threads: 1 });
  const pbp = join(BUNDLED_DATA_DIR, 'pbp', `pbp_${season}.parquet`);
  const params = { pbp, from: compact(window.from), to: compact(window.to) };
  await db.exec(
    `CREATE TABLE pbp AS SELECT * EXCLUDE (file_row_number), file_row_number AS file_row FROM read_parquet($pbp, file_row_number = true)
     WHERE date BETWEEN $from AND $to`,
    params,
  );
  await db.exec(
    `CREATE TABLE games AS
     WITH made AS (
       SELECT game_id, team, CAST(scoreHome AS INTEGER) - lag(CAST(scoreHome AS INTEGER), 1, 0) OVER w AS home_moves
       FROM pbp WHERE shotResult = 'Made'
       WINDOW w AS (PARTITION BY game_id ORDER BY CAST(period AS INTEGER), clock DESC, CAST(actionNumber AS INTEGER))
     ),
     votes AS (SELECT game_id, team, sum(CASE WHEN home_moves > 0 THEN 1 ELSE -1 END) AS v FROM made GROUP BY ALL)
     SELECT '00' || g.game_id AS game_id, strptime(min(g.date), '%Y%m%d')::DATE AS game_date,
            (SELECT arg_max(team, v) FROM votes WHERE votes.game_id = g.game_id) AS home,
            (SELECT arg_min(team, v) FROM votes WHERE votes.game_id = g.game_id) AS away,
            max(CAST(scoreHome AS INTEGER)) AS home_score, max(CAST(scoreAway AS INTEGER)) AS away_score,
            max(CAST(period AS INTEGER)) AS periods
     FROM pbp g GROUP BY g.game_id`,
  );
  const props = `(SELECT *, file_row_number AS file_row, CAST(CAST(tidygamedatetime AS TIMESTAMP) - INTERVAL 5 HOUR AS DATE) AS game_date
                  FROM read_parquet($props, file_row_number = true) WHERE prop = 'player points ou')`;
  const propsFile = join(BUNDLED_DATA_DIR, 'props', `props_${season}.parquet`);
  const tipoffs = await db.query<{ home: string; away: string; game_date: string; tip: string }>(
    `SELECT tidyhometeam AS home, tidyawayteam AS away, game_date, strftime(min(CAST(tidygamedatetime AS TIMESTAMP)), '%Y-%m-%dT%H:%M:%SZ') AS tip FROM ${props} GROUP BY ALL`,
    { props: propsFile },
  );
  const rows = await db.query<{ game_id: string; game_date: string; home: string; away: string; home_score: number; away_score: number; periods: number }>(
    `SELECT * FROM games ORDER BY game_date, game_id`,
  );
  const games: FixtureGame[] = rows.map((r) => {
    const tip = tipoffs.find((t) => t.game_date === r.game_date && t.home === r.home && t.away === r.away)?.tip;
    return {
      gameId: r.game_id,
      date: r.game_date,
      home: r.home,
      away: r.away,
      homeScore: r.home_score,
      awayScore: r.away_score,
      periods: r.periods,
      tipoffUtc: tip ?? `${r.game_date}T23:30:00Z`,
    };
  });
  const oddsFile = join(BUNDLED_DATA_DIR, 'odds', `odds_${season}.csv`);
  const actionCache = new Map<string, ActionRecord[]>();
  // Per date, the same answer every time: read once (a night's requests must not re-read the files).
  const once = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit) return hit;
    const p = load();
    cache.set(key, p);
    return p;
  };
  const propsCache = new Map<string, Promise<PropRow[]>>();
  const oddsCache = new Map<string, Promise<OddsRow[]>>();
  return {
    from: window.from,
    to: window.to,
    games,
    async actions(gameId) {
      const cached = actionCache.get(gameId);
      if (cached) return cached.map((a) => ({ ...a }));
      // The live feed has each action once: the first of the bundled file's copies.
      const rows = await db.query<ActionRecord>(
        `SELECT * EXCLUDE (file_row) FROM pbp WHERE game_id = $id
         QUALIFY row_number() OVER (PARTITION BY actionNumber ORDER BY file_row) = 1
         ORDER BY CAST(actionNumber AS INTEGER)`,
        { id: String(Number(gameId)) },
      );
      actionCache.set(gameId, rows);
      return rows.map((a) => ({ ...a }));
    },
    props(date) {
      return once(propsCache, date, () => db.query<PropRow & Record<string, unknown>>(
        `SELECT snapshot_utc, tidygamedatetime, tidyplayer, tidyhometeam, tidyawayteam, tidyou, tidyline, draftkings, fanduel, pointsbet
         FROM ${props} WHERE game_date = CAST($date AS DATE) ORDER BY file_row`,
        { props: propsFile, date },
      ));
    },
    odds(date) {
      const label = `${season}-${date.slice(5, 7)}${date.slice(8, 10)}`;
      return once(oddsCache, date, () => db.query<OddsRow & Record<string, unknown>>(
        `WITH names AS (SELECT unnest(from_json($names, '[{"name":"VARCHAR","abbr":"VARCHAR"}]'), recursive := true))
         SELECT h.abbr AS home, a.abbr AS away, o.OU, o.Spread, o.ML_Home, o.ML_Away
         FROM read_csv($odds, all_varchar = true) o JOIN names h ON h.name = o.Home JOIN names a ON a.name = o.Away
         WHERE o."Date" = $label ORDER BY CAST(o."index" AS INTEGER)`,
        { odds: oddsFile, label, names: ODDS_NAMES },
      ));
    },
    close: () => db.close(),
  };
}
