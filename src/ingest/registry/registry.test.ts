// Registry on the real bundled name files + the tiny hand-made play-by-play of registry-fixtures.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildRegistry, loadNameSources, playerLookup } from './index.js';
import { DATA_DIR, buildFixtureRegistry } from './registry-fixtures.js';

async function lookupSql(wh: Warehouse, name: string): Promise<string> {
  const [r] = await wh.query<{ k: string }>('SELECT {{player_lookup($name)}} AS k', { name });
  return r?.k ?? '';
}

describe('player lookup normalisation', () => {
  let t: TempWarehouse;
  before(async () => (t = await tempWarehouse()));
  after(async () => t.cleanup());

  it('strips diacritics, punctuation, spaces and case, in TS and SQL alike', async () => {
    const cases: [string, string][] = [
      ['Nikola Jokić', 'nikolajokic'],
      ['O.G. Anunoby', 'oganunoby'],
      ['OG Anunoby', 'oganunoby'],
      ['Xavier Tillman Sr.', 'xaviertillmansr'],
      ["De'Anthony Melton", 'deanthonymelton'],
      ['Dāvis Bertāns', 'davisbertans'],
      ['K. Birch', 'kbirch'],
    ];
    for (const [name, want] of cases) {
      assert.equal(playerLookup(name), want, name);
      assert.equal(await lookupSql(t.wh, name), want, `SQL ${name}`);
    }
  });

  it('agrees with the SQL macro on every name in the bundled files', async () => {
    await t.wh.transaction((tx) => loadNameSources(tx, DATA_DIR, 'run-norm'));
    const rows = await t.wh.query<{ name: string; k: string }>(
      `SELECT DISTINCT name, {{player_lookup(name)}} AS k FROM (
         SELECT name FROM nba_raw.player_name_sources
         UNION ALL SELECT unnest(json_extract_string(extra, '$.aliases[*]')) FROM nba_raw.player_name_sources WHERE source = 'betfinder')`,
    );
    assert.equal(rows.length, 3876); // names and betfinder aliases of the bundled files
    const mismatches = rows.filter((r) => playerLookup(r.name) !== r.k).map((r) => r.name);
    assert.deepEqual(mismatches, []);
  });
});

