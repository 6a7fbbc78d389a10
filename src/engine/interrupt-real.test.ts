// Interrupted runs on the real season, through the real command line in a child process:
// SIGTERM mid-backfill finishes the batch in progress, records the run `interrupted`, prints what
// was done and exits 143; SIGINT twice abandons the open batch (it rolls back); SIGKILL leaves the
// run `running` until the next command sees its process gone and marks it `interrupted`. After
// each, every partition is either untouched or exactly as an uninterrupted run builds it, and the
// resumed run ends with the tables of an uninterrupted one.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROCESSORS } from '../processors/index.js';
import { runCli } from '../testing/cli.js';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { VOLATILE_COLUMNS, tableHash } from '../testing/table-hash.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { runKillableChild, type ChildResult, type SignalOptions } from './testing/killable-child.js';

const CLI = fileURLToPath(new URL('./testing/cli-child.ts', import.meta.url));
// One week, per date: ~40 batches, enough for the SIGTERM (after 12), SIGINT (6 more) and SIGKILL (4
// more) to each land mid-run and leave work for the resumed run (twelve days proved the same, slower).
const FROM = '2021-11-01';
const TO = '2021-11-07';
const ENV = { COURTSIDE_PROGRESS_INTERVAL_MS: '0' }; // one progress line per batch, to signal mid-run

const backfill = (db: string, killAfterLines?: number, options: SignalOptions = {}): Promise<ChildResult> =>
  runKillableChild(CLI, ['--db', db, '--format', 'json', 'backfill', '--from', FROM, '--to', TO, '--batch-days', '1'], killAfterLines, 0, { ...options, env: ENV });

