// Tabular output for every report: --format table | csv | json.
import { UsageError } from '../core/errors.js';
import type { Row } from '../warehouse/warehouse.js';

export type OutputFormat = 'table' | 'csv' | 'json';

export function parseFormat(value: string | undefined): OutputFormat {
  const f = value ?? 'table';
  if (f !== 'table' && f !== 'csv' && f !== 'json') throw new UsageError(`--format must be table, csv or json, got '${f}'`);
  return f;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function csvCell(v: unknown): string {
  const s = cell(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatRows(rows: readonly Row[], format: OutputFormat, columns?: readonly string[]): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  if (format === 'json') return JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
  if (format === 'csv') return [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n');
  if (cols.length === 0) return '(no rows)';
  const text = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...text.map((t) => (t[i] ?? '').length)));
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const line = (vals: readonly string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n');
}

/** One table of a report that prints several; `columns` heads an empty CSV table (rows carry no names). */
export interface OutputTable {
  readonly name: string;
  readonly title: string;
  readonly rows: readonly Row[];
  readonly columns?: readonly string[];
}

/**
 * A command whose output is a report (text, or one JSON document), not a table: --format csv, which
 * prints one table (formatTables), has none to print there. A usage error before any work.
 */
export function refuseCsv(format: OutputFormat, message: string): void {
  if (format === 'csv') throw new UsageError(message);
}

/** A `--section` that names no table: a usage error before any work (formatTables checks it again). */
export function checkSection(section: string | undefined, names: readonly string[]): void {
  if (section !== undefined && !names.includes(section)) throw new UsageError(`--section must be one of ${names.join(', ')}, got '${section}'`);
}

/**
 * A report of several tables, one output per invocation that its format's readers load whole:
 * - csv: ONE table (one header line), the `section` chosen, else the `main` one — DuckDB's read_csv,
 *   pandas or a spreadsheet load it as is; `note` (for stderr) names the tables left out.
 * - json: `whole` (one document), or the chosen section's rows.
 * - table: every table under its title, or the chosen one.
 * An unknown section is a usage error naming the tables.
 */
export function formatTables(tables: readonly OutputTable[], format: OutputFormat, opts: { readonly main: string; readonly section: string | undefined; readonly whole: unknown }): { out: string; note?: string } {
  const names = tables.map((t) => t.name);
  checkSection(opts.section, names);
  const chosen = tables.find((t) => t.name === (opts.section ?? opts.main));
  if (!chosen) throw new Error(`formatTables: no table named ${opts.section ?? opts.main}`);
  if (format === 'json') {
    if (opts.section === undefined) return { out: JSON.stringify(opts.whole, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) };
    return { out: formatRows(chosen.rows, 'json') };
  }
  if (format === 'csv') {
    const out = formatRows(chosen.rows, 'csv', chosen.rows.length === 0 ? chosen.columns : undefined);
    const others = names.filter((n) => n !== chosen.name);
    if (opts.section !== undefined || others.length === 0) return { out };
    return { out, note: `--format csv prints one table: ${chosen.name}; the others (${others.join(', ')}) with --section NAME` };
  }
  const shown = opts.section === undefined ? tables : [chosen];
  return { out: shown.map((t) => `${t.title}\n${formatRows(t.rows, 'table')}`).join('\n\n') };
}
