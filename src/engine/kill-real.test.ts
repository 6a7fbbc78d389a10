// Crash safety with the real processors on the real season: SIGKILL a per-date backfill of the
// first two weeks of November 2021 at several points, rerun, and every Phase 4 table, the failures
// and the partition statuses equal an uninterrupted run's, with no duplicate rows by grain. (Two
// weeks hold two Monday refits of the predictions and ~80 batches to kill between; the whole month
// proved the same at twice the time.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROCESSORS } from '../processors/index.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { tableHash } from '../testing/table-hash.js';
import { runKillableChild } from './testing/killable-child.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';

const CHILD = fileURLToPath(new URL('./testing/kill-real-child.ts', import.meta.url));
const FROM = '2021-11-01';
const TO = '2021-11-14';

const runChild = (db: string, killAfterLines?: number, extraMs = 0) => runKillableChild(CHILD, [db, FROM, TO], killAfterLines, extraMs);

async function state(path: string): Promise<{ hashes: Record<string, unknown>; duplicates: number }> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    const hashes: Record<string, unknown> = {};
    let duplicates = 0;
    for (const p of PROCESSORS) {
      hashes[p.key] = await tableHash(wh, p.outputTable);
      const [d] = await wh.query<{ n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${p.outputTable} GROUP BY ${p.entityColumn}, ${p.dateColumn} HAVING count(*) > 1)`,
      );
      duplicates += d?.n ?? 0;
    }
    hashes['failures'] = await wh.query(
      `SELECT processor_name, analysis_date, entity_id, failure_category, failure_reason, is_expected FROM nba_processing.precompute_failures ORDER BY ALL`,
    );
    hashes['statuses'] = await wh.query(
      `SELECT processor_name, partition_date, status, rows_written, entity_failures FROM nba_processing.partition_status ORDER BY ALL`,
    );
    return { hashes, duplicates };
  } finally {
    await wh.close();
  }
}

let reference: RealSeasonCopy;
let crashed: RealSeasonCopy;
before(async () => {
  [reference, crashed] = await Promise.all([realSeasonCopy(), realSeasonCopy()]);
  await Promise.all([reference.release(), crashed.release()]); // the children open the files
});
after(async () => {
  await reference?.cleanup();
  await crashed?.cleanup();
});

describe('SIGKILL during a real per-date backfill', () => {
  it('rerunning after kills gives exactly the tables of an uninterrupted run', { timeout: 480_000 }, async () => {
    const uninterrupted = runChild(reference.path);
    let kills = 0;
    // Kill points: after K progress lines (one per batch), plus a few ms so that some land inside a transaction.
    for (const [lines, extraMs] of [[5, 0], [20, 13], [35, 41]] as const) {
      const r = await runChild(crashed.path, lines, extraMs);
      if (r.killed && !r.stdout.includes('exitCode')) kills += 1;
    }
    assert.ok(kills >= 2, `kills landed mid-run: ${kills}`);
    const final = await runChild(crashed.path);
    const result = JSON.parse(final.stdout.trim().split('\n').pop() ?? '{}') as { exitCode: number; planned: number[] };
    assert.equal(result.exitCode, 0);
    const left = result.planned.reduce((a, b) => a + b, 0);
    const whole = JSON.parse((await uninterrupted).stdout.trim().split('\n').pop() ?? '{}') as { exitCode: number; planned: number[] };
    assert.equal(whole.exitCode, 0);
    const all = whole.planned.reduce((a, b) => a + b, 0);
    assert.ok(left > 0 && left < all, `the rerun resumed from partition_status (${left} of ${all} partitions left)`);
    const [a, b] = await Promise.all([state(reference.path), state(crashed.path)]);
    assert.equal(b.duplicates, 0);
    assert.equal(a.duplicates, 0);
    for (const key of Object.keys(a.hashes)) assert.deepEqual(b.hashes[key], a.hashes[key], `${key} equals the uninterrupted run`);
  });
});
