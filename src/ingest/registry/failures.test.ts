// Failure tracking and the PENDING → RESOLVED → REPROCESSED lifecycle, on the hand-made pbp.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { InputError, UsageError } from '../../core/errors.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import {
  NAME_FILES, addManualAlias, buildRegistry, loadNameSources, pendingFailures, recordUnresolvedPropNames,
  reprocessResolved, resolveOddsTeams, TEAM_TRICODES, type DateRebuilder,
} from './index.js';
import { DATA_DIR, buildFixtureRegistry, insertPropLines } from './registry-fixtures.js';
import { engineDownstream } from '../../engine/rebuild-downstream.js';
import { PROCESSORS } from '../../processors/index.js';

const failures = (wh: Warehouse) =>
  wh.query(`SELECT player_lookup, raw_name, CAST(game_date AS VARCHAR) AS game_date, processor_name, occurrence_count, run_id,
                   CASE WHEN resolved_at IS NULL THEN 'PENDING' WHEN reprocessed_at IS NULL THEN 'RESOLVED' ELSE 'REPROCESSED' END AS status
            FROM nba_processing.registry_failures ORDER BY processor_name, player_lookup, game_date`);

describe('registry failures and lifecycle', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await t.wh.transaction(async (tx) => {
      await buildFixtureRegistry(tx);
      await insertPropLines(tx, [
        { name: 'Trae Young', date: '2021-10-31', team: 'ATL' },       // registry
        { name: 'K. Birch', date: '2021-10-31', team: 'TOR' },         // betfinder alias
        { name: 'Xavier Tillman Sr.', date: '2021-11-02', team: 'MEM' }, // shot-chart alias
        { name: 'Trey Young', date: '2021-10-31', team: 'ATL' },       // misspelt: fails on two dates
        { name: 'Trey Young', date: '2021-10-31', team: 'ATL', prop: 'player points alt' }, // same key, folded
        { name: 'Trey Young', date: '2021-11-02', team: 'ATL' },
        { name: 'Nikola Jokich', date: '2021-11-08', team: null },
        { name: 'Z. Zed', date: '2021-11-08', team: null },            // ambiguous lookup
      ]);
    });
  });
  after(async () => t.cleanup());

  it('exports the 30 tricodes', () => {
    assert.equal(TEAM_TRICODES.size, 30);
    assert.ok(TEAM_TRICODES.has('CHA') && TEAM_TRICODES.has('NOP') && !TEAM_TRICODES.has('CHH'));
  });

  it('records each unresolved (name, date) once, and a re-run raises occurrence_count', async () => {
    assert.equal(await t.wh.transaction((tx) => recordUnresolvedPropNames(tx, 'run-1')), 4);
    assert.equal(await t.wh.transaction((tx) => recordUnresolvedPropNames(tx, 'run-2')), 4);
    assert.deepEqual(await failures(t.wh), [
      { player_lookup: 'nikolajokich', raw_name: 'Nikola Jokich', game_date: '2021-11-08', processor_name: 'UpcomingPlayerGameContextProcessor', occurrence_count: 2, run_id: 'run-2', status: 'PENDING' },
      { player_lookup: 'treyyoung', raw_name: 'Trey Young', game_date: '2021-10-31', processor_name: 'UpcomingPlayerGameContextProcessor', occurrence_count: 2, run_id: 'run-2', status: 'PENDING' },
      { player_lookup: 'treyyoung', raw_name: 'Trey Young', game_date: '2021-11-02', processor_name: 'UpcomingPlayerGameContextProcessor', occurrence_count: 2, run_id: 'run-2', status: 'PENDING' },
      { player_lookup: 'zzed', raw_name: 'Z. Zed', game_date: '2021-11-08', processor_name: 'UpcomingPlayerGameContextProcessor', occurrence_count: 2, run_id: 'run-2', status: 'PENDING' },
    ]);
  });

  it('lists pending names with suggestions', async () => {
    const rows = await pendingFailures(t.wh);
    const trey = rows.find((r) => r['lookup'] === 'treyyoung');
    assert.equal(trey?.['dates'], 2);
    assert.equal(trey?.['occurrences'], 4);
    assert.equal(trey?.['first_date'], '2021-10-31');
    assert.match(String(trey?.['suggestions']), /^Trae Young \(1629027\)/);
    assert.match(String(rows.find((r) => r['lookup'] === 'nikolajokich')?.['suggestions']), /^Nikola Jokic \(203999\)/);
  });

  it('refuses unknown and ambiguous players with a usage error (exit 2)', async () => {
    await assert.rejects(t.wh.transaction((tx) => addManualAlias(tx, 'Trey Young', 'Nobody Atall')), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /no registry player/.test(e.message));
    await assert.rejects(t.wh.transaction((tx) => addManualAlias(tx, 'Zed Z', 'Z. Zed')), (e: unknown) => e instanceof UsageError && /ambiguous: Z\. Zed \(9000001\), Z\. Zed \(9000002\)/.test(e.message));
    await assert.rejects(t.wh.transaction((tx) => addManualAlias(tx, 'OG Anunoby', '1629027')), (e: unknown) => e instanceof UsageError && /already a registry lookup/.test(e.message));
  });

  it('alias → RESOLVED → reprocess rebuilds only the affected dates → REPROCESSED', async () => {
    const r = await t.wh.transaction((tx) => addManualAlias(tx, 'Trey Young', 'Trae Young'));
    assert.deepEqual([r.aliasLookup, r.player.universal_player_id, r.failuresResolved], ['treyyoung', 1629027, 2]);
    const calls: string[][] = [];
    const stub: DateRebuilder = async (_tx, { dates }) => void calls.push(dates);
    // The real engine downstream: no Phase 4 partition is stored here, so nothing downstream to rebuild.
    const downstream = engineDownstream(t.wh, PROCESSORS);
    const { outcomes, downstream: done } = await reprocessResolved(t.wh, { runId: 'run-3', rebuilders: { UpcomingPlayerGameContextProcessor: stub }, downstream });
    assert.deepEqual(calls, [['2021-10-31', '2021-11-02']]);
    assert.deepEqual(outcomes, [{ processorName: 'UpcomingPlayerGameContextProcessor', dates: ['2021-10-31', '2021-11-02'], failures: 2, rebuilt: true, reprocessed: true }]);
    assert.deepEqual(done, { ok: true, detail: 'no partitions stored from 2021-10-31 on: nothing downstream to rebuild' });
    const status = (await failures(t.wh)).map((f) => `${f['player_lookup']} ${f['game_date']} ${f['status']}`);
    assert.deepEqual(status, ['nikolajokich 2021-11-08 PENDING', 'treyyoung 2021-10-31 REPROCESSED', 'treyyoung 2021-11-02 REPROCESSED', 'zzed 2021-11-08 PENDING']);
    assert.deepEqual(await reprocessResolved(t.wh, { runId: 'run-4', rebuilders: { UpcomingPlayerGameContextProcessor: stub }, downstream }), { outcomes: [], downstream: null });
    // Once aliased, the prop lines resolve: a re-run records nothing new for treyyoung.
    await t.wh.transaction((tx) => recordUnresolvedPropNames(tx, 'run-5'));
    const [n] = await t.wh.query<{ n: number }>(`SELECT max(occurrence_count) AS n FROM nba_processing.registry_failures WHERE player_lookup = 'treyyoung'`);
    assert.equal(n?.n, 2);
  });

  it('keeps manual aliases through a registry rebuild', async () => {
    await t.wh.transaction((tx) => buildRegistry(tx, 'run-6'));
    const rows = await t.wh.query(`SELECT name_lookup AS lookup, universal_player_id, resolved_via FROM nba_reference.player_name_resolution WHERE name_lookup = 'treyyoung'`);
    assert.deepEqual(rows, [{ lookup: 'treyyoung', universal_player_id: 1629027, resolved_via: 'alias' }]);
    const [a] = await t.wh.query(`SELECT alias_source, canonical_lookup FROM nba_reference.player_aliases WHERE alias_lookup = 'treyyoung'`);
    assert.deepEqual(a, { alias_source: 'manual', canonical_lookup: 'traeyoung' });
  });

  it('resolves odds team names, Charlotte Bobcats → CHA, and tracks unknown names', async () => {
    await t.wh.transaction(async (tx) => {
      const odds = [['Charlotte Bobcats', 'Los Angeles Lakers'], ['LA Clippers', 'Gotham Rogues']] as const;
      for (const [i, [home, away]] of odds.entries()) {
        await tx.exec(
          `INSERT INTO nba_raw.game_odds (game_date, season_label, home_team_name, away_team_name, source_file, source_row, loaded_at)
           VALUES (DATE '2021-11-01', '2021-22', $home, $away, 'fixture', $row, now()::TIMESTAMP)`,
          { home, away, row: i + 1 },
        );
      }
      assert.deepEqual(await resolveOddsTeams(tx, 'run-7'), { unresolvedNames: 1 });
    });
    const rows = await t.wh.query('SELECT home_team_abbr, away_team_abbr FROM nba_raw.game_odds ORDER BY source_row');
    assert.deepEqual(rows, [{ home_team_abbr: 'CHA', away_team_abbr: 'LAL' }, { home_team_abbr: 'LAC', away_team_abbr: null }]);
    const f = await t.wh.query(`SELECT player_lookup, raw_name, season, occurrence_count FROM nba_processing.registry_failures WHERE processor_name = 'GameOddsLoader'`);
    assert.deepEqual(f, [{ player_lookup: 'gothamrogues', raw_name: 'Gotham Rogues', season: '2021-22', occurrence_count: 1 }]);
    const [teams] = await t.wh.query<{ n: number }>('SELECT count(*) AS n FROM nba_reference.teams');
    assert.equal(teams?.n, 30);
  });
});

