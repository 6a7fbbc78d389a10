// BigQuery dialect: the same Warehouse as DuckDB, run as BigQuery jobs. Our SQL is sent as written
// except for two rewrites (rewrite-sql.ts): `$name` → `@name` with explicitly typed parameters, and
// `schema.table` → `<prefix>schema.table`. Every call is a job (counted in `jobs`), so the engine
// should batch its writes into script(): one job per atomic unit.
import { BigQuery } from '@google-cloud/bigquery';
import { CourtsideError, UsageError } from '../../core/errors.js';
import { checkScript, isQueryStatement } from '../statement-kind.js';
import type { DryRunResult, LoadResult, QueryOptions, Row, SqlParams, TableLayouts, Warehouse } from '../warehouse.js';
import type { BigQuerySettings } from './bigquery-config.js';
import { BigQueryJobError } from './bigquery-errors.js';
import { DatasetNames } from './dataset-names.js';
import { DEFAULT_BIGQUERY_RETRY, JobRunner, type JobStats, type RetrySettings } from './job-runner.js';
import { restParameters } from './query-parameters.js';
import { renderBigQueryDdl } from './render-ddl.js';
import { toBigQuerySql } from './rewrite-sql.js';
import { sqlSegments } from './sql-segments.js';

export interface BigQueryWarehouseOptions extends BigQuerySettings {
  /** Timeout of calls that set none (0 = none). */
  readonly defaultTimeoutMs?: number;
  /** Labels on every job (e.g. the command); QueryOptions.labels are added on top. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly retry?: RetrySettings;
  /** First status poll delay in ms (default 100). */
  readonly pollMs?: number;
  /** After a timeout's jobs.cancel, how long to wait for the job's final state (default 60 s). */
  readonly cancelSettleMs?: number;
  /**
   * Credentials: undefined = Application Default Credentials. A loopback apiEndpoint never gets real
   * credentials: a fixed placeholder token is sent instead (see loopbackAuth).
   */
  readonly authClient?: unknown;
  /** Opened for reading (`access: 'read'`): exec, script, load, applyDdl and transaction are refused. */
  readonly readOnly?: boolean;
  /**
   * Run script() jobs one at a time (default true). BigQuery aborts a transaction when another one
   * commits a change to the same table first; batches of processors running side by side all write
   * nba_processing.partition_status and precompute_failures, so they would collide. Serialising the
   * scripts (each is one job; the queries they wait on are not serialised) avoids it; a conflict that
   * still happens (another process) is retried by resubmitting the whole script.
   */
  readonly serialScripts?: boolean;
}

/** The statement's text ends inside a `--` comment (a script must break the line before its ';'). */
function endsInLineComment(sql: string): boolean {
  const last = sqlSegments(sql, 'duckdb').at(-1);
  return last?.kind === 'comment' && last.text.startsWith('--');
}

const isLoopback = (endpoint: string | undefined) => endpoint !== undefined && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i.test(endpoint);

/** An auth client for loopback endpoints (tests, the fake server): no ADC lookup, no metadata server. */
export const loopbackAuth = { getRequestHeaders: async () => new Headers({ Authorization: 'Bearer courtside-loopback' }) };

/** What the warehouse and its session views share. */
interface Shared {
  /** The tail of the script queue (serialScripts). */
  scriptTail: Promise<unknown>;
  readonly runner: JobRunner;
  readonly client: BigQuery;
  readonly names: DatasetNames;
  readonly settings: BigQueryWarehouseOptions;
}

export class BigQueryWarehouse implements Warehouse {
  readonly dialect = 'bigquery' as const;

  private constructor(
    private readonly shared: Shared,
    /** Set inside transaction(): every job runs in this session. */
    private readonly sessionId?: string,
  ) {}

