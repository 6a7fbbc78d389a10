// ZetaSQL — BigQuery's SQL analyzer and its reference evaluator — as a local gRPC server, started
// from the package installed in the cache (see zetasql-install.ts). Statements are given as our SQL
// ($name parameters, schema.table names); they reach ZetaSQL as BigQuery text (@name, back-quoted
// tables) with the GoogleSQL language features BigQuery has enabled, PRODUCT_EXTERNAL and UTC.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Row, ParamType, SqlParams, SqlValue } from '../../warehouse.js';
import { DatasetNames } from '../dataset-names.js';
import type { TableDef } from '../parse-ddl.js';
import { restParameter } from '../query-parameters.js';
import { toBigQuerySql } from '../rewrite-sql.js';
import { splitStatements } from '../sql-segments.js';
import { catalogTable, quoteTableNames, simpleCatalog, type CatalogTable } from './zetasql-catalog.js';
import { serverBinary, zetasqlCacheDir, zetasqlPackageDir } from './zetasql-install.js';
import { decodeValue, encodeValue, typeProtoOfRest, type TypeProto, type ValueProto } from './zetasql-values.js';

/**
 * Features GoogleSQL has and BigQuery does not (or that we must not come to rely on): the analyzer
 * runs with every feature of this build except these, so it is stricter, never laxer, than BigQuery.
 */
export const FEATURES_NOT_IN_BIGQUERY: readonly string[] = [
  'FEATURE_EXPERIMENTAL_MODULES', 'FEATURE_V_1_3_ALLOW_SLASH_PATHS', 'FEATURE_TEMPLATE_FUNCTIONS', 'FEATURE_V_1_4_BARE_ARRAY_ACCESS',
  'FEATURE_V_1_3_WITH_GROUP_ROWS', 'FEATURE_V_1_4_WITH_EXPRESSION', 'FEATURE_V_1_3_INLINE_LAMBDA_ARGUMENT', 'FEATURE_V_1_4_SAFE_FUNCTION_CALL_WITH_LAMBDA_ARGS',
  'FEATURE_V_1_4_STRUCT_POSITIONAL_ACCESSOR', 'FEATURE_V_1_4_NULLIFZERO_ZEROIFNULL', 'FEATURE_V_1_4_PI_FUNCTIONS', 'FEATURE_V_1_3_KLL_WEIGHTS',
  'FEATURE_V_1_4_FIRST_AND_LAST_N', 'FEATURE_V_1_4_ARRAY_FIND_FUNCTIONS', 'FEATURE_V_1_4_CORRESPONDING', 'FEATURE_V_1_3_PROTO_MAPS',
];

