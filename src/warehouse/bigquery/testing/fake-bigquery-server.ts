// A small fake of BigQuery's REST API on 127.0.0.1, for tests: the calls the official client makes
// (jobs.insert/get/getQueryResults/cancel, datasets.get/insert, tables.insert/get, multipart and
// resumable uploads), every request recorded, jobs executed on a DuckDB database (see
// fake-job-executor.ts). Faults are injected by rule: an HTTP error for the next matching requests,
// a job that fails with a given reason, a job that never finishes until it is cancelled.
//
// Running a whole backfill through it: open a BigQueryWarehouse with `apiEndpoint: fake.url` and the
// same datasetPrefix as the fake, run the engine, then read `fake.jobs` (one entry per job inserted,
// dry runs apart) for the job count and each script's text.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DatasetNames } from '../dataset-names.js';
import type { RestQueryParameter } from '../query-parameters.js';
import { fromBigQuerySql } from '../rewrite-sql.js';
import type { FakeTableLayout } from './bigquery-ddl-to-duckdb.js';
import { assertionOf, bigQueryFormsToDuckdb } from './bigquery-forms.js';
import { createTableFromResource, describeTable } from './fake-tables.js';
import { estimateBytes, executeLoad, executeQuery, FakeJobFailure, namedValues, parameterValues, statementTypeOf, type QueryResult } from './fake-job-executor.js';
import { boundaryOf, parseMultipart } from './multipart.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Parsed JSON; for uploads the job resource. */
  readonly body: unknown;
  /** Bytes of an uploaded file. */
  readonly uploadBytes?: number;
  /** The HTTP status the fake answered with. */
  status?: number;
}

export interface FakeJob {
  readonly id: string;
  readonly resource: Record<string, unknown>;
  readonly configuration: Record<string, unknown>;
  /** The query text as received (scripts included), or undefined for loads. */
  readonly query?: string;
  state: 'RUNNING' | 'DONE';
  errorResult?: { reason: string; message: string };
  result?: QueryResult;
  statistics: Record<string, unknown>;
  cancelled: boolean;
  /** Set while a finishAtCancel job waits for its jobs.cancel. */
  release?: () => void;
}

export interface HttpFault {
  readonly method?: string;
  readonly path?: RegExp;
  readonly status: number;
  readonly reason: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface JobFault {
  /** Matched against the job's query text. */
  readonly match: RegExp;
  readonly reason: string;
  readonly message: string;
  times?: number;
}

export interface FakeBigQueryOptions {
  /** Must equal the warehouse's datasetPrefix: dataset names are mapped back through it. */
  readonly datasetPrefix?: string;
  /** DuckDB file to execute on (default: in memory). */
  readonly duckdbPath?: string;
}

export class FakeBigQuery {
  readonly requests: RecordedRequest[] = [];
  readonly jobs: FakeJob[] = [];
  readonly datasets = new Map<string, Record<string, unknown>>();
  readonly tables = new Map<string, FakeTableLayout>();
  private readonly httpFaults: HttpFault[] = [];
  private readonly jobFaults: JobFault[] = [];
  private readonly hanging: RegExp[] = [];
  private readonly finishingAtCancel: RegExp[] = [];
  private readonly sessions = new Map<string, DuckDBConnection>();
  private readonly uploads = new Map<string, Record<string, unknown>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly tmp = mkdtempSync(join(tmpdir(), 'fake-bigquery-'));

  private constructor(
    private readonly server: Server,
    readonly db: DuckDBInstance,
    readonly names: DatasetNames,
  ) {}

