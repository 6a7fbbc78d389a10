// Re-ingesting a smaller season leaves no orphans: the real 2021-22 season is backfilled, then
// ingested again from a subset of its games (no games on 2021-11-10, none from 2021-12-01 on);
// the Phase 4 rows, statuses and failures of the dates that are no longer game dates go in the
// same transaction, everything else stays as it was, and `coverage` shows orphans when any exist.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findOrphans } from '../engine/orphans.js';
import { runBackfill } from '../engine/run.js';
import { PROCESSORS } from '../processors/index.js';
import { runCli } from '../testing/cli.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { tableHash } from '../testing/table-hash.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { BUNDLED_DATA_DIR } from './sources.js';

const REMOVED = `(d = DATE '2021-11-10' OR d >= DATE '2021-12-01') AND d <= DATE '2022-06-30'`;
const dir = mkdtempSync(join(tmpdir(), 'courtside-subset-'));
const quoted = (path: string) => `'${path.replaceAll("'", "''")}'`; // COPY takes no bound file names

/** A data directory like data/, with 2021-22 cut to its games before 2021-12-01, minus 2021-11-10. */
async function writeSubset(wh: Warehouse): Promise<string> {
  const root = join(dir, 'data');
  for (const sub of ['pbp', 'odds', 'props']) mkdirSync(join(root, sub), { recursive: true });
  cpSync(join(BUNDLED_DATA_DIR, 'names'), join(root, 'names'), { recursive: true });
  cpSync(join(BUNDLED_DATA_DIR, 'props', 'props_2021-22.parquet'), join(root, 'props', 'props_2021-22.parquet'));
  await wh.exec(
    `COPY (SELECT * FROM read_parquet(${quoted(join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet'))}) WHERE date < '20211201' AND date <> '20211110')
     TO ${quoted(join(root, 'pbp', 'pbp_2021-22.parquet'))} (FORMAT parquet)`,
  );
  // Odds dates read "2021-22-MMDD": keep October and November, minus 11-10.
  await wh.exec(
    `COPY (SELECT * FROM read_csv(${quoted(join(BUNDLED_DATA_DIR, 'odds', 'odds_2021-22.csv'))}, all_varchar = true, header = true)
           WHERE substr("Date", 9, 2) IN ('10', '11') AND "Date" <> '2021-22-1110')
     TO ${quoted(join(root, 'odds', 'odds_2021-22.csv'))} (HEADER, DELIMITER ',')`,
  );
  return root;
}

/** Per processor: outputs, statuses and failures on the dates the subset removes (hand-counted in SQL). */
async function onRemovedDates(wh: Warehouse): Promise<{ processor: string; rows: number; statuses: number; failures: number }[]> {
  const out = [];
  for (const p of PROCESSORS) {
    const [c] = await wh.query<{ rows: number; statuses: number; failures: number }>(
      `SELECT (SELECT count(*) FROM (SELECT ${p.dateColumn} AS d FROM ${p.outputTable}) WHERE ${REMOVED}) AS rows,
              (SELECT count(*) FROM (SELECT partition_date AS d FROM nba_processing.partition_status WHERE processor_name = $name) WHERE ${REMOVED}) AS statuses,
              (SELECT count(*) FROM (SELECT analysis_date AS d FROM nba_processing.precompute_failures WHERE processor_name = $name) WHERE ${REMOVED}) AS failures`,
      { name: p.processorName },
    );
    out.push({ processor: p.key, rows: c?.rows ?? -1, statuses: c?.statuses ?? -1, failures: c?.failures ?? -1 });
  }
  return out;
}

/** Everything that must survive: outputs, statuses and failures of every other date, both seasons. */
async function kept(wh: Warehouse): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of PROCESSORS) out[p.key] = await tableHash(wh, p.outputTable, `NOT (${REMOVED.replaceAll(/\bd\b/g, p.dateColumn)})`);
  out['statuses'] = await tableHash(wh, 'nba_processing.partition_status', `NOT (${REMOVED.replaceAll(/\bd\b/g, 'partition_date')})`);
  out['failures'] = await tableHash(wh, 'nba_processing.precompute_failures', `NOT (${REMOVED.replaceAll(/\bd\b/g, 'analysis_date')})`);
  return out;
}

