// Dependency checks, once per run for the whole range: one set-based query for every distinct upstream
// check (table × date rule), whose per-date results every processor of the run reads. The same
// numbers give the Phase 3 part of each partition's upstream fingerprint; the same query computes the
// rest of it, the processors' read windows (ProcessorDefinition.reads: everything they read before D).
import type { IsoDate } from '../core/dates.js';
import { addDays, seasonWindow, seasonYearOf } from '../core/dates.js';
import { CourtsideError, QueryTimeoutError, errorMessage } from '../core/errors.js';
import type { Dependency, ProcessorDefinition, ProcessorKey } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { MONDAY_EPOCH, resolveReads, type ResolvedRead, type ResolvedWindow } from './read-windows.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { partitionKey, type DateLevelCategory, type DependencyVerdict, type RunMode } from './types.js';

interface TableCheck {
  readonly id: string;
  readonly table: string;
  readonly dateColumn: string;
  readonly check: 'date_match' | 'lookback';
  readonly lookbackDays: number;
  readonly columns: readonly string[];
}

export interface UpstreamStats {
  readonly rows: number;
  readonly nonNull: readonly number[];
  readonly maxProcessedAt: string | null;
  readonly checksum: string;
}

type CheckOutcome = { readonly ok: true; readonly byDate: ReadonlyMap<IsoDate, UpstreamStats> } | { readonly ok: false; readonly category: DateLevelCategory; readonly message: string };

