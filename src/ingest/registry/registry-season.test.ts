// Checks on the real bundled seasons: the whole 2021-22 and 2022-23 play-by-play (only the columns
// the registry reads) against the real name files. Expected figures are the data README's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { buildRegistry, loadNameSources, recordUnresolvedPropNames, resolveOddsTeams, seedTeams, type RegistryBuildSummary } from './index.js';

const DATA = join(import.meta.dirname, '../../../data');

describe('registry on the real 2021-22 + 2022-23 play-by-play', () => {
  let t: TempWarehouse;
  let summary: RegistryBuildSummary;
  before(async () => {
    t = await tempWarehouse();
    await t.wh.transaction(async (tx) => {
      for (const season of ['2021-22', '2022-23']) {
        await tx.exec(`
          INSERT INTO nba_raw.play_by_play (game_id, game_date, season_year, team_abbr, period, clock_seconds, action_number,
                                            action_type, description, player_name, person_id, players_on, source_file, loaded_at)
          SELECT '00' || game_id, strptime(date, '%Y%m%d')::DATE, CAST(season_year AS INTEGER) - 1, team, CAST(period AS INTEGER), 0,
                 CAST(actionNumber AS INTEGER), actionType, description, NULLIF(playerName, ''), TRY_CAST(person_id AS BIGINT),
                 list_transform(string_split(NULLIF(players_on, ''), '|'), x -> CAST(x AS BIGINT)), 'test', now()::TIMESTAMP
          FROM read_parquet($file)`, { file: join(DATA, `pbp/pbp_${season}.parquet`) });
      }
      await loadNameSources(tx, DATA, 'test-run');
      await seedTeams(tx);
      summary = await buildRegistry(tx, 'test-run');
      // The real prop snapshots and odds, with only the columns the registry reads.
      await tx.exec(`
        INSERT INTO nba_raw.player_prop_lines (snapshot_utc, source_commit, prop, game_date, player_name, team_abbr, source_file, source_row, loaded_at)
        SELECT CAST(snapshot_utc AS TIMESTAMP), source_commit, prop, CAST(CAST(tidygamedatetime AS TIMESTAMP) - INTERVAL 5 HOUR AS DATE),
               trim(tidyplayer), NULLIF(trim(tidyteam), ''), 'test', 0, now()::TIMESTAMP
        FROM read_parquet($file)`, { file: join(DATA, 'props/props_2021-22.parquet') });
      await tx.exec(`
        INSERT INTO nba_raw.game_odds (game_date, season_label, home_team_name, away_team_name, source_file, source_row, loaded_at)
        SELECT DATE '2021-10-19', '2021-22', Home, Away, 'test', 0, now()::TIMESTAMP
        FROM read_csv([$a, $b], all_varchar = true)`, { a: join(DATA, 'odds/odds_2021-22.csv'), b: join(DATA, 'odds/odds_2022-23.csv') });
      await resolveOddsTeams(tx, 'test-run');
      await recordUnresolvedPropNames(tx, 'test-run');
    });
  });
  after(async () => t.cleanup());

  it('has the README 711 players, none sharing a lookup', () => {
    assert.equal(summary.players, 711);
    assert.deepEqual(summary.byNameSource, { betfinder_lu_initial_match: 19, commonplayerinfo: 551, pbp_description_initial_only: 17, shotchart: 124 });
    assert.equal(summary.ambiguousLookups, 0);
    assert.deepEqual(summary.aliasesBySource, { betfinder: 61, shotchart: 3, suffix: 11 });
  });

  it('names the README spelling cases', async () => {
    const rows = await t.wh.query(`SELECT universal_player_id AS id, player_name FROM nba_reference.nba_players_registry WHERE universal_player_id IN (1628384, 1628408, 1630197, 1630214, 1630288, 201954) ORDER BY 1`);
    assert.deepEqual(rows.map((r) => r['player_name']), ['D. Collison', 'OG Anunoby', 'P.J. Dozier', 'Aleksej Pokusevski', 'Xavier Tillman', 'Jeff Dowtin']);
  });

  it('resolves every odds team name, Charlotte Bobcats included', async () => {
    const [r] = await t.wh.query<{ n: number; unresolved: number; bobcats: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE home_team_abbr IS NULL OR away_team_abbr IS NULL) AS unresolved,
              any_value(home_team_abbr) FILTER (WHERE home_team_name = 'Charlotte Bobcats') AS bobcats FROM nba_raw.game_odds`,
    );
    assert.deepEqual(r, { n: 2642, unresolved: 0, bobcats: 'CHA' });
  });

  it('leaves only market artefacts unresolved among the sportsbook names', async () => {
    const rows = await t.wh.query<{ player_lookup: string }>(
      `SELECT DISTINCT player_lookup FROM nba_processing.registry_failures WHERE processor_name = 'UpcomingPlayerGameContextProcessor' ORDER BY 1`,
    );
    // 36 'X to get a double/triple double' market labels and 'team'; no real player name fails.
    assert.equal(rows.length, 37);
    assert.deepEqual(rows.filter((r) => !/togeta(double|triple)double$|^team$/.test(r.player_lookup)), []);
    const points = await t.wh.query(
      `SELECT DISTINCT player_name FROM nba_raw.player_prop_lines p WHERE prop = 'player points ou'
       AND {{player_lookup(player_name)}} NOT IN (SELECT name_lookup FROM nba_reference.player_name_resolution) ORDER BY 1`,
    );
    assert.deepEqual(points, []);
  });
});