  static open(options: BigQueryWarehouseOptions): BigQueryWarehouse {
    const apiEndpoint = (options.apiEndpoint ?? 'https://bigquery.googleapis.com').replace(/\/+$/, '');
    const authClient = options.authClient ?? (isLoopback(options.apiEndpoint) ? loopbackAuth : undefined);
    const client = new BigQuery({
      projectId: options.projectId,
      ...(options.location ? { location: options.location } : {}),
      ...(options.apiEndpoint ? { apiEndpoint } : {}),
      ...(authClient ? { authClient: authClient as never } : {}),
      // Our own bounded retry (job-runner.ts) replaces the library's, so that every retry is ours to count and test.
      retryOptions: { autoRetry: false },
      userAgent: 'courtside',
    });
    const runner = new JobRunner(client, {
      projectId: options.projectId,
      apiEndpoint,
      retry: options.retry ?? DEFAULT_BIGQUERY_RETRY,
      ...(options.location ? { location: options.location } : {}),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.cancelSettleMs !== undefined ? { cancelSettleMs: options.cancelSettleMs } : {}),
    });
    return new BigQueryWarehouse({ scriptTail: Promise.resolve(), runner, client, names: new DatasetNames(options.datasetPrefix), settings: options });
  }

  /** Jobs submitted so far (the ≤ 50-jobs-per-season target is counted here), dry runs apart. */
  get jobs(): JobStats {
    return this.shared.runner.stats;
  }

  get names(): DatasetNames {
    return this.shared.names;
  }

  /** The on-demand price the cost estimates use (bigquery-config.ts). */
  get pricePerTiBUsd(): number {
    return this.shared.settings.pricePerTiBUsd;
  }

  private writable(what: string): void {
    if (this.shared.settings.readOnly) throw new UsageError(`the warehouse was opened read-only: ${what} is refused`);
  }

  private timeout(options?: QueryOptions): number {
    return options?.timeoutMs ?? this.shared.settings.defaultTimeoutMs ?? 0;
  }

  private labels(options?: QueryOptions): Record<string, string> {
    return { ...this.shared.settings.labels, ...options?.labels };
  }

  /** REST configuration.query for one text. */
  private queryConfig(sql: string, params: SqlParams | undefined, options: QueryOptions | undefined, extra: Record<string, unknown> = {}): { text: string; query: Record<string, unknown> } {
    const translated = toBigQuerySql(sql, this.shared.names);
    const queryParameters = restParameters(translated.parameters, params, options?.paramTypes);
    const query: Record<string, unknown> = { query: translated.sql, useLegacySql: false, ...extra };
    if (queryParameters.length > 0) {
      query['parameterMode'] = 'NAMED';
      query['queryParameters'] = queryParameters;
    }
    if (this.sessionId) query['connectionProperties'] = [{ key: 'session_id', value: this.sessionId }];
    return { text: translated.sql, query };
  }

  private async runQuery(kind: string, sql: string, params: SqlParams | undefined, options: QueryOptions | undefined, wantRows: boolean, extra: Record<string, unknown> = {}, retryConflicts = false) {
    const { text, query } = this.queryConfig(sql, params, options, extra);
    return this.shared.runner.run({ kind, text, configuration: { query }, labels: this.labels(options), timeoutMs: this.timeout(options), wantRows, retryConflicts });
  }

  async query<T extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<T[]> {
    return (await this.runQuery('query', sql, params, options, true)).rows as T[];
  }

  async exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void> {
    this.writable('exec');
    await this.runQuery('query', sql, params, options, false);
  }

  /** A dry run first: only a SELECT runs (BigQuery's statementType, not a guess from the text). */
  async readOnlyQuery(sql: string, options?: QueryOptions): Promise<Row[]> {
    let statementType: string;
    try {
      statementType = (await this.dryRun(sql, undefined, options)).statementType;
    } catch (err) {
      if (err instanceof BigQueryJobError) throw new UsageError(`invalid SQL: ${err.message}`);
      throw err;
    }
    if (statementType !== 'SELECT') throw new UsageError(`courtside sql is read-only: a ${statementType || 'non-SELECT'} statement is refused (use the commands that own the tables to change them)`);
    return this.query(sql, undefined, options);
  }

  async dryRun(sql: string, params?: SqlParams, options?: QueryOptions): Promise<DryRunResult> {
    const { text, query } = this.queryConfig(sql, params, options);
    const resource = await this.shared.runner.dryRun({ query }, this.labels(options), text);
    const bytes = resource.statistics?.query?.totalBytesProcessed ?? resource.statistics?.totalBytesProcessed;
    return { statementType: resource.statistics?.query?.statementType ?? '', totalBytesProcessed: bytes === undefined ? null : Number(bytes) };
  }

  /**
   * ONE script job: `BEGIN TRANSACTION; s1; …; sN; COMMIT TRANSACTION;`, where a final query's rows
   * are the job's result (scriptOptions.keyResultStatement FIRST_SELECT: it is the only bare query).
   * A transaction BigQuery aborts for a concurrent one on the same table is resubmitted (bounded);
   * if that keeps happening the TransactionConflictError reaches the caller.
   */
  async script(statements: readonly string[], params?: SqlParams, options?: QueryOptions): Promise<Row[]> {
    this.writable('script');
    const checked = checkScript(statements);
    const wantRows = isQueryStatement(checked[checked.length - 1] ?? '');
    const inSession = this.sessionId !== undefined; // already inside transaction(): no nested BEGIN
    const body = inSession ? checked : ['BEGIN TRANSACTION', ...checked, 'COMMIT TRANSACTION'];
    // A statement whose last line is a `-- comment` would comment out the ';' after it: end that line first.
    const sql = `${body.map((s) => (endsInLineComment(s) ? `${s}\n` : s)).join(';\n')};`;
    const extra = wantRows ? { scriptOptions: { keyResultStatement: 'FIRST_SELECT' } } : {};
    const run = async () => (await this.runQuery('script', sql, params, options, wantRows, extra, !inSession)).rows;
    if (this.shared.settings.serialScripts === false) return run();
    const next = this.shared.scriptTail.then(run, run);
    this.shared.scriptTail = next.catch(() => undefined);
    return next;
  }

  /**
   * A multi-statement transaction across jobs, in a BigQuery session: BEGIN TRANSACTION creates the
   * session, every call of `work` is a job in it, COMMIT TRANSACTION ends it (on failure the session
   * is aborted, which rolls back). Atomic, but one job per call: script() is the economical form.
   */
  async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    this.writable('transaction');
    if (this.sessionId) return work(this);
    const begin = await this.runQuery('session', 'BEGIN TRANSACTION', undefined, undefined, false, { createSession: true });
    const sessionId = begin.metadata.statistics?.sessionInfo?.sessionId;
    if (!sessionId) throw new CourtsideError('BIGQUERY_SESSION', 'BigQuery did not return a session for BEGIN TRANSACTION');
    const tx = new BigQueryWarehouse(this.shared, sessionId);
    let result: T;
    try {
      result = await work(tx);
    } catch (err) {
      await tx.runQuery('session', 'CALL BQ.ABORT_SESSION()', undefined, undefined, false).catch(() => undefined);
      throw err;
    }
    await tx.runQuery('session', 'COMMIT TRANSACTION', undefined, undefined, false);
    return result;
  }

  /** One load job (multipart upload of the local file), appending to the table. */
  async load(table: string, localFile: string, format: 'parquet' | 'csv', options?: QueryOptions): Promise<LoadResult> {
    this.writable('load');
    const { dataset, table: tableId } = this.shared.names.split(table);
    const load: Record<string, unknown> = {
      destinationTable: { projectId: this.shared.settings.projectId, datasetId: dataset, tableId },
      sourceFormat: format === 'parquet' ? 'PARQUET' : 'CSV',
      writeDisposition: 'WRITE_APPEND',
      createDisposition: 'CREATE_NEVER',
      ...(format === 'csv' ? { skipLeadingRows: 1 } : {}),
    };
    const outcome = await this.shared.runner.run({ kind: 'load', text: `load ${localFile} into ${table}`, configuration: { load }, labels: this.labels(options), timeoutMs: this.timeout(options), wantRows: false, uploadFile: localFile });
    return { rows: Number(outcome.metadata.statistics?.load?.outputRows ?? 0) };
  }

  /**
   * Datasets through the API (datasets.get, then datasets.insert where missing, in the configured
   * location), then every table/view statement in ONE script job (DDL cannot run inside a BigQuery
   * transaction, so the script has none). DDL with no BigQuery form is refused, listed.
   */
  async applyDdl(ddl: string, layouts?: TableLayouts): Promise<void> {
    this.writable('applyDdl');
    const rendered = renderBigQueryDdl(ddl, this.shared.names, layouts);
    if (rendered.unsupported.length > 0) {
      const list = rendered.unsupported.map((u) => `${u.reason}: ${u.sql.replace(/\s+/g, ' ').slice(0, 100)}`).join('; ');
      throw new CourtsideError('UNSUPPORTED_DDL', `DDL with no BigQuery form: ${list}`, 2);
    }
    for (const id of rendered.datasets) await this.ensureDataset(id);
    if (rendered.statements.length === 0) return;
    const text = `${rendered.statements.join(';\n')};`;
    const query = { query: text, useLegacySql: false };
    await this.shared.runner.run({ kind: 'ddl', text, configuration: { query }, labels: this.labels(), timeoutMs: this.timeout(), wantRows: false });
  }

  /** tables.get (no query job): the table's or view's field names, undefined when it does not exist. */
  async columns(table: string): Promise<readonly string[] | undefined> {
    const { dataset, table: tableId } = this.shared.names.split(table);
    try {
      const [metadata] = await this.shared.runner.http(() => this.shared.client.dataset(dataset).table(tableId).getMetadata());
      return ((metadata as { schema?: { fields?: { name: string }[] } }).schema?.fields ?? []).map((f) => f.name);
    } catch (err) {
      if ((err as { code?: unknown }).code === 404) return undefined;
      throw err;
    }
  }

  private async ensureDataset(id: string): Promise<void> {
    const location = this.shared.settings.location;
    const dataset = this.shared.client.dataset(id, location ? { location } : {});
    const [exists] = await this.shared.runner.http(() => dataset.exists());
    if (exists) return;
    try {
      await this.shared.runner.http(() => dataset.create(location ? { location } : {}));
    } catch (err) {
      if ((err as { code?: unknown }).code !== 409) throw err; // created meanwhile by another run
    }
  }

  async close(): Promise<void> {
    // Nothing to release: the client holds no connection; sessions end with their transaction.
  }
}