describe('buildRegistry on hand-made play-by-play', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await t.wh.transaction(async (tx) => {
      await buildFixtureRegistry(tx);
    });
  });
  after(async () => t.cleanup());

  it('has one row per player, coaches and team events left out', async () => {
    const ids = await t.wh.query<{ id: number }>('SELECT universal_player_id AS id FROM nba_reference.nba_players_registry ORDER BY 1');
    assert.deepEqual(ids.map((r) => r.id), [201954, 203920, 203999, 1627767, 1628384, 1629027, 1630214, 1631095, 9000001, 9000002]);
  });

  it('names players in priority order: commonplayerinfo, shot chart, betfinder initial match, pbp form', async () => {
    const rows = await t.wh.query(
      `SELECT universal_player_id AS id, player_name, player_lookup, display_fi_last, name_source, CAST(birthdate AS VARCHAR) AS birthdate, seasons
       FROM nba_reference.nba_players_registry ORDER BY universal_player_id`,
    );
    const by = new Map(rows.map((r) => [r['id'], r]));
    assert.deepEqual(by.get(1629027), { id: 1629027, player_name: 'Trae Young', player_lookup: 'traeyoung', display_fi_last: 'T. Young', name_source: 'commonplayerinfo', birthdate: '1998-09-19', seasons: ['2021-22', '2022-23'] });
    assert.deepEqual(by.get(1628384), { id: 1628384, player_name: 'OG Anunoby', player_lookup: 'oganunoby', display_fi_last: 'O. Anunoby', name_source: 'commonplayerinfo', birthdate: '1997-07-17', seasons: ['2021-22'] });
    // Official name wins over the shot chart's 2020-21 'Xavier Tillman Sr.'.
    assert.equal(by.get(1630214)?.['player_name'], 'Xavier Tillman');
    // Not in commonplayerinfo (a 2022 rookie): the shot-chart spelling, fi_last from the pbp.
    assert.deepEqual(by.get(1631095), { id: 1631095, player_name: 'Jabari Smith Jr.', player_lookup: 'jabarismithjr', display_fi_last: 'J. Smith Jr.', name_source: 'shotchart', birthdate: null, seasons: ['2022-23'] });
    // 'C.Diallo' (no space, as the pbp writes some) matches only 'Cheick Diallo' among betfinder names.
    assert.equal(by.get(1627767)?.['player_name'], 'Cheick Diallo');
    assert.equal(by.get(1627767)?.['name_source'], 'betfinder_lu_initial_match');
    assert.equal(by.get(1627767)?.['display_fi_last'], 'C. Diallo');
    // No source names Darren Collison: the pbp form stands.
    assert.equal(by.get(201954)?.['player_name'], 'D. Collison');
    assert.equal(by.get(201954)?.['name_source'], 'pbp_description_initial_only');
  });

  it('resolves registry lookups and aliases through the view, and never an ambiguous lookup', async () => {
    const rows = await t.wh.query<{ lookup: string; universal_player_id: number; canonical_lookup: string; resolved_via: string }>(
      `SELECT name_lookup AS lookup, universal_player_id, canonical_lookup, resolved_via FROM nba_reference.player_name_resolution
       WHERE name_lookup IN ('traeyoung', 'xaviertillmansr', 'kbirch', 'khembirch', 'jabarismith', 'zzed') ORDER BY name_lookup`,
    );
    assert.deepEqual(rows, [
      { lookup: 'jabarismith', universal_player_id: 1631095, canonical_lookup: 'jabarismithjr', resolved_via: 'alias' },
      { lookup: 'kbirch', universal_player_id: 203920, canonical_lookup: 'khembirch', resolved_via: 'alias' },
      { lookup: 'khembirch', universal_player_id: 203920, canonical_lookup: 'khembirch', resolved_via: 'registry' },
      { lookup: 'traeyoung', universal_player_id: 1629027, canonical_lookup: 'traeyoung', resolved_via: 'registry' },
      { lookup: 'xaviertillmansr', universal_player_id: 1630214, canonical_lookup: 'xaviertillman', resolved_via: 'alias' },
    ]);
    // Both invented 'Z. Zed' players exist in the registry, each with his own lookup (the second one
    // seen, same night, higher person id, gets his id appended), but the name 'zzed' resolves to neither.
    const zeds = await t.wh.query(`SELECT universal_player_id AS id, player_lookup, player_name FROM nba_reference.nba_players_registry WHERE player_name = 'Z. Zed' ORDER BY 1`);
    assert.deepEqual(zeds, [
      { id: 9000001, player_lookup: 'zzed', player_name: 'Z. Zed' },
      { id: 9000002, player_lookup: 'zzed9000002', player_name: 'Z. Zed' },
    ]);
  });

  it('records alias sources', async () => {
    const rows = await t.wh.query(`SELECT alias_lookup, alias_name, alias_source FROM nba_reference.player_aliases WHERE alias_lookup IN ('xaviertillmansr', 'kbirch', 'jabarismith') ORDER BY 1`);
    assert.deepEqual(rows, [
      { alias_lookup: 'jabarismith', alias_name: 'Jabari Smith', alias_source: 'suffix' },
      { alias_lookup: 'kbirch', alias_name: 'K. Birch', alias_source: 'betfinder' },
      { alias_lookup: 'xaviertillmansr', alias_name: 'Xavier Tillman Sr.', alias_source: 'shotchart' },
    ]);
  });

  it('is idempotent: a second build gives the same registry and aliases', async () => {
    const snap = async () => t.wh.query(`SELECT * EXCLUDE (processed_at) FROM nba_reference.nba_players_registry ORDER BY 1`);
    const aliases = async () => t.wh.query(`SELECT * EXCLUDE (created_at) FROM nba_reference.player_aliases ORDER BY 1`);
    const [r1, a1] = [await snap(), await aliases()];
    await t.wh.transaction(async (tx) => {
      await loadNameSources(tx, DATA_DIR, 'run-2');
      await buildRegistry(tx, 'run-2');
    });
    assert.deepEqual(await snap(), r1);
    assert.deepEqual(await aliases(), a1);
    const [n] = await t.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.player_name_sources WHERE source = 'commonplayerinfo'`);
    assert.equal(n?.n, 584);
  });
});