export interface CheckOptions {
  readonly mode: RunMode;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly now?: Date;
  /** The run's threshold overrides (a read window's length may be a threshold). */
  readonly thresholds?: RunThresholds;
  /** Every processor definition (a read of an unselected upstream's output needs its name); default: those checked. */
  readonly all?: readonly ProcessorDefinition[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Names come from processor declarations, not users, but they are pasted into SQL: refuse anything odd. */
function ident(name: string): string {
  if (!IDENT.test(name)) throw new CourtsideError('CONFIG', `not a plain SQL identifier: '${name}'`, 2);
  return name;
}

function checkOf(dep: Dependency): Omit<TableCheck, 'columns'> | null {
  if (!('table' in dep.source)) return null;
  const lookbackDays = dep.check === 'lookback' ? (dep.lookbackDays ?? 30) : 0;
  const id = `${dep.source.table}|${dep.source.dateColumn}|${dep.check}|${lookbackDays}`;
  return { id, table: ident(dep.source.table), dateColumn: ident(dep.source.dateColumn), check: dep.check, lookbackDays };
}

/** Distinct checks over all processors of the run, critical columns merged, so each runs once. */
export function collectChecks(processors: readonly ProcessorDefinition[]): TableCheck[] {
  const checks = new Map<string, TableCheck>();
  for (const p of processors) {
    for (const dep of p.dependencies) {
      const c = checkOf(dep);
      if (!c) continue;
      const prev = checks.get(c.id);
      const columns = [...new Set([...(prev?.columns ?? []), ...dep.criticalColumns.map(ident)])].sort();
      checks.set(c.id, { ...c, columns });
    }
  }
  return [...checks.values()];
}

/** An upstream table read once by the query: for the checks (from their longest lookback) and the reads' windows. */
interface TableScan {
  readonly table: string;
  readonly dateColumn: string;
  readonly columns: readonly string[];
  /** Days before the first partition date the scan starts (the checks' lookbacks, the days-windows). */
  readonly daysBack: number;
  /** Seasons before the first partition date's season the scan reaches (season windows); null: none. */
  readonly seasonsBack: number | null;
}

/** Another processor's partition statuses read once by the query, for the days-windows over its output. */
interface OutputScan {
  readonly processor: ProcessorKey;
  readonly processorName: string;
  readonly daysBack: number;
}

/** A distinct (source, window) of the processors' reads, with the scan that feeds it. */
export interface WindowCheck {
  readonly id: string;
  readonly source: ResolvedRead['source'];
  readonly window: ResolvedWindow;
}

/** Days before D a window may reach: a Monday anchor adds up to 6. */
const daysBackOf = (w: ResolvedWindow): number => ('days' in w ? w.days + (w.anchor === 'monday' ? 6 : 0) : 0);

/** Distinct reads over all processors of the run (the windows resolved with each processor's thresholds), each computed once. */
export function collectWindows(processors: readonly ProcessorDefinition[], thresholds: RunThresholds = {}): WindowCheck[] {
  const windows = new Map<string, WindowCheck>();
  for (const p of processors) for (const r of resolveReads(p, thresholds[p.key])) windows.set(r.id, { id: r.id, source: r.source, window: r.window });
  return [...windows.values()];
}

export type RunThresholds = Readonly<Partial<Record<ProcessorKey, Readonly<Record<string, number>>>>>;

/** The distinct upstream tables of the checks and windows (table, date column), in order of first use: each is scanned once. */
function scansOf(checks: readonly TableCheck[], windows: readonly WindowCheck[] = []): TableScan[] {
  const scans = new Map<string, { table: string; dateColumn: string; columns: string[]; daysBack: number; seasonsBack: number | null }>();
  const scan = (table: string, dateColumn: string) => {
    const key = `${table}|${dateColumn}`;
    const found = scans.get(key) ?? { table, dateColumn, columns: [], daysBack: 0, seasonsBack: null };
    scans.set(key, found);
    return found;
  };
  for (const c of checks) {
    const s = scan(c.table, c.dateColumn);
    s.columns = [...new Set([...s.columns, ...c.columns])].sort();
    s.daysBack = Math.max(s.daysBack, c.lookbackDays);
  }
  for (const w of windows) {
    if (!('table' in w.source)) continue;
    const s = scan(ident(w.source.table), ident(w.source.dateColumn));
    s.daysBack = Math.max(s.daysBack, daysBackOf(w.window));
    if ('seasons' in w.window) s.seasonsBack = Math.max(s.seasonsBack ?? 0, w.window.seasons - 1);
  }
  return [...scans.values()];
}

function outputScansOf(windows: readonly WindowCheck[], names: ReadonlyMap<ProcessorKey, string>): OutputScan[] {
  const scans = new Map<ProcessorKey, { processor: ProcessorKey; processorName: string; daysBack: number }>();
  for (const w of windows) {
    if (!('processor' in w.source)) continue;
    const processor = w.source.processor;
    const processorName = names.get(processor);
    if (processorName === undefined) throw new CourtsideError('CONFIG', `a read of unknown processor '${processor}'`, 2);
    const s = scans.get(processor) ?? { processor, processorName, daysBack: 0 };
    s.daysBack = Math.max(s.daysBack, daysBackOf(w.window));
    scans.set(processor, s);
  }
  return [...scans.values()];
}

const scanIndex = (scans: readonly TableScan[], table: string, dateColumn: string) => scans.findIndex((s) => s.table === table && s.dateColumn === dateColumn);

/** The join of a partition date (d) to the days (w) its window covers. */
function windowJoin(w: ResolvedWindow): string {
  if ('seasons' in w) return `w.season_year BETWEEN d.season_year - ${w.seasons - 1} AND d.season_year AND w.day < d.partition_date`;
  if (w.anchor === 'date') return `w.day >= d.partition_date - ${w.days} AND w.day < d.partition_date`;
  // [R - days, R - 1] for R = D - monday_offset, in days before D; the plain range first (a range join)
  return `w.day >= d.partition_date - ${w.days + 6} AND w.day < d.partition_date
   AND {{day_diff(d.partition_date, w.day)}} BETWEEN d.monday_offset + 1 AND d.monday_offset + ${w.days}`;
}

/**
 * Every check of the run in ONE query (one job on BigQuery): per check (check_index) and partition
 * date, the rows the dependency sees (dated D, or in the lookback days before D), their non-NULL
 * counts of the critical columns (nn_i, NULL past the check's own columns), the latest processed_at,
 * and an order-independent content checksum without processed_at and run_id (on DuckDB the same
 * values as hash(*COLUMNS(...)) gave). Each upstream table is read and hashed once, per day (u_j),
 * however many checks look at it; each check then sums the days it sees.
 * Then, as check_index checks.length + k, each read window k (fingerprint only): the rows and the XOR of
 * the day checksums of the days it covers (XOR is its own inverse: the days are joined to the dates
 * that read them, no per-date query); a window over another processor's output reads that
 * processor's partition statuses (o_i: a hash of each partition's status and output checksum).
 * A window's max_processed_at is always NULL (nothing reads it), and every row's is when `freshness`
 * is false: only a daily run judges freshness, and without it the scans skip processed_at and the
 * result carries no timestamps to convert (the fingerprints never include it).
 * Params: checksParams.
 */
export function checksSql(checks: readonly TableCheck[], windows: readonly WindowCheck[] = [], names: ReadonlyMap<ProcessorKey, string> = new Map(), o: { readonly freshness?: boolean } = {}): string {
  const freshness = o.freshness ?? true;
  const width = Math.max(0, ...checks.map((c) => c.columns.length));
  const scans = scansOf(checks, windows);
  const outputs = outputScansOf(windows, names);
  const upstream = scans.map((s, j) => {
    const season = s.seasonsBack !== null;
    const range = `t.${s.dateColumn} BETWEEN CAST($lo_${j} AS DATE) AND CAST($to AS DATE)`;
    return `u_${j} AS (
  SELECT CAST(t.${s.dateColumn} AS DATE) AS day, ${season ? 't.season_year AS season_year, ' : ''}count(*) AS n, ${[...s.columns.map((col) => `count(t.${col}) AS nn_${col}`), ''].join(', ')}
         ${freshness ? 'max(t.processed_at) AS max_processed_at, ' : ''}bit_xor({{row_hash(t, processed_at, run_id)}}) AS checksum
  FROM ${s.table} t
  WHERE ${range}
  GROUP BY ${season ? '1, 2' : '1'}
)`;
  });
  const outputCtes = outputs.map(
    (o, i) => `o_${i} AS (
  SELECT s.partition_date AS day, count(*) AS n, bit_xor({{row_hash(s, partition_date)}}) AS checksum
  FROM (SELECT partition_date, status, output_checksum FROM nba_processing.partition_status
        WHERE processor_name = $opn_${i} AND partition_date BETWEEN CAST($olo_${i} AS DATE) AND CAST($to AS DATE)) s
  GROUP BY 1
)`,
  );
  const perCheck = checks.map((c, k) => {
    const u = `u_${scanIndex(scans, c.table, c.dateColumn)}`;
    const join = c.check === 'date_match' ? `${u}.day = d.partition_date` : `${u}.day >= d.partition_date - ${c.lookbackDays} AND ${u}.day < d.partition_date`;
    const nn = Array.from({ length: width }, (_x, i) => (i < c.columns.length ? `CAST(coalesce(sum(${u}.nn_${c.columns[i]}), 0) AS INT64) AS nn_${i}` : `CAST(NULL AS INT64) AS nn_${i}`));
    return `SELECT ${k} AS check_index, d.partition_date, CAST(coalesce(sum(${u}.n), 0) AS INT64) AS n, ${[...nn, ''].join(', ')}
       ${freshness ? `max(${u}.max_processed_at)` : 'CAST(NULL AS TIMESTAMP)'} AS max_processed_at, CAST(coalesce(bit_xor(${u}.checksum), 0) AS STRING) AS checksum
FROM d LEFT JOIN ${u} ON ${join}
GROUP BY d.partition_date`;
  });
  const perWindow = windows.map((w, k) => {
    const from = 'table' in w.source ? `u_${scanIndex(scans, w.source.table, w.source.dateColumn)}` : `o_${outputs.findIndex((o) => 'processor' in w.source && o.processor === w.source.processor)}`;
    const nn = Array.from({ length: width }, (_x, i) => `CAST(NULL AS INT64) AS nn_${i}`);
    return `SELECT ${checks.length + k} AS check_index, d.partition_date, CAST(coalesce(sum(w.n), 0) AS INT64) AS n, ${[...nn, ''].join(', ')}
       CAST(NULL AS TIMESTAMP) AS max_processed_at, CAST(coalesce(bit_xor(w.checksum), 0) AS STRING) AS checksum
FROM d LEFT JOIN ${from} w ON ${windowJoin(w.window)}
GROUP BY d.partition_date`;
  });
  return `WITH d AS (SELECT game_date AS partition_date, season_year, mod({{day_diff(game_date, DATE '${MONDAY_EPOCH}')}}, 7) AS monday_offset
           FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)),
${[...upstream, ...outputCtes].join(',\n')}
${[...perCheck, ...perWindow].join('\nUNION ALL\n')}`;
}

/**
 * The first date a table scan reads: its longest lookback or days-window before `from`, and for a
 * season window the start of the season `seasonsBack` before from's — one season more than the
 * calendar says, so that a season the calendar misplaces (2019-20's bubble) is still read whole; the
 * window's join picks the seasons by season_year, this only bounds the scan.
 */
function firstDay(s: TableScan, from: IsoDate): IsoDate {
  const byDays = addDays(from, -s.daysBack);
  if (s.seasonsBack === null) return byDays;
  const bySeason = seasonWindow(seasonYearOf(from) - s.seasonsBack - 1).from;
  return bySeason < byDays ? bySeason : byDays;
}

/**
 * $from, $to (the partition dates), $lo_<j>, the first date upstream table j is read from (its longest
 * lookback or days-window), and per output scan i $olo_<i> and $opn_<i> (the processor's name).
 */
export function checksParams(checks: readonly TableCheck[], from: IsoDate, to: IsoDate, windows: readonly WindowCheck[] = [], names: ReadonlyMap<ProcessorKey, string> = new Map()): Record<string, string> {
  return Object.fromEntries([
    ['from', from],
    ['to', to],
    ...scansOf(checks, windows).map((s, j) => [`lo_${j}`, firstDay(s, from)]),
    ...outputScansOf(windows, names).flatMap((o, i) => [[`olo_${i}`, addDays(from, -o.daysBack)], [`opn_${i}`, o.processorName]]),
  ]);
}

interface Outcomes {
  readonly checks: Map<string, CheckOutcome>;
  readonly windows: Map<string, CheckOutcome>;
}

async function runChecks(wh: Warehouse, checks: readonly TableCheck[], windows: readonly WindowCheck[], names: ReadonlyMap<ProcessorKey, string>, from: IsoDate, to: IsoDate, o: CheckOptions): Promise<Outcomes> {
  const outcomes: Outcomes = { checks: new Map(), windows: new Map() };
  if (checks.length === 0 && windows.length === 0) return outcomes;
  try {
    const rows = await withRetry(() => wh.query(checksSql(checks, windows, names, { freshness: o.mode === 'daily' }), checksParams(checks, from, to, windows, names), { timeoutMs: o.timeoutMs }), o.retry);
    const byIndex = [...checks, ...windows].map(() => new Map<IsoDate, UpstreamStats>());
    for (const r of rows) {
      const c = checks[Number(r['check_index'])];
      byIndex[Number(r['check_index'])]?.set(String(r['partition_date']), {
        rows: Number(r['n']),
        nonNull: (c?.columns ?? []).map((_col, i) => Number(r[`nn_${i}`])),
        maxProcessedAt: r['max_processed_at'] === null ? null : String(r['max_processed_at']),
        checksum: String(r['checksum']),
      });
    }
    checks.forEach((c, k) => outcomes.checks.set(c.id, { ok: true, byDate: byIndex[k] ?? new Map() }));
    windows.forEach((w, k) => outcomes.windows.set(w.id, { ok: true, byDate: byIndex[checks.length + k] ?? new Map() }));
  } catch (err) {
    const category: DateLevelCategory = err instanceof QueryTimeoutError ? 'QUERY_TIMEOUT' : 'PROCESSING_ERROR';
    for (const c of checks) outcomes.checks.set(c.id, { ok: false, category, message: `dependency check on ${c.table} failed: ${errorMessage(err)}` });
    for (const w of windows) outcomes.windows.set(w.id, { ok: false, category, message: `dependency check on ${w.id} failed: ${errorMessage(err)}` });
  }
  return outcomes;
}

const namesOf = (all: readonly ProcessorDefinition[]): Map<ProcessorKey, string> => new Map(all.map((p) => [p.key, p.processorName]));

/** A read window's fingerprint part for a date: its id, rows and checksum. */
function windowPart(r: ResolvedRead, outcome: CheckOutcome | undefined, date: IsoDate): string {
  const s = outcome?.ok ? outcome.byDate.get(date) : undefined;
  return `reads ${r.id}:${s?.rows ?? 0}:${s?.checksum ?? '0'}`;
}

function judge(p: ProcessorDefinition, dep: Dependency, c: TableCheck, s: UpstreamStats | undefined, o: CheckOptions): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const rows = s?.rows ?? 0;
  const where = dep.check === 'lookback' ? `${c.table} (${c.lookbackDays} days before)` : c.table;
  const complaint = (msg: string) => (dep.critical ? problems : warnings).push(msg);
  if (rows < dep.minRows) complaint(`${where}: ${rows} rows < ${dep.minRows}`);
  for (const col of dep.criticalColumns) {
    const i = c.columns.indexOf(col);
    const ratio = rows === 0 ? 0 : (s?.nonNull[i] ?? 0) / rows;
    if (rows > 0 && ratio < dep.minNonNullRatio) complaint(`${where}.${col}: non-NULL ratio ${ratio.toFixed(3)} < ${dep.minNonNullRatio}`);
  }
  // Freshness only matters for the daily run: a backfill deliberately reads old data.
  if (o.mode === 'daily' && dep.maxAgeHours !== undefined && s?.maxProcessedAt) {
    const ageHours = ((o.now ?? new Date()).getTime() - Date.parse(s.maxProcessedAt)) / 3_600_000;
    if (ageHours > dep.maxAgeHours) warnings.push(`${where}: stale, processed ${ageHours.toFixed(1)} h ago > ${dep.maxAgeHours} h (${p.key})`);
  }
  return { problems, warnings };
}

/** Runs every check once and returns the verdict per partitionKey(processor, date). */
export async function checkDependencies(wh: Warehouse, processors: readonly ProcessorDefinition[], dates: readonly IsoDate[], o: CheckOptions): Promise<Map<string, DependencyVerdict>> {
  const verdicts = new Map<string, DependencyVerdict>();
  if (dates.length === 0) return verdicts;
  const sorted = [...dates].sort();
  const from = sorted[0] as IsoDate;
  const to = sorted[sorted.length - 1] as IsoDate;
  const checks = collectChecks(processors);
  const windows = collectWindows(processors, o.thresholds);
  const outcomes = await runChecks(wh, checks, windows, namesOf(o.all ?? processors), from, to, o);
  for (const p of processors) {
    const reads = resolveReads(p, o.thresholds?.[p.key]);
    // Each dependency's check and outcome, found once per processor rather than once per date (a
    // no-op season backfill judges 825 dates × 5 processors: the lookups took ~15 ms of it).
    const judged = p.dependencies.flatMap((dep) => {
      const id = checkOf(dep)?.id;
      const check = checks.find((x) => x.id === id);
      const outcome = id === undefined ? undefined : outcomes.checks.get(id);
      return check && outcome ? [{ dep, check, outcome }] : [];
    });
    for (const date of sorted) {
      const problems: string[] = [];
      const warnings: string[] = [];
      const parts: string[] = [];
      let category: DateLevelCategory | null = null;
      for (const { dep, check, outcome } of judged) {
        if (!outcome.ok) {
          problems.push(outcome.message);
          category ??= outcome.category;
          continue;
        }
        const s = outcome.byDate.get(date);
        const verdict = judge(p, dep, check, s, o);
        problems.push(...verdict.problems);
        warnings.push(...verdict.warnings);
        parts.push(`${check.id}:${s?.rows ?? 0}:${s?.checksum ?? '0'}`);
        if (verdict.problems.length > 0) category ??= 'MISSING_DEPENDENCIES';
      }
      // the read windows only add to the fingerprint (a failed query already failed the checks above)
      const outputParts: string[] = [];
      for (const r of reads) ('table' in r.source ? parts : outputParts).push(windowPart(r, outcomes.windows.get(r.id), date));
      verdicts.set(partitionKey(p.key, date), { ok: problems.length === 0, category, problems, staleWarnings: warnings, fingerprintParts: parts.sort(), outputWindowParts: outputParts.sort() });
    }
  }
  return verdicts;
}

/**
 * The windows of `p` over other processors' partitions, read again (one query) for its dates in
 * [from, to]: a run that rebuilt partitions of such an upstream before `p` runs changed them since the
 * run's checks, and the fingerprint `p` stores must be of what it read. Per date, as outputWindowParts.
 */
export async function readOutputWindows(wh: Warehouse, p: ProcessorDefinition, from: IsoDate, to: IsoDate, o: CheckOptions): Promise<Map<IsoDate, string[]>> {
  const reads = resolveReads(p, o.thresholds?.[p.key]).filter((r) => 'processor' in r.source);
  const out = new Map<IsoDate, string[]>();
  if (reads.length === 0) return out;
  const windows = reads.map((r) => ({ id: r.id, source: r.source, window: r.window }));
  const names = namesOf(o.all ?? [p]);
  const rows = await withRetry(() => wh.query(checksSql([], windows, names), checksParams([], from, to, windows, names), { timeoutMs: o.timeoutMs }), o.retry);
  const byIndex = windows.map(() => new Map<IsoDate, UpstreamStats>());
  for (const r of rows) byIndex[Number(r['check_index'])]?.set(String(r['partition_date']), { rows: Number(r['n']), nonNull: [], maxProcessedAt: null, checksum: String(r['checksum']) });
  const dates = new Set(rows.map((r) => String(r['partition_date'])));
  for (const date of dates) out.set(date, reads.map((r, k) => windowPart(r, { ok: true, byDate: byIndex[k] ?? new Map() }, date)).sort());
  return out;
}
