// Where one command's time goes, statement by statement:
//   node --import tsx bench/profile.ts [--json] [--all] <db> <courtside args…>
// runs the command in this process (the CLI's own main()) with every DuckDB statement timed by a
// wrapper around the warehouse session, and each statement put in a category (opening and migrating,
// planning, dependency checks, the processors' compute, audits, failures, statuses, run history,
// commits, the checkpoint beside the last level, the closing checkpoint; the ingest's stages: checks,
// raw events, odds and names, registry, Phase 3). Processors of a level run concurrently, so
// categories may add up to more than the wall time; commits are each transaction's time beyond its
// own statements. --all lists every statement (its first 100 characters; PROFILE_SQL_CHARS=n for
// more); --json prints the categories as one JSON line (the bench reads it).
import { performance } from 'node:perf_hooks';
import type { Warehouse } from '../src/warehouse/warehouse.js';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const all = argv.includes('--all');
const [db, ...args] = argv.filter((a) => a !== '--json' && a !== '--all');
if (!db || args.length === 0) throw new Error('usage: profile.ts [--json] [--all] <db> <command> [flags…]');

const CATEGORIES = [
  'open, identify, migrate',
  'planning reads',
  'dependency checks',
  'run history',
  'compute: staging',
  'compute: delete + insert',
  'ingest: checks of the staged files',
  'ingest: raw events (play-by-play)',
  'ingest: odds, prop lines, names, teams',
  'ingest: registry',
  'ingest: Phase 3 box scores + schedule',
  'ingest: Phase 3 pre-game contexts',
  'audits',
  'failures: classify + merge',
  'statuses + checksums',
  'commits',
  'checkpoint beside the last level',
  'close (checkpoint)',
  'other',
] as const;
type Category = (typeof CATEGORIES)[number];