describe('loadNameSources on malformed files', () => {
  const copyData = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'courtside-names-'));
    for (const f of Object.values(NAME_FILES)) copyFileSync(join(DATA_DIR, 'names', f), join(dir, f));
    return dir;
  };
  let t: TempWarehouse;
  before(async () => (t = await tempWarehouse()));
  after(async () => t.cleanup());

  it('names the file and row of a bad CSV row, and writes nothing', async () => {
    const dir = copyData();
    const file = join(dir, NAME_FILES.shotchart);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = '2020-21,not-an-id,Someone';
    writeFileSync(file, lines.join('\n'));
    await assert.rejects(
      t.wh.transaction((tx) => loadNameSources(tx, dir, 'run-bad')),
      (e: unknown) => e instanceof InputError && e.file === file && e.row === 5 && /player_id 'not-an-id'/.test(e.message),
    );
    const [n] = await t.wh.query<{ n: number }>('SELECT count(*) AS n FROM nba_raw.player_name_sources');
    assert.equal(n?.n, 0);
  });

  it('names the entry of a bad JSON entry and the file of unparsable JSON', async () => {
    const dir = copyData();
    writeFileSync(join(dir, NAME_FILES.betfinder_team), JSON.stringify([{ name: 'ATL', aliases: ['Hawks'] }, { name: 'XXX', aliases: [] }]));
    await assert.rejects(t.wh.transaction((tx) => loadNameSources(tx, dir, 'run-bad')), (e: unknown) => e instanceof InputError && e.row === 2 && /'XXX' is not an NBA tricode/.test(e.message));
    writeFileSync(join(dir, NAME_FILES.betfinder), '[{"name": "A B", "aliases": [');
    await assert.rejects(t.wh.transaction((tx) => loadNameSources(tx, dir, 'run-bad')), (e: unknown) => e instanceof InputError && e.file.endsWith(NAME_FILES.betfinder) && /not valid JSON/.test(e.message));
  });
});

