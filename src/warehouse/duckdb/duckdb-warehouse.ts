// DuckDB dialect: one embedded database file; a connection per transaction so that independent
// processors can write concurrently, and connection.interrupt() for real query timeouts.
import type { DuckDBConnection, DuckDBInstance, DuckDBMaterializedResult, DuckDBType, DuckDBValue, DuckDBVector } from '@duckdb/node-api';
import { duckdb } from './node-api.js';
import { stat } from 'node:fs/promises';
import { QueryTimeoutError, UsageError } from '../../core/errors.js';
import type { ColumnarResult, DryRunResult, LoadResult, QueryOptions, Row, SqlParams, SqlValue, TableLayouts, Warehouse } from '../warehouse.js';
import { checkScript, isQueryStatement } from '../statement-kind.js';
import { renderPieces } from '../dialect-pieces.js';
import { adHocError, checkAdHocStatement, isShowTables, SHOW_TABLES_SQL, statementCountError } from './ad-hoc.js';
import { plain, rowsOfChunks } from './rows-of.js';
import type { WarehouseIdentity } from './identify.js';

function toDuckValue(v: SqlValue): DuckDBValue {
  if (Array.isArray(v)) return duckdb.listValue(v as DuckDBValue[]);
  return v as DuckDBValue;
}

/** Binds only the parameters the SQL names: DuckDB rejects extra ones, and callers share param sets. */
function bindable(sql: string, params: SqlParams | undefined): Record<string, DuckDBValue> | undefined {
  if (!params) return undefined;
  const named = new Set(Array.from(sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]));
  const out: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params)) if (named.has(k)) out[k] = toDuckValue(v);
  return out;
}

/** Element types of the declared array types (QueryOptions.paramTypes), as BigQuery binds them. */
const LIST_ELEMENT: Readonly<Record<string, () => DuckDBType>> = { 'ARRAY<INT64>': () => duckdb.BIGINT, 'ARRAY<FLOAT64>': () => duckdb.DOUBLE, 'ARRAY<STRING>': () => duckdb.VARCHAR };

/** An empty list has no element type to infer: its declared one (as on BigQuery), else VARCHAR[] (SQL casts it where it needs another). */
function bindTypes(params: SqlParams | undefined, declared?: QueryOptions['paramTypes']): Record<string, DuckDBType> | undefined {
  if (!params) return undefined;
  const types: Record<string, DuckDBType> = {};
  for (const [k, v] of Object.entries(params)) if (Array.isArray(v) && v.length === 0) types[k] = duckdb.LIST((LIST_ELEMENT[declared?.[k] ?? ''] ?? (() => duckdb.VARCHAR))());
  return types;
}

/** All rows of a result (see rows-of.ts). */
async function rowsOf<T extends Row>(result: DuckDBMaterializedResult): Promise<T[]> {
  const chunks = await result.fetchAllChunks();
  return rowsOfChunks<T>(result.columnNames(), result.columnTypes(), chunks);
}

/**
 * The float64 data of a DOUBLE chunk vector when it has no NULLs (node-api keeps both as fields of
 * DuckDBDoubleVector, `items` and a validity whose `data` is null when every item is valid; it has
 * no public accessor for either). Anything else — a NULL, another layout in a later node-api — is
 * undefined, and the caller reads item by item.
 */
function validDoubles(vector: DuckDBVector, rowCount: number): Float64Array | undefined {
  const fields = vector as unknown as { items?: unknown; validity?: { data?: unknown } };
  return fields.items instanceof Float64Array && fields.items.length === rowCount && fields.validity?.data === null ? fields.items : undefined;
}

/**
 * By column, with the same values as rowsOf. A DOUBLE column without NULLs is copied straight from
 * the chunks' float64 data into one Float64Array (no call per value: a year of training rows is two
 * million of them); every other column goes through the JS conversion and plain().
 */