export class ZetaSqlError extends Error {
  constructor(
    readonly statement: string,
    readonly zetasqlMessage: string,
  ) {
    super(`ZetaSQL: ${zetasqlMessage}\n  in: ${statement.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

export interface ResultColumn {
  readonly name: string;
  readonly type: TypeProto;
}

export interface QueryOutput {
  readonly columns: readonly ResultColumn[];
  readonly rows: Row[];
}

export interface ModifyOutput {
  readonly table: string;
  /** Cells are the row's new values (INSERT, UPDATE); a DELETE gives only the old primary key. */
  readonly rows: readonly { readonly operation: string; readonly cells: readonly unknown[]; readonly oldPrimaryKey: readonly unknown[] }[];
}

/** One analyzed statement: the resolved node's kind, e.g. resolvedQueryStmtNode, resolvedMergeStmtNode. */
export interface AnalyzedStatement {
  readonly sql: string;
  readonly node: string;
}

/** Tables with inline rows (values as the DuckDB warehouse returns them). */
export interface Fixture {
  readonly def: TableDef;
  readonly rows: readonly Row[];
}

type Call = (method: string, request: unknown) => Promise<Record<string, unknown>>;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class ZetaSql {
  private constructor(
    private readonly child: ChildProcess,
    private readonly call: Call,
    private readonly languageOptions: Record<string, unknown>,
    private readonly close: () => void,
  ) {}

  /** Starts remote_server on a free loopback port and waits until it answers (a few hundred ms). */
  static async start(cacheDir = zetasqlCacheDir()): Promise<ZetaSql> {
    const packageDir = zetasqlPackageDir(cacheDir);
    // gRPC comes with the package into the cache: load it from there, not from our node_modules.
    const requireFromCache = createRequire(join(packageDir, 'package.json'));
    let grpc: { loadPackageDefinition: (d: unknown) => Record<string, unknown>; credentials: { createInsecure: () => unknown } };
    let loader: { loadSync: (file: string, options: Record<string, unknown>) => unknown };
    try {
      grpc = requireFromCache('@grpc/grpc-js') as typeof grpc;
      loader = requireFromCache('@grpc/proto-loader') as typeof loader;
    } catch (err) {
      throw new Error(`ZetaSQL is not installed in ${cacheDir}: run \`npm run test:bigquery\` (it installs it). ${(err as Error).message}`);
    }
    const port = await freePort();
    const child = spawn(serverBinary(cacheDir), ['localhost', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // A resolved AST nests one level per operator: a long sum (pred's linear predictor, 70 terms) passes
    // protobufjs's default decoding depth of 100, which BigQuery itself knows nothing of.
    const protobuf = requireFromCache('protobufjs') as { Reader: { recursionLimit: number }; util: { recursionLimit: number } };
    protobuf.Reader.recursionLimit = protobuf.util.recursionLimit = 2000;
    const definition = loader.loadSync('local_service.proto', { defaults: false, oneofs: true, longs: String, enums: String, includeDirs: [join(packageDir, 'lib', 'zetasql', 'protos')] });
    const root = grpc.loadPackageDefinition(definition) as { zetasql: { local_service: { ZetaSqlLocalService: new (address: string, credentials: unknown, options: Record<string, number>) => Record<string, unknown> } } };
    const limit = 256 * 1024 * 1024;
    const api = new root.zetasql.local_service.ZetaSqlLocalService(`localhost:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': limit, 'grpc.max_receive_message_length': limit });
    const call: Call = (method, request) =>
      new Promise((resolve, reject) => {
        const fn = api[method] as (req: unknown, cb: (err: (Error & { details?: string }) | null, res: Record<string, unknown>) => void) => void;
        fn.call(api, request, (err, res) => (err ? reject(err) : resolve(res)));
      });
    for (let i = 0; ; i++) {
      try {
        await call('formatSql', { sql: 'SELECT 1' });
        break;
      } catch (err) {
        if (i >= 100 || child.exitCode !== null) {
          child.kill('SIGKILL');
          throw new Error(`ZetaSQL server did not start on port ${port}: ${(err as Error).message} ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const max = (await call('getLanguageOptions', { maximumFeatures: true })) as { enabledLanguageFeatures?: string[] };
    const languageOptions = {
      nameResolutionMode: 'NAME_RESOLUTION_DEFAULT',
      productMode: 'PRODUCT_EXTERNAL',
      enabledLanguageFeatures: (max.enabledLanguageFeatures ?? []).filter((f) => !FEATURES_NOT_IN_BIGQUERY.includes(f)),
      // No supportedStatementKinds: every statement kind (scripts' DML, DDL, MERGE, transactions).
    };
    return new ZetaSql(child, call, languageOptions, () => (api['close'] as () => void).call(api));
  }

  stop(): void {
    this.close();
    this.child.kill('SIGKILL');
  }

  /** Our SQL → the text ZetaSQL receives, and the parameters it names (typed as BigQuery would get them). */
  private prepare(sql: string, tables: readonly CatalogTable[], params: SqlParams | undefined, paramTypes: Readonly<Record<string, ParamType>> | undefined) {
    const schemas = new Set(tables.filter((t) => t.name.includes('.')).map((t) => t.name.split('.')[0] as string));
    const bq = toBigQuerySql(sql, new DatasetNames('', schemas));
    const text = quoteTableNames(bq.sql, tables.map((t) => t.name));
    const typed = bq.parameters.map((name) => {
      const value = (params?.[name] ?? null) as SqlValue;
      const rest = restParameter(name, value, paramTypes?.[name]);
      const type = typeProtoOfRest(rest.parameterType);
      return { name, type, value: encodeValue(type, value) };
    });
    const options = {
      languageOptions: this.languageOptions,
      errorMessageMode: 'ERROR_MESSAGE_ONE_LINE',
      defaultTimezone: 'UTC', // BigQuery's, not the library's America/Los_Angeles
      queryParameters: typed.map((p) => ({ name: p.name, type: p.type })),
    };
    return { text, options, params: typed.map((p) => ({ name: p.name, value: p.value })) };
  }

  private async guarded<T>(statement: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const e = err as { details?: string; message?: string };
      throw new ZetaSqlError(statement, e.details ?? e.message ?? String(err));
    }
  }

  /**
   * Analyzes one statement or a whole script (split at top-level ';'), each statement against the
   * catalog as the script has left it: a CREATE TEMP TABLE adds its table for the ones after it.
   */
  async analyze(sql: string, tables: readonly TableDef[], params?: SqlParams, paramTypes?: Readonly<Record<string, ParamType>>): Promise<AnalyzedStatement[]> {
    const catalog: CatalogTable[] = tables.map(catalogTable);
    const out: AnalyzedStatement[] = [];
    for (const statement of splitStatements(sql, 'duckdb')) {
      const p = this.prepare(statement, catalog, params, paramTypes);
      const r = await this.guarded(p.text, () => this.call('analyze', { options: p.options, simpleCatalog: simpleCatalog(catalog, this.languageOptions), sqlStatement: p.text }));
      const resolved = r['resolvedStatement'] as Record<string, unknown> | undefined;
      const node = findNode(resolved);
      out.push({ sql: p.text, node: node.name });
      // CREATE TEMP TABLE (… AS SELECT): ResolvedCreateTableStmtBase holds the columns, its parent the name.
      const base = node.value?.['parent'] as { parent?: { namePath?: string[]; createScope?: string }; columnDefinitionList?: { name: string; type: TypeProto }[] } | undefined;
      const path = base?.parent?.namePath;
      if (path && base.columnDefinitionList && base.parent?.createScope === 'CREATE_TEMP') {
        // CREATE OR REPLACE of a temp table the script made before replaces it in the catalog.
        const table = { name: path.join('.'), columns: base.columnDefinitionList.map((c) => ({ name: c.name, type: c.type })) };
        const at = catalog.findIndex((t) => t.name === table.name);
        if (at >= 0) catalog[at] = table;
        else catalog.push(table);
      }
    }
    return out;
  }

  /** EvaluateQuery: the rows of a query over inline fixture rows. */
  async evaluateQuery(sql: string, fixtures: readonly Fixture[], params?: SqlParams, paramTypes?: Readonly<Record<string, ParamType>>): Promise<QueryOutput> {
    const catalog = fixtures.map((f) => catalogTable(f.def));
    const p = this.prepare(sql, catalog, params, paramTypes);
    const r = await this.guarded(p.text, () => this.call('evaluateQuery', { sql: p.text, options: p.options, simpleCatalog: simpleCatalog(catalog, this.languageOptions), tableContent: tableContent(fixtures, catalog), params: p.params }));
    // An unaliased expression has no name; BigQuery calls the n-th such column f<n>_ (counting from 0), so do we:
    // two of them must not share a key.
    let anonymous = 0;
    const columns = ((r['prepared'] as { columns?: { name: string; type: TypeProto }[] } | undefined)?.columns ?? []).map((c) => ({ name: c.name || `f${anonymous++}_`, type: c.type }));
    const rows = (((r['content'] as { tableData?: { row?: { cell?: ValueProto[] }[] } } | undefined)?.tableData?.row) ?? []).map((row) => {
      const o: Row = {};
      columns.forEach((c, i) => (o[c.name] = decodeValue(c.type, row.cell?.[i])));
      return o;
    });
    return { columns, rows };
  }

  /** EvaluateModify: the rows a DELETE / UPDATE / INSERT touches, with their new values. */
  async evaluateModify(sql: string, fixtures: readonly Fixture[], params?: SqlParams, paramTypes?: Readonly<Record<string, ParamType>>): Promise<ModifyOutput> {
    const catalog = fixtures.map((f) => catalogTable(f.def));
    const p = this.prepare(sql, catalog, params, paramTypes);
    const r = await this.guarded(p.text, () => this.call('evaluateModify', { sql: p.text, options: p.options, simpleCatalog: simpleCatalog(catalog, this.languageOptions), tableContent: tableContent(fixtures, catalog), params: p.params }));
    const table = String(r['tableName'] ?? '');
    const target = catalog.find((t) => t.name === table);
    const keyTypes = (target?.primaryKey ?? []).map((i) => target?.columns[i]?.type ?? { typeKind: 'TYPE_STRING' });
    const rows = ((r['content'] as { operation?: string; cell?: ValueProto[]; oldPrimaryKey?: ValueProto[] }[] | undefined) ?? []).map((row) => ({
      operation: row.operation ?? 'UNKNOWN',
      cells: (row.cell ?? []).map((c, i) => decodeValue(target?.columns[i]?.type ?? { typeKind: 'TYPE_STRING' }, c)),
      oldPrimaryKey: (row.oldPrimaryKey ?? []).map((c, i) => decodeValue(keyTypes[i] ?? { typeKind: 'TYPE_STRING' }, c)),
    }));
    return { table, rows };
  }
}

function tableContent(fixtures: readonly Fixture[], catalog: readonly CatalogTable[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fixtures.forEach((f, i) => {
    const t = catalog[i] as CatalogTable;
    out[t.name] = { tableData: { row: f.rows.map((row) => ({ cell: t.columns.map((c) => encodeValue(c.type, row[c.name])) })) } };
  });
  return out;
}

/** The resolved statement's node: the innermost `resolved…Node` object of the oneof chain. */
function findNode(resolved: Record<string, unknown> | undefined): { name: string; value?: Record<string, unknown> } {
  let name = 'unknown';
  let value: Record<string, unknown> | undefined = resolved;
  for (let depth = 0; value && depth < 6; depth++) {
    const key = Object.keys(value).find((k) => /^resolved.*Node$/.test(k));
    if (!key) break;
    name = key;
    value = value[key] as Record<string, unknown>;
  }
  return { name, ...(value ? { value } : {}) };
}
