// The user's path on BigQuery, end to end through the command line: `courtside --warehouse
// bigquery://courtside-test` run as child processes against the fake BigQuery REST server (started
// on an empty DuckDB file, endpoint and dataset prefix from COURTSIDE_BQ_*), and the same commands
// with `--db` on a DuckDB file beside it: ingest of the 2021-22 season (raw files → load jobs into
// nba_staging → one transaction script), backfill of the season's first weeks (Phase 4 + pred), then
// coverage, failures, runs, registry pending and sql. Both must build the same tables and print the
// same figures. The fake executes BigQuery's jobs on DuckDB: this proves the client wiring, the job
// shapes and counts, and that the one SQL text gives one result — whether the text is BigQuery's is
// the ZetaSQL suite's question (`npm run test:bigquery`).
//
// The source is the bundled 2021-22 season with one prop-line name misspelt ('Trae Young' → 'Trey
// Young'), so that `registry pending` has a name to report on both engines.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { BUNDLED_DATA_DIR } from '../../../ingest/sources.js';
import { tableHash } from '../../../testing/table-hash.js';
import { DuckDBWarehouse } from '../../duckdb/duckdb-warehouse.js';
import { FakeBigQuery, type FakeJob } from './fake-bigquery-server.js';

const CLI = fileURLToPath(new URL('../../../engine/testing/cli-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const PREFIX = 'ci_';
const FROM = '2021-10-19';
const TO = '2021-11-10';
const JOB_LOG = join(tmpdir(), 'courtside-cli-through-fake-jobs.tsv');

interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Jobs the fake received while the command ran (BigQuery only). */
  readonly jobs: readonly FakeJob[];
}

/** The tables compared, with the columns that differ by engine or run besides VOLATILE_COLUMNS. */
const COMPARED: Readonly<Record<string, readonly string[]>> = {
  'nba_processing.partition_status': ['started_at', 'finished_at', 'duration_ms'],
  'nba_processing.precompute_failures': ['first_seen_at', 'last_seen_at'],
  'nba_processing.registry_failures': [],
  // Fingerprints are {{row_hash(…)}} values: equal rows hash equal within an engine, the values differ by engine.
  'nba_predictions.points_model_fits': ['training_fingerprint', 'fitted_at'],
  'nba_predictions.points_model_training_dates': ['inputs_fingerprint'],
};
const OUTPUT_SCHEMAS = ['nba_raw', 'nba_reference', 'nba_analytics', 'nba_precompute', 'nba_predictions'];

/** Content hash of every table of the output schemas and of the compared bookkeeping tables. */
async function contentOf(path: string): Promise<Record<string, { rows: number; hash: string }>> {
  const wh = await DuckDBWarehouse.open(path, { readOnly: true });
  try {
    const tables = await wh.query<{ t: string }>(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN (SELECT * FROM unnest($schemas)) ORDER BY 1`,
      { schemas: OUTPUT_SCHEMAS },
    );
    const out: Record<string, { rows: number; hash: string }> = {};
    for (const t of [...new Set([...tables.map((r) => r.t), ...Object.keys(COMPARED)])].sort()) out[t] = await tableHash(wh, t, 'true', COMPARED[t] ?? []);
    return out;
  } finally {
    await wh.close();
  }
}

/** JSON rows of a report without the columns that name a run, a process or a time. */
function figures(out: string, drop: readonly string[] = []): unknown[] {
  return (JSON.parse(out) as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k))));
}

function kindOf(j: FakeJob): string {
  return j.configuration['load'] ? 'load' : (/^courtside_([a-z]+)_/.exec(j.id)?.[1] ?? 'other');
}

/** Jobs by what they are for (the client's job ids say it: courtside_<kind>_<uuid>) and load jobs. */
function kinds(jobs: readonly FakeJob[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const j of jobs) {
    const kind = kindOf(j);
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

describe('the CLI on BigQuery (the fake server) end to end, beside the same commands on DuckDB', () => {
  let dir: string;
  let source: string;
  let fake: FakeBigQuery;
  let fakeStopped = false;
  const bq: Record<string, CliRun> = {};
  const duck: Record<string, CliRun> = {};

  async function cli(target: 'bq' | 'duck', args: readonly string[]): Promise<CliRun> {
    const where = target === 'bq' ? ['--warehouse', 'bigquery://courtside-test'] : ['--db', join(dir, 'duck.duckdb')];
    const env: NodeJS.ProcessEnv = { ...process.env, COURTSIDE_BQ_API_ENDPOINT: fake.url, COURTSIDE_BQ_DATASET_PREFIX: PREFIX, HOME: dir };
    for (const k of ['COURTSIDE_WAREHOUSE', 'COURTSIDE_DB', 'COURTSIDE_BQ_LOCATION', 'COURTSIDE_BQ_PRICE_PER_TIB_USD', 'GOOGLE_APPLICATION_CREDENTIALS']) delete env[k];
    const firstJob = fake.jobs.length;
    const { code, out, err } = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, ['--import', TSX, CLI, ...where, ...args], { cwd: dir, env, maxBuffer: 64 * 1024 ** 2 }, (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: stdout, err: stderr }),
      );
    });
    return { code, out, err, jobs: target === 'bq' ? fake.jobs.slice(firstJob) : [] };
  }

  /** The same commands, one after the other, on one warehouse. */
  async function session(target: 'bq' | 'duck', into: Record<string, CliRun>): Promise<void> {
    const steps: Record<string, readonly string[]> = {
      ingest: ['--format', 'json', 'ingest', '--season', '2021-22', '--source', source],
      backfill: ['--format', 'json', 'backfill', '--from', FROM, '--to', TO],
      coverage: ['--format', 'json', 'coverage', '--from', FROM, '--to', TO],
      failures: ['--format', 'json', 'failures', '--from', FROM, '--to', TO],
      runs: ['--format', 'json', 'runs'],
      pending: ['--format', 'json', 'registry', 'pending'],
      sql: ['--format', 'json', 'sql', `SELECT p.game_date, count(*) AS players, sum(p.points) AS points FROM nba_analytics.player_game_summary p WHERE p.game_date BETWEEN '2021-10-19' AND '2021-10-21' GROUP BY 1 ORDER BY 1`],
      write: ['sql', 'DELETE FROM nba_raw.play_by_play WHERE true'],
    };
    for (const [name, args] of Object.entries(steps)) {
      const r = await cli(target, args);
      into[name] = r;
      // Every step but the refused write must succeed; stop at the first that does not.
      if (name !== 'write') assert.equal(r.code, 0, `${target} ${name} exited ${r.code}: ${r.err}`);
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courtside-cli-bq-'));
    source = join(dir, 'source');
    cpSync(join(BUNDLED_DATA_DIR, 'names'), join(source, 'names'), { recursive: true });
    for (const sub of ['pbp', 'odds', 'props']) mkdirSync(join(source, sub), { recursive: true });
    copyFileSync(join(BUNDLED_DATA_DIR, 'pbp', 'pbp_2021-22.parquet'), join(source, 'pbp', 'pbp_2021-22.parquet'));
    copyFileSync(join(BUNDLED_DATA_DIR, 'odds', 'odds_2021-22.csv'), join(source, 'odds', 'odds_2021-22.csv'));
    const scratch = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      // COPY takes no parameter for its target; the path is ours (mkdtemp), quoted for SQL.
      const prepared = await scratch.prepare(
        `COPY (SELECT * REPLACE (CASE WHEN tidyplayer = 'Trae Young' THEN 'Trey Young' ELSE tidyplayer END AS tidyplayer) FROM read_parquet($src))
         TO '${join(source, 'props', 'props_2021-22.parquet').replace(/'/g, "''")}' (FORMAT parquet)`,
      );
      prepared.bindVarchar(1, join(BUNDLED_DATA_DIR, 'props', 'props_2021-22.parquet'));
      await prepared.run();
    } finally {
      scratch.closeSync();
    }
    fake = await FakeBigQuery.start({ duckdbPath: join(dir, 'fake.duckdb'), datasetPrefix: PREFIX });
    // Two processes at a time (the machine's two cores): BigQuery's session and DuckDB's side by side.
    await Promise.all([session('bq', bq), session('duck', duck)]);
    await fake.stop();
    fakeStopped = true;
    // The job log, for a reader of the figures: command, kind, first line of the text.
    writeFileSync(JOB_LOG, Object.entries(bq).flatMap(([step, r]) => r.jobs.map((j) => `${step}\t${kindOf(j)}\t${j.query === undefined ? JSON.stringify(j.configuration['load']) : j.query.replace(/\s+/g, ' ').slice(0, 160)}`)).join('\n') + '\n');
  });
  after(async () => {
    if (fake && !fakeStopped) await fake.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ingest: the raw files go in by load jobs into nba_staging, every write is ONE transaction script', () => {
    const { jobs } = bq['ingest']!;
    const loads = jobs.filter((j) => j.configuration['load']);
    const destinations = loads.map((j) => {
      const t = (j.configuration['load'] as { destinationTable: { datasetId: string; tableId: string } }).destinationTable;
      return `${t.datasetId}.${t.tableId}`;
    });
    // Names, team names, play-by-play, odds, prop lines: one load job per staged file.
    assert.deepEqual(destinations.sort(), ['ci_nba_staging.stg_name_sources', 'ci_nba_staging.stg_odds_2021', 'ci_nba_staging.stg_pbp_2021', 'ci_nba_staging.stg_props_2021', 'ci_nba_staging.stg_team_names']);
    const writesOutputs = /\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE|MERGE\s+INTO|CREATE\s+OR\s+REPLACE\s+TABLE|TRUNCATE\s+TABLE)\s+ci_nba_(raw|reference|analytics)\./i;
    const writers = jobs.filter((j) => writesOutputs.test(j.query ?? ''));
    assert.equal(writers.length, 1, `jobs writing raw, reference or analytics tables: ${writers.map((j) => (j.query ?? '').slice(0, 80)).join(' | ')}`);
    const [unit] = writers;
    assert.match(unit!.query ?? '', /^BEGIN TRANSACTION;\n[\s\S]*\nCOMMIT TRANSACTION;$/);
    assert.match(unit!.id, /^courtside_script_/);
    for (const t of ['nba_raw.play_by_play', 'nba_raw.game_odds', 'nba_raw.player_prop_lines', 'nba_reference.nba_players_registry', 'nba_analytics.player_game_summary', 'nba_analytics.upcoming_player_game_context']) {
      assert.match(unit!.query ?? '', new RegExp(`INSERT INTO ci_${t.replace('.', '\\.')}\\b`), `the unit writes ${t}`);
    }
    assert.ok(jobs.every((j) => !j.errorResult), 'no job failed');
  });

  it('each command submits the jobs it should (figures in the diagnostics)', (t) => {
    const counts = Object.fromEntries(Object.entries(bq).map(([k, r]) => [k, r.jobs.length]));
    t.diagnostic(`jobs per command: ${JSON.stringify(counts)}; the log: ${JOB_LOG}`);
    for (const [k, r] of Object.entries(bq)) t.diagnostic(`${k}: ${JSON.stringify(kinds(r.jobs))}`);
    // Ingest queries: a staged file's row checks are one query (checkRows), not one per kind of check.
    assert.deepEqual(kinds(bq['ingest']!.jobs), { ddl: 4, session: 2, query: 29, load: 5, script: 1 });
    // (pred reads MLFS's partition statuses of its training window once more after MLFS has run: one query)
    assert.deepEqual(kinds(bq['backfill']!.jobs), { query: 30, script: 6, session: 2 });
    // Each batch ONE transaction script; pred (a JS prepare step fits its models) runs its batch in a
    // session transaction instead: BEGIN, the step's queries, the batch's script, COMMIT.
    const batches = bq['backfill']!.jobs.filter((j) => /^BEGIN TRANSACTION;\n[\s\S]*\nCOMMIT TRANSACTION;$/.test(j.query ?? ''));
    assert.deepEqual(batches.map((j) => (j.configuration['labels'] as Record<string, string>)['processor']).sort(), ['mlfs', 'pcf', 'pdc', 'psza', 'tdza']);
    // A write command on a warehouse this code migrated reads the marker and applies no DDL.
    assert.ok(bq['backfill']!.jobs.every((j) => !/^courtside_ddl_/.test(j.id)));
    assert.deepEqual(counts, { ingest: 41, backfill: 38, coverage: 8, failures: 2, runs: 1, pending: 2, sql: 1, write: 0 });
  });

  it('the tables built through BigQuery have the content DuckDB builds', async () => {
    const [onFake, onDuck] = await Promise.all([contentOf(join(dir, 'fake.duckdb')), contentOf(join(dir, 'duck.duckdb'))]);
    assert.deepEqual(Object.keys(onFake), Object.keys(onDuck));
    assert.deepEqual(onFake, onDuck);
    // Not vacuous: the season is there, Phase 3 and Phase 4 and pred wrote rows.
    assert.equal(onFake['nba_raw.play_by_play']?.rows, 659933);
    assert.equal(onFake['nba_analytics.player_game_summary']?.rows, 26037);
    for (const t of ['nba_precompute.player_daily_cache', 'nba_precompute.player_composite_factors', 'nba_predictions.ml_feature_store_v2', 'nba_predictions.player_points_predictions']) {
      assert.ok((onFake[t]?.rows ?? 0) > 1000, `${t}: ${onFake[t]?.rows} rows`);
    }
  });

  it('the reports print the same figures on both', () => {
    const ingestSummary = (r: CliRun) => ({ ...(JSON.parse(r.out) as Record<string, unknown>), runId: undefined, durationMs: undefined });
    assert.deepEqual(ingestSummary(bq['ingest']!), ingestSummary(duck['ingest']!));
    assert.deepEqual(figures(bq['backfill']!.out, ['seconds']), figures(duck['backfill']!.out, ['seconds']));
    assert.deepEqual(figures(bq['coverage']!.out), figures(duck['coverage']!.out));
    const failures = (r: CliRun) => {
      const { by_category, top_reasons } = JSON.parse(r.out) as { by_category: unknown[]; top_reasons: unknown[] };
      return { byCategory: figures(JSON.stringify(by_category), ['last_seen_at']), topReasons: top_reasons };
    };
    assert.deepEqual(failures(bq['failures']!), failures(duck['failures']!));
    const runColumns = ['run_id', 'started_at', 'finished_at', 'seconds', 'process'];
    assert.deepEqual(figures(bq['runs']!.out, runColumns), figures(duck['runs']!.out, runColumns));
    assert.deepEqual(figures(bq['pending']!.out), figures(duck['pending']!.out));
    assert.deepEqual(figures(bq['sql']!.out), figures(duck['sql']!.out));
    // Not vacuous: the planted name is pending with its suggestion, the reports have rows.
    const pending = figures(bq['pending']!.out) as Record<string, unknown>[];
    assert.deepEqual(pending.map((r) => [r['lookup'], r['raw_name']]), [['treyyoung', 'Trey Young']]);
    assert.match(String(pending[0]?.['suggestions']), /Trae Young \(1629027\)/);
    assert.equal(figures(bq['sql']!.out).length, 3);
    assert.equal(figures(bq['coverage']!.out).length, 6);
    assert.deepEqual((figures(bq['runs']!.out) as Record<string, unknown>[]).map((r) => [r['command'], r['status']]), [['backfill', 'success'], ['ingest', 'success']]);
  });

  it('the refused write changes nothing on either', () => {
    for (const r of [bq['write']!, duck['write']!]) {
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
    }
    assert.match(bq['write']!.err, /courtside sql is read-only: a DELETE statement is refused/);
    // The play-by-play's row count is part of the content compared above, on both engines.
  });
});