  static async start(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
    const db = await DuckDBInstance.create(options.duckdbPath ?? ':memory:');
    // BigQuery's clock is UTC: current_timestamp in the jobs it runs must not follow the host's zone.
    const setup = await db.connect();
    await setup.run(`SET GLOBAL TimeZone = 'UTC'`);
    setup.closeSync();
    let fake: FakeBigQuery | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeBigQuery(server, db, new DatasetNames(options.datasetPrefix ?? ''));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Jobs inserted (dry runs are not jobs). */
  get jobCount(): number {
    return this.jobs.length;
  }

  failHttp(fault: HttpFault): void {
    this.httpFaults.push({ times: 1, ...fault });
  }

  failJobs(fault: JobFault): void {
    this.jobFaults.push({ times: 1, ...fault });
  }

  /** Jobs whose text matches stay RUNNING until jobs.cancel. */
  hangJobs(match: RegExp): void {
    this.hanging.push(match);
  }

  /**
   * Jobs whose text matches stay RUNNING until jobs.cancel, and then run to completion without an
   * error: a job that finished (a script that committed) just as the client gave up on it.
   */
  finishJobsAtCancel(match: RegExp): void {
    this.finishingAtCancel.push(match);
  }

  /** Runs SQL (our dialect) directly on the fake's DuckDB, to seed or inspect it. */
  async sql(sql: string): Promise<Record<string, unknown>[]> {
    const c = await this.db.connect();
    try {
      return (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      c.closeSync();
    }
  }

  async stop(): Promise<void> {
    for (const job of this.jobs) {
      job.cancelled = true;
      if (job.release) {
        job.state = 'DONE';
        job.release();
      }
    }
    await Promise.allSettled([...this.pending]);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const c of this.sessions.values()) c.closeSync();
    this.db.closeSync();
    rmSync(this.tmp, { recursive: true, force: true });
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const contentType = req.headers['content-type'];
    let body: unknown;
    let upload: Buffer | undefined;
    const boundary = contentType?.startsWith('multipart/') ? boundaryOf(contentType) : undefined;
    if (boundary) {
      const parts = parseMultipart(raw, boundary);
      body = JSON.parse(parts[0]?.body.toString() ?? '{}');
      upload = parts[1]?.body;
    } else if (req.method === 'PUT') upload = raw;
    else body = raw.length > 0 && /json/.test(contentType ?? '') ? JSON.parse(raw.toString()) : undefined;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { authorization: req.headers.authorization, 'content-type': contentType },
      body,
      ...(upload ? { uploadBytes: upload.length } : {}),
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const fault = this.httpFaults.find((f) => (f.times ?? 0) > 0 && (!f.method || f.method === record.method) && (!f.path || f.path.test(record.path)));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      send(fault.status, { error: { code: fault.status, message: `injected ${fault.reason}`, errors: [{ reason: fault.reason, message: `injected ${fault.reason}` }] } });
      return;
    }
    try {
      await this.route(record, upload, url, send);
    } catch (err) {
      send(500, { error: { code: 500, message: `fake BigQuery: ${err instanceof Error ? err.message : String(err)}`, errors: [{ reason: 'internalError' }] } });
    }
  }

