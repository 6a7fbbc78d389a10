// Crash safety: SIGKILL a backfill at several points (between and inside batch transactions),
// rerun, and the tables must equal an uninterrupted run's, with no duplicate rows by grain; each
// killed run is marked interrupted by the run after it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { snapshot } from './testing/fakes.js';
import { runKillableChild } from './testing/killable-child.js';

const CHILD = fileURLToPath(new URL('./testing/kill-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'courtside-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const runChild = (db: string, killAfterLines?: number, extraMs = 0) => runKillableChild(CHILD, [db], killAfterLines, extraMs);

async function inspect(db: string): Promise<{ snap: Record<string, string>; duplicates: number; running: number; interrupted: number }> {
  const wh = await DuckDBWarehouse.open(db);
  try {
    const dups = await wh.query<{ n: number }>(`SELECT (
        (SELECT count(*) FROM (SELECT 1 FROM fake.psza GROUP BY player_lookup, analysis_date HAVING count(*) > 1)) +
        (SELECT count(*) FROM (SELECT 1 FROM fake.tdza GROUP BY team_abbr, analysis_date HAVING count(*) > 1)) +
        (SELECT count(*) FROM (SELECT 1 FROM fake.pdc GROUP BY player_lookup, cache_date HAVING count(*) > 1)))::INT AS n`);
    const count = async (status: string) =>
      (await wh.query<{ n: number }>(`SELECT count(*)::INT AS n FROM nba_processing.run_history WHERE status = $status`, { status }))[0]?.n ?? -1;
    return { snap: await snapshot(wh), duplicates: dups[0]?.n ?? -1, running: await count('running'), interrupted: await count('interrupted') };
  } finally {
    await wh.close();
  }
}

describe('SIGKILL during a backfill', () => {
  it('rerunning after kills gives exactly the tables of an uninterrupted run', { timeout: 240_000 }, async () => {
    const reference = join(dir, 'reference.duckdb');
    const crashed = join(dir, 'crashed.duckdb');
    const referenceRun = runChild(reference);
    // Kill points: after K progress lines, plus a few ms so that some kills land inside a transaction.
    const kills: [number, number][] = [[3, 0], [20, 7], [35, 19], [45, 3]];
    let killedCount = 0;
    for (const [lines, extraMs] of kills) {
      const r = await runChild(crashed, lines, extraMs);
      if (r.killed && !r.stdout.includes('exitCode')) killedCount += 1;
    }
    assert.ok(killedCount >= 3, `at least three kills landed mid-run (got ${killedCount})`);
    const final = await runChild(crashed);
    const result = JSON.parse(final.stdout.trim().split('\n').pop() ?? '{}') as { exitCode: number; planned: number[] };
    assert.equal(result.exitCode, 0);
    const plannedTotal = result.planned.reduce((a, b) => a + b, 0);
    assert.ok(plannedTotal > 0 && plannedTotal < 180, `the rerun resumed from partition_status (${plannedTotal} of 180 partitions left)`);
    await referenceRun;
    const [a, b] = await Promise.all([inspect(reference), inspect(crashed)]);
    assert.equal(b.duplicates, 0);
    // Each killed run stayed 'running' until the next run saw its process gone and marked it.
    assert.equal(b.running, 0, 'no run is left looking alive');
    assert.ok(b.interrupted >= 3, `killed runs are marked interrupted in run_history (${b.interrupted})`);
    for (const table of Object.keys(a.snap)) assert.equal(b.snap[table], a.snap[table], `${table} equals the uninterrupted run`);
  });
});