async function withDb<T>(path: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

/** Per processor and date: row count and content hash of the output, and the partition's status. */
async function partitions(wh: Warehouse): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of PROCESSORS) {
    const cols = await wh.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = $t ORDER BY ordinal_position`,
      { t: p.outputTable },
    );
    const kept = cols.map((c) => `"${c.column_name}"`).filter((c) => !(VOLATILE_COLUMNS as readonly string[]).includes(c.slice(1, -1)));
    const rows = await wh.query<{ d: string; n: number; h: string }>(
      `SELECT CAST(${p.dateColumn} AS VARCHAR) AS d, count(*) AS n, CAST(sum(CAST(hash(to_json(t)) AS HUGEINT)) AS VARCHAR) AS h
       FROM (SELECT ${kept.join(', ')} FROM ${p.outputTable}) t GROUP BY 1`,
    );
    const statuses = await wh.query<{ d: string; status: string; rows_written: number }>(
      `SELECT CAST(partition_date AS VARCHAR) AS d, status, rows_written FROM nba_processing.partition_status WHERE processor_name = $name`,
      { name: p.processorName },
    );
    const dates = new Set([...rows.map((r) => r.d), ...statuses.map((s) => s.d)]);
    for (const d of dates) {
      const r = rows.find((x) => x.d === d);
      const s = statuses.find((x) => x.d === d);
      out.set(`${p.key} ${d}`, JSON.stringify({ rows: r?.n ?? 0, hash: r?.h ?? null, status: s?.status ?? null, written: s?.rows_written ?? null }));
    }
  }
  return out;
}

/** Every partition of `crashed` is either old (never built: no rows, no status) or new (as in the reference). */
function assertWhole(crashed: Map<string, string>, reference: Map<string, string>): number {
  let built = 0;
  for (const [key, value] of crashed) {
    assert.equal(value, reference.get(key), `${key} is exactly as an uninterrupted run builds it`);
    built += 1;
  }
  return built;
}

async function runRow(path: string, runId: string): Promise<{ status: string; pid: number; hostname: string; summary: string; partitions: number }> {
  return withDb(path, async (wh) => {
    const [row] = await wh.query<{ status: string; pid: number; hostname: string; summary: string; partitions: number }>(
      `SELECT status, pid, hostname, CAST(summary AS VARCHAR) AS summary,
              (SELECT count(*) FROM nba_processing.partition_status s WHERE s.run_id = h.run_id) AS partitions
       FROM nba_processing.run_history h WHERE run_id = $run_id`,
      { run_id: runId },
    );
    assert.ok(row, `run ${runId} is in run_history`);
    return row;
  });
}

async function latestRunId(path: string): Promise<string> {
  return withDb(path, async (wh) => {
    const [row] = await wh.query<{ run_id: string }>(`SELECT run_id FROM nba_processing.run_history WHERE command = 'backfill' ORDER BY started_at DESC LIMIT 1`);
    return row?.run_id ?? '';
  });
}

let reference: RealSeasonCopy;
let crashed: RealSeasonCopy;
let referenceParts: Map<string, string>;

before(async () => {
  [reference, crashed] = await Promise.all([realSeasonCopy(), realSeasonCopy()]);
  await Promise.all([reference.release(), crashed.release()]); // the children open the files
  const r = await backfill(reference.path);
  assert.equal(r.code, 0, r.stderr);
  referenceParts = await withDb(reference.path, partitions);
});
after(async () => {
  await reference?.cleanup();
  await crashed?.cleanup();
});

describe('interrupting a real backfill', { timeout: 300_000 }, () => {
  it('SIGTERM: the batch in progress finishes, the run is recorded interrupted, says what it did and exits 143', async () => {
    const r = await backfill(crashed.path, 12, { signals: ['SIGTERM'] });
    assert.ok(r.killed);
    assert.equal(r.signal, null, 'the process handled the signal and ended by itself');
    assert.equal(r.code, 143);
    assert.match(r.stderr, /SIGTERM received: finishing the batch in progress, then stopping/);
    const said = /interrupted by SIGTERM after (\d+) of (\d+) planned partitions; rerun the same command to resume/.exec(r.stderr);
    assert.ok(said, r.stderr);
    const [done, planned] = [Number(said[1]), Number(said[2])];
    assert.ok(done >= 12 && done < planned, `stopped mid-run: ${done} of ${planned}`);
    // What was done, also as the usual summary table on stdout.
    const rows = JSON.parse(r.stdout) as { complete: number; bootstrap: number; failed: number; skipped: number }[];
    assert.equal(rows.reduce((n, x) => n + x.complete + x.bootstrap + x.failed + x.skipped, 0), done);
    const run = await runRow(crashed.path, await latestRunId(crashed.path));
    assert.deepEqual([run.status, run.pid, run.hostname, run.partitions], ['interrupted', r.pid, hostname(), done]);
    assert.equal((JSON.parse(run.summary) as { interruptedBy?: string }).interruptedBy, 'SIGTERM');
    const built = assertWhole(await withDb(crashed.path, partitions), referenceParts);
    assert.equal(built, done, 'exactly the partitions it reported are built, each whole');
  });

  it('SIGINT twice: the open batch is abandoned and rolls back; the run is still recorded interrupted', async () => {
    const r = await backfill(crashed.path, 6, { signals: ['SIGINT', 'SIGINT'], gapMs: 30 });
    assert.ok(r.killed);
    // Ended by the re-raised SIGINT, or with 130 when the batch beat the second signal.
    assert.ok(r.signal === 'SIGINT' || r.code === 130, `signal ${r.signal}, code ${r.code}`);
    assert.match(r.stderr, /SIGINT received/);
    const run = await runRow(crashed.path, await latestRunId(crashed.path));
    assert.equal(run.status, 'interrupted');
    assertWhole(await withDb(crashed.path, partitions), referenceParts);
  });

  it('SIGKILL: the run stays running until the next command finds its process gone and marks it interrupted', async () => {
    const r = await backfill(crashed.path, 4, { signals: ['SIGKILL'] });
    assert.equal(r.signal, 'SIGKILL');
    const killedRun = await latestRunId(crashed.path);
    const before = await runRow(crashed.path, killedRun);
    assert.deepEqual([before.status, before.pid], ['running', r.pid], 'nothing could record the kill');
    assertWhole(await withDb(crashed.path, partitions), referenceParts);
    // `runs` already tells the truth: the process is gone.
    const runs = await runCli(['--db', crashed.path, '--format', 'json', 'runs']);
    const listed = (JSON.parse(runs.out) as { run_id: string; status: string; process: string }[]).find((x) => x.run_id === killedRun);
    assert.deepEqual(listed && [listed.status, listed.process], ['interrupted', `${r.pid}@${hostname()}`]);

    const resumed = await backfill(crashed.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`run ${killedRun} \\(backfill, pid ${r.pid}\\) ended without finishing: marked interrupted`));
    const after = await runRow(crashed.path, killedRun);
    assert.equal(after.status, 'interrupted');
    assert.equal((JSON.parse(after.summary) as { pid?: number }).pid, r.pid);
    await withDb(crashed.path, async (wh) => {
      const [{ n } = { n: -1 }] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_processing.run_history WHERE status = 'running'`);
      assert.equal(n, 0, 'no run is left looking alive');
    });
  });

  it('the resumed run leaves exactly the tables of an uninterrupted run', async () => {
    const [a, b] = await Promise.all([withDb(reference.path, partitions), withDb(crashed.path, partitions)]);
    assert.deepEqual(b, a);
    const tables = async (wh: Warehouse) => ({
      ...Object.fromEntries(await Promise.all(PROCESSORS.map(async (p) => [p.key, await tableHash(wh, p.outputTable)] as const))),
      failures: await wh.query(`SELECT processor_name, analysis_date, entity_id, failure_category, failure_reason, is_expected FROM nba_processing.precompute_failures ORDER BY ALL`),
    });
    assert.deepEqual(await withDb(crashed.path, tables), await withDb(reference.path, tables));
  });
});