  private async route(r: RecordedRequest, upload: Buffer | undefined, url: URL, send: (status: number, payload: unknown, headers?: Record<string, string>) => void): Promise<void> {
    const p = r.path;
    let m: RegExpExecArray | null;
    if ((m = /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(p))) {
      if (r.query['uploadType'] === 'resumable' && r.method === 'POST') {
        const id = randomUUID();
        this.uploads.set(id, r.body as Record<string, unknown>);
        send(200, {}, { location: `${url.origin}${p}?uploadType=resumable&upload_id=${id}` });
        return;
      }
      const resource = r.query['upload_id'] ? this.uploads.get(r.query['upload_id']) : (r.body as Record<string, unknown>);
      if (!resource || !upload) return send(400, { error: { code: 400, message: 'upload without a job resource or data', errors: [{ reason: 'invalid' }] } });
      return this.insertJob(m[1] as string, resource, send, upload);
    }
    if (!p.startsWith('/bigquery/v2/projects/')) return send(404, { error: { code: 404, message: `fake BigQuery: no route ${r.method} ${p}`, errors: [{ reason: 'notFound' }] } });
    const rest = p.slice('/bigquery/v2/projects/'.length);
    if (r.method === 'POST' && (m = /^([^/]+)\/jobs$/.exec(rest))) return this.insertJob(m[1] as string, r.body as Record<string, unknown>, send);
    if (r.method === 'GET' && (m = /^([^/]+)\/jobs\/([^/]+)$/.exec(rest))) {
      const job = this.job(m[2] as string);
      return job ? send(200, this.jobResource(job)) : send(404, { error: { code: 404, message: `Not found: Job ${m[2]}`, errors: [{ reason: 'notFound' }] } });
    }
    if (r.method === 'POST' && (m = /^([^/]+)\/jobs\/([^/]+)\/cancel$/.exec(rest))) {
      const job = this.job(m[2] as string);
      if (!job) return send(404, { error: { code: 404, message: `Not found: Job ${m[2]}`, errors: [{ reason: 'notFound' }] } });
      if (job.release) {
        job.release(); // finishes normally; the response still shows it RUNNING, as BigQuery may
        delete job.release;
      } else if (job.state !== 'DONE') {
        job.cancelled = true;
        job.state = 'DONE';
        job.errorResult = { reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' };
      }
      return send(200, { kind: 'bigquery#jobCancelResponse', job: this.jobResource(job) });
    }
    if (r.method === 'GET' && (m = /^([^/]+)\/queries\/([^/]+)$/.exec(rest))) return this.queryResults(m[2] as string, r.query, send);
    if (r.method === 'POST' && /^([^/]+)\/queries$/.test(rest)) return send(501, { error: { code: 501, message: 'fake BigQuery: jobs.query is not implemented (the warehouse uses jobs.insert)', errors: [{ reason: 'notImplemented' }] } });
    if (r.method === 'GET' && (m = /^([^/]+)\/datasets\/([^/]+)$/.exec(rest))) {
      const ds = this.datasets.get(m[2] as string);
      return ds ? send(200, ds) : send(404, { error: { code: 404, message: `Not found: Dataset ${m[1]}:${m[2]}`, errors: [{ reason: 'notFound' }] } });
    }
    if (r.method === 'POST' && (m = /^([^/]+)\/datasets$/.exec(rest))) return this.insertDataset(m[1] as string, r.body as Record<string, unknown>, send);
    if (r.method === 'POST' && (m = /^([^/]+)\/datasets\/([^/]+)\/tables$/.exec(rest))) return this.insertTable(m[1] as string, m[2] as string, r.body as Record<string, unknown>, send);
    if (r.method === 'GET' && (m = /^([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(rest))) return this.getTable(m[1] as string, m[2] as string, m[3] as string, send);
    send(404, { error: { code: 404, message: `fake BigQuery: no route ${r.method} ${p}`, errors: [{ reason: 'notFound' }] } });
  }

  // ---- datasets and tables ---------------------------------------------------------------------

  private async insertDataset(project: string, body: Record<string, unknown>, send: (s: number, p: unknown) => void): Promise<void> {
    const ref = body['datasetReference'] as { datasetId?: string } | undefined;
    const id = ref?.datasetId;
    if (!id) return send(400, { error: { code: 400, message: 'datasetReference.datasetId is required', errors: [{ reason: 'invalid' }] } });
    if (this.datasets.has(id)) return send(409, { error: { code: 409, message: `Already Exists: Dataset ${project}:${id}`, errors: [{ reason: 'duplicate' }] } });
    const schema = this.names.schemaOf(id) ?? id;
    this.names.add(schema);
    await this.sql(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const resource = { kind: 'bigquery#dataset', id: `${project}:${id}`, datasetReference: { projectId: project, datasetId: id }, location: (body['location'] as string | undefined) ?? 'US' };
    this.datasets.set(id, resource);
    send(200, resource);
  }

  private async insertTable(project: string, dataset: string, body: Record<string, unknown>, send: (s: number, p: unknown) => void): Promise<void> {
    const created = await createTableFromResource(this.db, this.names.schemaOf(dataset) ?? dataset, body);
    if ('status' in created) return send(created.status, { error: { code: created.status, message: created.message, errors: [{ reason: created.reason, message: created.message }] } });
    this.tables.set(created.table, created.layout);
    send(200, { kind: 'bigquery#table', id: `${project}:${dataset}.${created.table.split('.')[1]}`, ...body });
  }

  private async getTable(project: string, dataset: string, tableId: string, send: (s: number, p: unknown) => void): Promise<void> {
    const schema = this.names.schemaOf(dataset) ?? dataset;
    const resource = await describeTable(this.db, schema, tableId, this.tables.get(`${schema}.${tableId}`));
    if (!resource) return send(404, { error: { code: 404, message: `Not found: Table ${project}:${dataset}.${tableId}`, errors: [{ reason: 'notFound' }] } });
    send(200, { kind: 'bigquery#table', id: `${project}:${dataset}.${tableId}`, tableReference: { projectId: project, datasetId: dataset, tableId }, ...resource });
  }

  // ---- jobs ----------------------------------------------------------------------------------

  private job(id: string): FakeJob | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  private jobResource(job: FakeJob): Record<string, unknown> {
    return {
      ...job.resource,
      kind: 'bigquery#job',
      id: job.id,
      status: { state: job.state, ...(job.errorResult ? { errorResult: job.errorResult, errors: [job.errorResult] } : {}) },
      statistics: job.statistics,
    };
  }

  private async insertJob(project: string, resource: Record<string, unknown>, send: (s: number, p: unknown) => void, upload?: Buffer): Promise<void> {
    const reference = (resource['jobReference'] ?? {}) as { jobId?: string; location?: string };
    const id = reference.jobId ?? randomUUID();
    const configuration = (resource['configuration'] ?? {}) as Record<string, unknown>;
    const query = configuration['query'] as { query?: string; queryParameters?: RestQueryParameter[]; createSession?: boolean; connectionProperties?: { key: string; value: string }[]; scriptOptions?: { keyResultStatement?: string } } | undefined;
    if (configuration['dryRun'] === true) return this.dryRun(project, id, query?.query ?? '', query?.queryParameters ?? [], send);
    if (this.job(id)) return send(409, { error: { code: 409, message: `Already Exists: Job ${project}:${id}`, errors: [{ reason: 'duplicate' }] } });
    const job: FakeJob = {
      id,
      resource: { ...resource, jobReference: { projectId: project, jobId: id, location: reference.location ?? 'US' } },
      configuration,
      ...(query?.query !== undefined ? { query: query.query } : {}),
      state: 'RUNNING',
      statistics: { creationTime: String(Date.now()) },
      cancelled: false,
    };
    this.jobs.push(job);
    const work = this.execute(job, upload).catch(() => undefined);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
    send(200, this.jobResource(job));
  }

  private async dryRun(project: string, id: string, text: string, parameters: readonly RestQueryParameter[], send: (s: number, p: unknown) => void): Promise<void> {
    const statementType = statementTypeOf(text);
    const assertion = assertionOf(text);
    const duck = bigQueryFormsToDuckdb(fromBigQuerySql(assertion ? `SELECT (${assertion.condition})` : text, this.names));
    if (statementType !== 'SCRIPT' && statementType !== 'CREATE_TABLE') {
      const c = await this.db.connect();
      try {
        // Prepared and bound, never run: what a dry run validates.
        const prepared = await c.prepare(duck);
        prepared.bind(namedValues(duck, parameterValues(parameters)));
      } catch (err) {
        const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
        return send(400, { error: { code: 400, message, errors: [{ reason: 'invalidQuery', message }] } });
      } finally {
        c.closeSync();
      }
    }
    const bytes = String(await estimateBytes(this.db, duck));
    send(200, {
      kind: 'bigquery#job',
      jobReference: { projectId: project, jobId: id },
      configuration: { dryRun: true },
      status: { state: 'DONE' },
      statistics: { totalBytesProcessed: bytes, query: { statementType, totalBytesProcessed: bytes } },
    });
  }

  private async execute(job: FakeJob, upload?: Buffer): Promise<void> {
    const done = (statistics: Record<string, unknown>, errorResult?: { reason: string; message: string }) => {
      if (job.state === 'DONE') return; // cancelled meanwhile
      Object.assign(job.statistics, statistics, { endTime: String(Date.now()) });
      if (errorResult) job.errorResult = errorResult;
      job.state = 'DONE';
    };
    const text = job.query ?? '';
    const fault = this.jobFaults.find((f) => (f.times ?? 0) > 0 && f.match.test(text));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      return done({}, { reason: fault.reason, message: fault.message });
    }
    if (this.hanging.some((h) => h.test(text))) return; // stays RUNNING until cancelled
    if (this.finishingAtCancel.some((h) => h.test(text))) {
      await new Promise<void>((resolve) => (job.release = resolve));
      if (job.state === 'DONE') return; // the fake stopped meanwhile
    }
    const load = job.configuration['load'] as { destinationTable?: { datasetId: string; tableId: string }; sourceFormat?: string; skipLeadingRows?: number; writeDisposition?: string } | undefined;
    const query = job.configuration['query'] as { queryParameters?: RestQueryParameter[]; createSession?: boolean; connectionProperties?: { key: string; value: string }[]; scriptOptions?: { keyResultStatement?: string } } | undefined;
    const sessionId = query?.connectionProperties?.find((p) => p.key === 'session_id')?.value;
    let connection = sessionId ? this.sessions.get(sessionId) : undefined;
    if (sessionId && !connection) return done({}, { reason: 'invalidQuery', message: `Session ${sessionId} does not exist or has ended` });
    const own = !connection;
    connection ??= await this.db.connect();
    try {
      if (load && upload) {
        const table = `${this.names.schemaOf(load.destinationTable?.datasetId ?? '') ?? load.destinationTable?.datasetId}.${load.destinationTable?.tableId}`;
        const file = join(this.tmp, `${job.id}.${load.sourceFormat === 'PARQUET' ? 'parquet' : 'csv'}`);
        writeFileSync(file, upload);
        const rows = await executeLoad(connection, table, file, load.sourceFormat ?? 'CSV', load.skipLeadingRows ?? 0, load.writeDisposition === 'WRITE_TRUNCATE');
        return done({ load: { inputFiles: '1', inputFileBytes: String(upload.length), outputRows: String(rows) } });
      }
      if (/^\s*CALL\s+BQ\.ABORT_SESSION\s*\(\s*\)\s*;?\s*$/i.test(text) && sessionId) {
        await connection.run('ROLLBACK').catch(() => undefined);
        connection.closeSync();
        this.sessions.delete(sessionId);
        return done({ query: { statementType: 'CALL' } });
      }
      const outcome = await executeQuery({ connection, names: this.names, parameters: query?.queryParameters ?? [], ...(query?.scriptOptions?.keyResultStatement ? { keyResultStatement: query.scriptOptions.keyResultStatement } : {}), onTable: (t, layout) => this.tables.set(t, layout) }, text);
      const statistics: Record<string, unknown> = {
        totalBytesProcessed: String(await estimateBytes(this.db, fromBigQuerySql(text, this.names))),
        query: { statementType: outcome.statementType, numDmlAffectedRows: String(outcome.affectedRows) },
      };
      if (query?.createSession) {
        const id = randomUUID();
        this.sessions.set(id, connection);
        statistics['sessionInfo'] = { sessionId: id };
        connection = undefined; // kept for the session
      }
      if (outcome.result) job.result = outcome.result;
      done(statistics);
    } catch (err) {
      const failure = err instanceof FakeJobFailure ? err : new FakeJobFailure('internalError', err instanceof Error ? err.message : String(err));
      done({}, { reason: failure.reason, message: failure.message });
    } finally {
      if (own && connection) connection.closeSync();
    }
  }

  private queryResults(id: string, qs: Readonly<Record<string, string>>, send: (s: number, p: unknown) => void): void {
    const job = this.job(id);
    if (!job) return send(404, { error: { code: 404, message: `Not found: Job ${id}`, errors: [{ reason: 'notFound' }] } });
    const jobReference = job.resource['jobReference'];
    if (job.state !== 'DONE') return send(200, { kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false });
    if (job.errorResult) return send(400, { error: { code: 400, message: job.errorResult.message, errors: [job.errorResult] } });
    const rows = job.result?.rows ?? [];
    const start = qs['pageToken'] ? Number(qs['pageToken']) : Number(qs['startIndex'] ?? 0);
    const max = qs['maxResults'] ? Number(qs['maxResults']) : rows.length;
    const end = Math.min(rows.length, start + max);
    send(200, {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference,
      jobComplete: true,
      totalRows: String(rows.length),
      ...(job.result ? { schema: { fields: job.result.schema }, rows: rows.slice(start, end) } : {}),
      ...(end < rows.length ? { pageToken: String(end) } : {}),
    });
  }
}