async function columnsOf(result: DuckDBMaterializedResult): Promise<ColumnarResult> {
  const chunks = await result.fetchAllChunks();
  const rows = chunks.reduce((n, chunk) => n + chunk.rowCount, 0);
  const columns = result.columnTypes().map((type, c): ArrayLike<unknown> => {
    if (type.typeId === duckdb.DuckDBTypeId.DOUBLE) {
      const out = new Float64Array(rows);
      let at = 0;
      let nulls = false;
      for (const chunk of chunks) {
        const vector = chunk.getColumnVector(c);
        const data = validDoubles(vector, chunk.rowCount);
        if (data) {
          out.set(data, at);
          at += data.length;
          continue;
        }
        for (let i = 0; i < chunk.rowCount; i++) {
          const v = vector.getItem(i) as number | null;
          if (v === null) nulls = true;
          out[at++] = v ?? Number.NaN;
        }
      }
      if (!nulls) return out;
    }
    const isDate = type.typeId === duckdb.DuckDBTypeId.DATE;
    const out: unknown[] = [];
    for (const chunk of chunks) for (const v of chunk.convertColumnValues(c, duckdb.JSDuckDBValueConverter)) out.push(plain(v, isDate));
    return out;
  });
  return { names: result.columnNames(), columns, rows };
}