function categorize(sql: string): Category {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (/courtside_meta|duckdb_tables\(\)|^CREATE SCHEMA/.test(s)) return 'open, identify, migrate';
  if (/nba_processing\.(run_history|run_steps|notification_log)/.test(s)) return 'run history';
  if (/^CREATE OR REPLACE TEMP TABLE courtside_staged/.test(s)) return 'compute: staging';
  if (/^WITH d AS \(SELECT game_date AS partition_date/.test(s)) return 'dependency checks';
  if (/information_schema|^SELECT [^;]* FROM nba_reference\.game_dates|^SELECT processor_name, partition_date/.test(s)) return 'planning reads';
  if (/^SET VARIABLE courtside_assert/.test(s)) return 'audits';
  if (/^MERGE INTO nba_processing\.precompute_failures/.test(s)) return 'failures: classify + merge';
  if (/nba_processing\.partition_status/.test(s)) return 'statuses + checksums';
  if (/^(DELETE FROM|INSERT INTO) nba_(precompute|predictions)\./.test(s)) return 'compute: delete + insert';
  return ingestCategory(s) ?? 'other';
}

/** The ingest's statements (Phase 3 comments precede some of them, so the writes are searched, not anchored). */
function ingestCategory(s: string): Category | undefined {
  if (/^(SELECT|WITH)\b/.test(s) && /stage_row|read_parquet|DESCRIBE|\bstg_\w+/.test(s)) return 'ingest: checks of the staged files';
  if (/^(DELETE FROM|INSERT INTO) nba_raw\.play_by_play\b/.test(s)) return 'ingest: raw events (play-by-play)';
  if (/(INSERT INTO|DELETE FROM|UPDATE) nba_analytics\.upcoming_/.test(s)) return 'ingest: Phase 3 pre-game contexts';
  if (/(INSERT INTO|DELETE FROM) (nba_analytics\.|nba_reference\.schedule)|TEMP TABLE tmp_(player|team)_box/.test(s)) return 'ingest: Phase 3 box scores + schedule';
  if (/nba_reference\.(nba_players_registry|player_aliases)|^MERGE INTO nba_processing\.registry_failures/.test(s)) return 'ingest: registry';
  if (/^(INSERT INTO|DELETE FROM|UPDATE) nba_(raw|reference)\.|TEMP TABLE stg_/.test(s)) return 'ingest: odds, prop lines, names, teams';
  return undefined;
}

interface Timed {
  readonly category: Category;
  readonly sql: string;
  readonly ms: number;
  readonly tx: number | null;
}

const started = performance.now();
const { DuckDBWarehouse } = await import('../src/warehouse/duckdb/duckdb-warehouse.js');
const log: Timed[] = [];
const txOf = new WeakMap<object, number>();
let nextTx = 1;
const session = Object.getPrototypeOf(DuckDBWarehouse.prototype) as Record<string, (...a: unknown[]) => Promise<unknown>>;
for (const kind of ['query', 'exec'] as const) {
  const original = session[kind]!;
  session[kind] = async function (this: object, ...a: unknown[]) {
    const t = performance.now();
    try {
      return await original.apply(this, a);
    } finally {
      const sql = String(a[0]);
      log.push({ category: categorize(sql), sql, ms: performance.now() - t, tx: txOf.get(this) ?? null });
    }
  };
}
const transaction = session['transaction']!;
session['transaction'] = async function (this: object, ...a: unknown[]) {
  const work = a[0] as (tx: Warehouse) => Promise<unknown>;
  if (txOf.has(this)) return transaction.call(this, work); // nested: joins the outer one
  const id = nextTx++;
  const t = performance.now();
  try {
    return await transaction.call(this, (tx: Warehouse) => {
      txOf.set(tx, id);
      return work(tx);
    });
  } finally {
    const inside = log.filter((x) => x.tx === id).reduce((n, x) => n + x.ms, 0);
    log.push({ category: 'commits', sql: `(transaction ${id}: BEGIN, COMMIT, connection)`, ms: performance.now() - t - inside, tx: null });
  }
};
const open = DuckDBWarehouse.open.bind(DuckDBWarehouse);
(DuckDBWarehouse as unknown as { open: typeof DuckDBWarehouse.open }).open = async (...a: Parameters<typeof DuckDBWarehouse.open>) => {
  const t = performance.now();
  const wh = await open(...a);
  log.push({ category: 'open, identify, migrate', sql: '(DuckDBInstance.create + connect)', ms: performance.now() - t, tx: null });
  // The run's early checkpoint (its own connection, overlapping the last level): timed, not a statement of a unit.
  const early = wh.checkpointCommitted.bind(wh);
  wh.checkpointCommitted = async () => {
    const s = performance.now();
    await early();
    log.push({ category: 'checkpoint beside the last level', sql: '(CHECKPOINT of what the earlier levels committed)', ms: performance.now() - s, tx: null });
  };
  const close = wh.close.bind(wh);
  wh.close = async () => {
    const s = performance.now();
    await close();
    log.push({ category: 'close (checkpoint)', sql: '(close: checkpoint if the WAL has anything)', ms: performance.now() - s, tx: null });
  };
  return wh;
};
const { main } = await import('../src/cli/main.js');
const loaded = performance.now();
const write = process.stdout.write.bind(process.stdout);
// The command's own output is not what this script reports.
process.stdout.write = (() => true) as typeof process.stdout.write;
const code = await main(['--db', db, ...args]);
process.stdout.write = write;
const ended = performance.now();
if (code !== 0) throw new Error(`courtside ${args.join(' ')} exited with ${code}`);

const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(log.filter((x) => x.category === c).reduce((n, x) => n + x.ms, 0))])) as Record<Category, number>;
const result = { command: args.join(' '), loadMs: Math.round(loaded - started), commandMs: Math.round(ended - loaded), statements: log.length, byCategory };
if (json) {
  write(`${JSON.stringify(result)}\n`);
} else {
  write(`courtside ${result.command}: modules ${result.loadMs} ms (through tsx), command ${result.commandMs} ms, ${log.length} timed statements and transactions\n`);
  for (const c of CATEGORIES) if (byCategory[c] > 0) write(`${String(byCategory[c]).padStart(8)} ms  ${c}\n`);
  if (all) for (const t of log) write(`${t.ms.toFixed(1).padStart(9)} ms  ${t.category.padEnd(28)} ${t.sql.replace(/\s+/g, ' ').slice(0, Number(process.env.PROFILE_SQL_CHARS ?? 100))}\n`);
}