let fx: RealSeasonCopy;
let expected: Awaited<ReturnType<typeof onRemovedDates>>;
let survivors: Record<string, unknown>;
let source: string;

before(async () => {
  fx = await realSeasonCopy();
  for (const [from, to] of [['2021-10-19', '2021-12-15'], ['2022-10-18', '2022-11-15']] as const) {
    const s = await runBackfill(fx.wh, PROCESSORS, { from, to });
    assert.ok(s.processors.every((p) => p.complete > 0));
  }
  expected = await onRemovedDates(fx.wh);
  survivors = await kept(fx.wh);
  source = await writeSubset(fx.wh);
  await fx.release();
});
after(async () => {
  await fx?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const open = async <T>(work: (wh: Warehouse) => Promise<T>): Promise<T> => {
  const wh = await DuckDBWarehouse.open(fx.path);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
};

describe('re-ingesting a smaller season', { timeout: 240_000 }, () => {
  it('removes the Phase 4 rows, statuses and failures of dates that are no longer game dates, and nothing else', async () => {
    // The backfill did write there: 11-10 and 12-01..12-15 have rows for every processor.
    assert.ok(expected.every((e) => e.statuses === 16 && e.rows > 0), JSON.stringify(expected));
    const r = await runCli(['--db', fx.path, '--format', 'json', 'ingest', '--season', '2021-22', '--source', source]);
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(r.out) as { orphansRemoved: { processor: string; dates: number; rows: number; statuses: number; failures: number }[] };
    assert.deepEqual(summary.orphansRemoved, expected.map((e) => ({ ...e, dates: 16 })));
    await open(async (wh) => {
      assert.deepEqual(await onRemovedDates(wh), expected.map((e) => ({ ...e, rows: 0, statuses: 0, failures: 0 })));
      assert.deepEqual(await kept(wh), survivors, 'every other partition is untouched');
      const [g] = await wh.query<{ last: string; has_1110: boolean }>(
        `SELECT CAST(max(game_date) AS VARCHAR) AS last, bool_or(game_date = DATE '2021-11-10') AS has_1110 FROM nba_reference.game_dates WHERE season_year = 2021`,
      );
      assert.deepEqual(g, { last: '2021-11-30', has_1110: false }, 'the subset is what was loaded');
      assert.ok((await findOrphans(wh, PROCESSORS, { from: '2021-01-01', to: '2023-12-31' })).every((o) => o.dates === 0));
    });
    const cov = await runCli(['--db', fx.path, '--format', 'json', 'coverage', '--from', '2021-10-19', '--to', '2022-11-15']);
    const rows = JSON.parse(cov.out) as { processor: string; orphan_dates: number; orphan_rows: number }[];
    assert.deepEqual(rows.map((x) => [x.processor, x.orphan_dates, x.orphan_rows]), PROCESSORS.map((p) => [p.key, 0, 0]));
  });

  it('coverage shows orphans if any exist (here: a game date deleted behind ingest\'s back), and reset removes them', async () => {
    const planted = await open(async (wh) => {
      const [n] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_precompute.player_daily_cache WHERE cache_date = DATE '2022-11-02'`);
      await wh.exec(`DELETE FROM nba_reference.schedule WHERE game_date = DATE '2022-11-02'`);
      return n?.n ?? 0;
    });
    assert.ok(planted > 0);
    const cov = await runCli(['--db', fx.path, '--format', 'json', 'coverage', '--from', '2022-10-18', '--to', '2022-11-15']);
    const pdc = (JSON.parse(cov.out) as { processor: string; orphan_dates: number; orphan_rows: number }[]).find((x) => x.processor === 'pdc');
    assert.deepEqual(pdc && [pdc.orphan_dates, pdc.orphan_rows], [1, planted]);
    const reset = await runCli(['--db', fx.path, 'reset', '--from', '2022-11-02', '--to', '2022-11-02']);
    assert.equal(reset.code, 0, reset.err);
    const again = await runCli(['--db', fx.path, '--format', 'json', 'coverage', '--from', '2022-10-18', '--to', '2022-11-15']);
    assert.ok((JSON.parse(again.out) as { orphan_dates: number }[]).every((x) => x.orphan_dates === 0));
  });
});