/** Serialises calls on one connection: node-api connections run one statement at a time. */
class Session implements Warehouse {
  readonly dialect = 'duckdb' as const;
  private tail: Promise<unknown> = Promise.resolve();
  constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly inTransaction: boolean,
    readonly defaultTimeoutMs: number,
    /** Opened read-only and sandboxed (see DuckDBOpenOptions.readOnly). */
    readonly readOnly: boolean,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async timed<T>(sql: string, options: QueryOptions | undefined, work: () => Promise<T>): Promise<T> {
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    if (!timeoutMs) return work();
    let timedOut = false;
    let repeat: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
      // DuckDB drops an interrupt that arrives before it starts executing (a parameterised statement
      // is prepared first): without a repeat, such a statement would then run with no limit at all.
      repeat = setInterval(() => this.connection.interrupt(), 10);
    }, timeoutMs);
    try {
      return await work();
    } catch (err) {
      if (timedOut) throw new QueryTimeoutError(timeoutMs, sql);
      throw err;
    } finally {
      clearTimeout(timer);
      clearInterval(repeat);
    }
  }

  query<T extends Row = Row>(text: string, params?: SqlParams, options?: QueryOptions): Promise<T[]> {
    const sql = renderPieces(text, this.dialect);
    return this.serial(() =>
      this.timed(sql, options, async () => {
        return rowsOf<T>(await this.connection.run(sql, bindable(sql, params), bindTypes(params, options?.paramTypes)));
      }),
    );
  }

  queryColumns(text: string, params?: SqlParams, options?: QueryOptions): Promise<ColumnarResult> {
    const sql = renderPieces(text, this.dialect);
    return this.serial(() =>
      this.timed(sql, options, async () => columnsOf(await this.connection.run(sql, bindable(sql, params), bindTypes(params, options?.paramTypes)))),
    );
  }

  /**
   * An ad-hoc statement, read-only by construction: the database itself is opened read-only and
   * sandboxed, so DuckDB refuses anything that would write or reach outside the warehouse, however
   * the text is dressed up (comments, EXPLAIN ANALYZE). The statement type from DuckDB's own
   * parser only makes the common refusals clearer and keeps EXPORT from starting.
   */
  async readOnlyQuery(sql: string, options?: QueryOptions): Promise<Row[]> {
    if (!this.readOnly) throw new Error('readOnlyQuery needs a warehouse opened read-only (openWarehouse({ access: "read" }))');
    const extracted = await this.serial(() => this.connection.extractStatements(sql)).catch((e: unknown) => Promise.reject(adHocError(e)));
    if (extracted.count !== 1) throw statementCountError(extracted.count);
    const prepared = await this.serial(() => extracted.prepare(0)).catch((e: unknown) => Promise.reject(adHocError(e)));
    checkAdHocStatement(prepared.statementType);
    if (await this.serial(() => isShowTables(this.connection, sql, prepared))) return this.query(SHOW_TABLES_SQL);
    return this.serial(() =>
      this.timed(sql, options, async () => rowsOf(await prepared.run())).catch((e: unknown) => Promise.reject(adHocError(e))),
    );
  }

  exec(text: string, params?: SqlParams, options?: QueryOptions): Promise<void> {
    const sql = renderPieces(text, this.dialect);
    return this.serial(() =>
      this.timed(sql, options, async () => {
        await this.connection.run(sql, bindable(sql, params), bindTypes(params, options?.paramTypes));
      }),
    );
  }

  /** One transaction on one connection (joins the outer one when called inside transaction()). */
  async script(statements: readonly string[], params?: SqlParams, options?: QueryOptions): Promise<Row[]> {
    const checked = checkScript(statements);
    return this.transaction(async (tx) => {
      let rows: Row[] = [];
      for (const [i, sql] of checked.entries()) {
        if (i === checked.length - 1 && isQueryStatement(sql)) rows = await tx.query(sql, params, options);
        else await tx.exec(sql, params, options);
      }
      return rows;
    });
  }

  /** Parquet columns are matched by name (as BigQuery does); CSV columns by position, after a header row. */
  load(table: string, localFile: string, format: 'parquet' | 'csv', options?: QueryOptions): Promise<LoadResult> {
    const sql =
      format === 'parquet'
        ? `INSERT INTO ${table} BY NAME SELECT * FROM read_parquet($file)`
        : `INSERT INTO ${table} SELECT * FROM read_csv($file, header = true, all_varchar = true, auto_detect = true)`;
    return this.serial(() =>
      this.timed(sql, options, async () => {
        const result = await this.connection.run(sql, { file: localFile });
        return { rows: Number(result.rowsChanged) };
      }),
    );
  }

  async columns(table: string): Promise<readonly string[] | undefined> {
    const [schema, name] = table.includes('.') ? table.split('.', 2) : ['main', table];
    const rows = await this.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $schema AND table_name = $name ORDER BY ordinal_position`,
      { schema: schema ?? '', name: name ?? '' },
    );
    return rows.length > 0 ? rows.map((r) => r.column_name) : undefined;
  }

  /** Our DDL is DuckDB's own dialect: run as written (DuckDB has no partitioning or clustering). */
  applyDdl(ddl: string, _layouts?: TableLayouts): Promise<void> {
    return this.exec(ddl);
  }

  /** Parses and binds without running; DuckDB cannot estimate bytes. */
  async dryRun(text: string, params?: SqlParams, options?: QueryOptions): Promise<DryRunResult> {
    const sql = renderPieces(text, this.dialect);
    const prepared = await this.serial(async () => {
      const p = await this.connection.prepare(sql);
      const values = bindable(sql, params);
      if (values) p.bind(values, bindTypes(params, options?.paramTypes));
      return p;
    });
    return { statementType: duckdb.StatementType[prepared.statementType] ?? 'UNKNOWN', totalBytesProcessed: null };
  }

  async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this); // nested: join the outer transaction
    const connection = await this.instance.connect();
    const tx = new Session(this.instance, connection, true, this.defaultTimeoutMs, this.readOnly);
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await work(tx);
      await connection.run('COMMIT');
      return result;
    } catch (err) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
  }
}

/**
 * DuckDB's buffer pool defaults to 80% of RAM; a bounded pool spills to disk instead, which keeps
 * peak RSS of whole-season work near this figure (COURTSIDE_MEMORY_LIMIT overrides it).
 */
export const DEFAULT_MEMORY_LIMIT = '750MB';

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i;
const BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
/** Below this DuckDB cannot hold even one of our queries' working sets. */
const MIN_MEMORY_BYTES = 64e6;

/**
 * The buffer-pool size as DuckDB accepts it, checked here because DuckDB's own refusal is only
 * "Failed to set config" without saying which setting or why.
 */
export function checkMemoryLimit(value: string, source: string): string {
  const m = SIZE.exec(value);
  const bytes = m ? Number(m[1]) * (BYTES[(m[2] as string).toLowerCase()] ?? 0) : 0;
  if (!m) throw new UsageError(`${source} must be a size such as 750MB or 2GB, got '${value}'`);
  if (bytes < MIN_MEMORY_BYTES) throw new UsageError(`${source} must be at least 64MB, got '${value}'`);
  return value.trim();
}

export interface DuckDBOpenOptions {
  readonly defaultTimeoutMs?: number;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /**
   * Open the file read-only and sandboxed: DuckDB's access_mode READ_ONLY (nothing can be written
   * through it), no file, URL or extension access beyond the warehouse itself, and the
   * configuration locked so that a query cannot turn any of it back on.
   */
  readonly readOnly?: boolean;
}

/**
 * WAL size at which a commit checkpoints (DuckDB's default is 16 MB). A season backfill logs about
 * 85 MB, so by default several of its commits would stop to checkpoint, each rewriting the tables
 * touched so far, while closing the file checkpoints once anyway. Durability does not depend on it:
 * a commit is durable in the WAL, which the next open replays if the process dies first. Bounded,
 * because data not yet checkpointed is held in memory.
 */
const CHECKPOINT_THRESHOLD = '256MB';

/**
 * Below this much WAL an early checkpoint is not worth its fixed cost (it rewrites the file's
 * metadata each time); the closing checkpoint takes it.
 */
const EARLY_CHECKPOINT_MIN_WAL_BYTES = 8 * 1024 * 1024;

const SANDBOX: Readonly<Record<string, string>> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoload_known_extensions: 'false',
  autoinstall_known_extensions: 'false',
  lock_configuration: 'true',
};

export class DuckDBWarehouse extends Session {
  /** What openWarehouse identified when it opened this file read-only (isMigrated need not ask again); unset for a writer, which may migrate it. */
  openedAs?: WarehouseIdentity;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, readonly path: string, defaultTimeoutMs: number, readOnly: boolean) {
    super(instance, connection, false, defaultTimeoutMs, readOnly);
  }

  static async open(path: string, options: DuckDBOpenOptions = {}): Promise<DuckDBWarehouse> {
    const fromEnv = process.env['COURTSIDE_MEMORY_LIMIT'];
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? (fromEnv ? checkMemoryLimit(fromEnv, 'COURTSIDE_MEMORY_LIMIT') : DEFAULT_MEMORY_LIMIT),
      ...(options.threads ? { threads: String(options.threads) } : {}),
      ...(options.readOnly ? SANDBOX : { checkpoint_threshold: CHECKPOINT_THRESHOLD }),
    };
    const instance = await duckdb.DuckDBInstance.create(path, config);
    const connection = await instance.connect();
    // SQL's clock in UTC, as BigQuery's: CAST(current_timestamp AS TIMESTAMP) is otherwise the host's
    // wall time (the setting defaults to its time zone). Not settable at create (ICU is not loaded
    // yet), nor on the sandbox, whose configuration is locked: it writes nothing.
    if (!options.readOnly) await connection.run(`SET GLOBAL TimeZone = 'UTC'`);
    return new DuckDBWarehouse(instance, connection, path, options.defaultTimeoutMs ?? 0, options.readOnly === true);
  }

  /**
   * CHECKPOINT on a connection of its own. DuckDB folds the committed WAL into the file while other
   * transactions go on appending (a season backfill's last level computes meanwhile, so the close
   * has less left to write); it refuses at once, with an error, while another transaction holds
   * changes to rows already stored in the file (an update, measured) — then the closing checkpoint
   * does the work, as it always did — and a delete that comes while it runs waits for it (a --force
   * batch deleting the partitions it rebuilds).
   */
  async checkpointCommitted(): Promise<void> {
    if (this.readOnly || this.path === ':memory:') return;
    const wal = await stat(`${this.path}.wal`).catch(() => null);
    if (!wal || wal.size < EARLY_CHECKPOINT_MIN_WAL_BYTES) return;
    await this.aside('CHECKPOINT');
  }

  /** The instance's checkpoint_threshold: EARLY_CHECKPOINT_MIN_WAL_BYTES while on, CHECKPOINT_THRESHOLD after. */
  async checkpointAtCommit(on: boolean): Promise<void> {
    if (this.readOnly) return;
    await this.aside(`SET GLOBAL checkpoint_threshold = '${on ? `${EARLY_CHECKPOINT_MIN_WAL_BYTES}b` : CHECKPOINT_THRESHOLD}'`);
  }

  /**
   * Runs `sql` on a connection of its own, beside whatever the warehouse's connections are doing.
   * Never throws: what it is used for (where to checkpoint) is a matter of speed, never of what is
   * stored — refused or failed, the commits are logged and the close checkpoints, as always.
   */
  private async aside(sql: string): Promise<void> {
    const connection = await this.instance.connect().catch(() => null);
    if (!connection) return;
    try {
      await connection.run(sql);
    } catch {
      // see above: the usual logging and closing checkpoint
    } finally {
      connection.closeSync();
    }
  }

  override async close(): Promise<void> {
    await super.close();
    this.instance.closeSync();
  }
}
