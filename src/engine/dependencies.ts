// Dependency checks, once per run for the whole range: one set-based query for every distinct upstream
// check (table × date rule), whose per-date results every processor of the run reads. The same
// numbers give the Phase 3 part of each partition's upstream fingerprint.
import type { IsoDate } from '../core/dates.js';
import { addDays } from '../core/dates.js';
import { CourtsideError, QueryTimeoutError, errorMessage } from '../core/errors.js';
import type { Dependency, ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
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

/** The checks' distinct upstream tables (table, date column), in order of first use: each is scanned once. */
function scansOf(checks: readonly TableCheck[]): { readonly table: string; readonly dateColumn: string; readonly columns: readonly string[]; readonly lookbackDays: number }[] {
  const scans = new Map<string, { table: string; dateColumn: string; columns: string[]; lookbackDays: number }>();
  for (const c of checks) {
    const key = `${c.table}|${c.dateColumn}`;
    const scan = scans.get(key) ?? { table: c.table, dateColumn: c.dateColumn, columns: [], lookbackDays: 0 };
    scan.columns = [...new Set([...scan.columns, ...c.columns])].sort();
    scan.lookbackDays = Math.max(scan.lookbackDays, c.lookbackDays);
    scans.set(key, scan);
  }
  return [...scans.values()];
}

const scanIndex = (scans: ReturnType<typeof scansOf>, c: TableCheck) => scans.findIndex((s) => s.table === c.table && s.dateColumn === c.dateColumn);

/**
 * Every check of the run in ONE query (one job on BigQuery): per check (check_index) and partition
 * date, the rows the dependency sees (dated D, or in the lookback days before D), their non-NULL
 * counts of the critical columns (nn_i, NULL past the check's own columns), the latest processed_at,
 * and an order-independent content checksum without processed_at and run_id (on DuckDB the same
 * values as hash(*COLUMNS(...)) gave). Each upstream table is read and hashed once, per day (u_j),
 * however many checks look at it; each check then sums the days it sees. Params: checksParams.
 */
export function checksSql(checks: readonly TableCheck[]): string {
  const width = Math.max(0, ...checks.map((c) => c.columns.length));
  const scans = scansOf(checks);
  const upstream = scans.map(
    (s, j) => `u_${j} AS (
  SELECT CAST(t.${s.dateColumn} AS DATE) AS day, count(*) AS n, ${[...s.columns.map((col) => `count(t.${col}) AS nn_${col}`), ''].join(', ')}
         max(t.processed_at) AS max_processed_at, bit_xor({{row_hash(t, processed_at, run_id)}}) AS checksum
  FROM ${s.table} t
  WHERE t.${s.dateColumn} BETWEEN CAST($lo_${j} AS DATE) AND CAST($to AS DATE)
  GROUP BY 1
)`,
  );
  const perCheck = checks.map((c, k) => {
    const u = `u_${scanIndex(scans, c)}`;
    const join = c.check === 'date_match' ? `${u}.day = d.partition_date` : `${u}.day >= d.partition_date - ${c.lookbackDays} AND ${u}.day < d.partition_date`;
    const nn = Array.from({ length: width }, (_x, i) => (i < c.columns.length ? `CAST(coalesce(sum(${u}.nn_${c.columns[i]}), 0) AS INT64) AS nn_${i}` : `CAST(NULL AS INT64) AS nn_${i}`));
    return `SELECT ${k} AS check_index, d.partition_date, CAST(coalesce(sum(${u}.n), 0) AS INT64) AS n, ${[...nn, ''].join(', ')}
       max(${u}.max_processed_at) AS max_processed_at, CAST(coalesce(bit_xor(${u}.checksum), 0) AS STRING) AS checksum
FROM d LEFT JOIN ${u} ON ${join}
GROUP BY d.partition_date`;
  });
  return `WITH d AS (SELECT game_date AS partition_date FROM nba_reference.game_dates WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)),
${upstream.join(',\n')}
${perCheck.join('\nUNION ALL\n')}`;
}

/** $from, $to (the partition dates) and $lo_<j>, the first date upstream table j is read from (its longest lookback). */
export function checksParams(checks: readonly TableCheck[], from: IsoDate, to: IsoDate): Record<string, string> {
  return Object.fromEntries([['from', from], ['to', to], ...scansOf(checks).map((s, j) => [`lo_${j}`, addDays(from, -s.lookbackDays)])]);
}

async function runChecks(wh: Warehouse, checks: readonly TableCheck[], from: IsoDate, to: IsoDate, o: CheckOptions): Promise<Map<string, CheckOutcome>> {
  const outcomes = new Map<string, CheckOutcome>();
  if (checks.length === 0) return outcomes;
  try {
    const rows = await withRetry(() => wh.query(checksSql(checks), checksParams(checks, from, to), { timeoutMs: o.timeoutMs }), o.retry);
    const byCheck = checks.map(() => new Map<IsoDate, UpstreamStats>());
    for (const r of rows) {
      const c = checks[Number(r['check_index'])];
      byCheck[Number(r['check_index'])]?.set(String(r['partition_date']), {
        rows: Number(r['n']),
        nonNull: (c?.columns ?? []).map((_col, i) => Number(r[`nn_${i}`])),
        maxProcessedAt: r['max_processed_at'] === null ? null : String(r['max_processed_at']),
        checksum: String(r['checksum']),
      });
    }
    checks.forEach((c, k) => outcomes.set(c.id, { ok: true, byDate: byCheck[k] ?? new Map() }));
  } catch (err) {
    const category: DateLevelCategory = err instanceof QueryTimeoutError ? 'QUERY_TIMEOUT' : 'PROCESSING_ERROR';
    for (const c of checks) outcomes.set(c.id, { ok: false, category, message: `dependency check on ${c.table} failed: ${errorMessage(err)}` });
  }
  return outcomes;
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
  const outcomes = await runChecks(wh, checks, from, to, o);
  for (const p of processors) {
    // Each dependency's check and outcome, found once per processor rather than once per date (a
    // no-op season backfill judges 825 dates × 5 processors: the lookups took ~15 ms of it).
    const judged = p.dependencies.flatMap((dep) => {
      const id = checkOf(dep)?.id;
      const check = checks.find((x) => x.id === id);
      const outcome = id === undefined ? undefined : outcomes.get(id);
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
      verdicts.set(partitionKey(p.key, date), { ok: problems.length === 0, category, problems, staleWarnings: warnings, fingerprintParts: parts.sort() });
    }
  }
  return verdicts;
}