describe('reprocess: REPROCESSED only after the downstream succeeded', () => {
  let t: TempWarehouse;
  const rebuilt: string[][] = [];
  const rebuilders = { UpcomingPlayerGameContextProcessor: (async (_tx, { dates }) => void rebuilt.push(dates)) as DateRebuilder };
  const statuses = async () => (await failures(t.wh)).map((f) => `${f['player_lookup']} ${f['game_date']} ${f['status']}`);
  before(async () => {
    t = await tempWarehouse();
    await t.wh.transaction(async (tx) => {
      await buildFixtureRegistry(tx);
      await insertPropLines(tx, [
        { name: 'Trey Young', date: '2021-11-02', team: 'ATL' },
        { name: 'Nikola Jokich', date: '2021-10-31', team: null },
      ]);
      await recordUnresolvedPropNames(tx, 'run-1');
      await addManualAlias(tx, 'Trey Young', 'Trae Young');
      await addManualAlias(tx, 'Nikola Jokich', '203999');
    });
  });
  after(async () => t.cleanup());

  it('a downstream that throws or fails leaves every failure RESOLVED; the next reprocess rebuilds the same dates again', async () => {
    const froms: string[] = [];
    await assert.rejects(
      reprocessResolved(t.wh, { runId: 'r-throw', rebuilders, downstream: async ({ from }) => { froms.push(from); throw new Error('warehouse went away'); } }),
      /warehouse went away/,
    );
    assert.deepEqual(await statuses(), ['nikolajokich 2021-10-31 RESOLVED', 'treyyoung 2021-11-02 RESOLVED']);
    const failed = await reprocessResolved(t.wh, { runId: 'r-fail', rebuilders, downstream: async ({ from }) => (froms.push(from), { ok: false, detail: 'run x: partial' }) });
    assert.deepEqual(failed.downstream, { ok: false, detail: 'run x: partial' });
    assert.deepEqual(failed.outcomes.map((o) => [o.rebuilt, o.reprocessed]), [[true, false]]);
    assert.deepEqual(await statuses(), ['nikolajokich 2021-10-31 RESOLVED', 'treyyoung 2021-11-02 RESOLVED']);
    // The downstream starts at the earliest rebuilt date; each attempt rebuilt the same dates.
    assert.deepEqual(froms, ['2021-10-31', '2021-10-31']);
    assert.deepEqual(rebuilt, [['2021-10-31', '2021-11-02'], ['2021-10-31', '2021-11-02']]);
    // 'skip' (--phase3-only): rebuilt, not marked, no downstream outcome.
    const skipped = await reprocessResolved(t.wh, { runId: 'r-skip', rebuilders, downstream: 'skip' });
    assert.deepEqual([skipped.downstream, skipped.outcomes.map((o) => o.reprocessed)], [null, [false]]);
    assert.deepEqual(await statuses(), ['nikolajokich 2021-10-31 RESOLVED', 'treyyoung 2021-11-02 RESOLVED']);
  });

  it('a failure resolved again while the downstream ran (an alias re-pointed) waits for the next reprocess', async () => {
    const first = await reprocessResolved(t.wh, {
      runId: 'r-ok',
      rebuilders,
      downstream: async () => {
        await t.wh.transaction((tx) => addManualAlias(tx, 'Nikola Jokich', 'Trae Young')); // the operator changes his mind meanwhile
        return { ok: true, detail: 'up to date' };
      },
    });
    assert.deepEqual(first.outcomes.map((o) => [o.failures, o.reprocessed]), [[2, true]]);
    assert.deepEqual(await statuses(), ['nikolajokich 2021-10-31 RESOLVED', 'treyyoung 2021-11-02 REPROCESSED']);
    const second = await reprocessResolved(t.wh, { runId: 'r-ok2', rebuilders, downstream: async () => ({ ok: true, detail: 'up to date' }) });
    assert.deepEqual(second.outcomes.map((o) => [o.dates, o.reprocessed]), [[['2021-10-31'], true]]);
    assert.deepEqual(await statuses(), ['nikolajokich 2021-10-31 REPROCESSED', 'treyyoung 2021-11-02 REPROCESSED']);
  });
});
