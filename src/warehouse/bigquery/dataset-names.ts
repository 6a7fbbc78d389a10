// Our SQL names tables `schema.table` (DuckDB schemas); on BigQuery each schema is a dataset named
// `<prefix><schema>`, so that dev and test runs get datasets of their own. This is the whole mapping:
// names only, for the schemas listed here — never a SQL transpiler.
import { UsageError } from '../../core/errors.js';

/** The schemas of SYSTEM.md §1, known before any DDL has been applied. */
export const PRODUCT_SCHEMAS: readonly string[] = ['nba_raw', 'nba_reference', 'nba_analytics', 'nba_precompute', 'nba_predictions', 'nba_processing'];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class DatasetNames {
  private readonly schemas = new Set<string>();

  constructor(
    /** Letters, digits and underscores, e.g. `dev_alice_`; '' = datasets named as the schemas. */
    readonly prefix: string,
    schemas: Iterable<string> = PRODUCT_SCHEMAS,
  ) {
    if (!/^[A-Za-z0-9_]*$/.test(prefix)) throw new UsageError(`BigQuery dataset prefix '${prefix}' may contain only letters, digits and '_'`);
    for (const s of schemas) this.add(s);
  }

  /** Registers another schema (e.g. one a CREATE SCHEMA in applied DDL names). */
  add(schema: string): void {
    if (!IDENT.test(schema)) throw new UsageError(`'${schema}' is not a schema name`);
    this.schemas.add(schema.toLowerCase());
  }

  has(schema: string): boolean {
    return this.schemas.has(schema.toLowerCase());
  }

  /** The dataset of a schema: `nba_raw` → `<prefix>nba_raw`. */
  dataset(schema: string): string {
    return `${this.prefix}${schema.toLowerCase()}`;
  }

  /** The schema a dataset holds, or undefined when the dataset is not one of ours. */
  schemaOf(dataset: string): string | undefined {
    if (!dataset.startsWith(this.prefix)) return undefined;
    const schema = dataset.slice(this.prefix.length).toLowerCase();
    return this.schemas.has(schema) ? schema : undefined;
  }

  /** `schema.table` → { dataset, table }. */
  split(qualified: string): { dataset: string; table: string } {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(qualified.trim());
    if (!m) throw new UsageError(`'${qualified}' is not a schema.table name`);
    return { dataset: this.dataset(m[1] as string), table: m[2] as string };
  }

  /** Every known schema (longest first, so that a regex alternation prefers the longer name). */
  list(): string[] {
    return [...this.schemas].sort((a, b) => b.length - a.length || a.localeCompare(b));
  }
}
