// Submits BigQuery jobs and waits for them: client-chosen job ids (a retried insert that reached the
// server finds its job instead of starting a second one), bounded retries with backoff for
// transient failures (HTTP 429/5xx, rateLimitExceeded, backendError), the engine's timeout as the
// job's own jobTimeoutMs plus a client-side deadline that cancels the job (jobs.cancel) and raises
// QueryTimeoutError unless the job turns out to have finished first, and a count of every job submitted.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BigQuery, Job } from '@google-cloud/bigquery';
import { QueryTimeoutError } from '../../core/errors.js';
import type { Row } from '../warehouse.js';
import { BigQueryJobError, classifyBigQueryError, JobStateUnknownError, TransactionConflictError } from './bigquery-errors.js';
import { parseRows, type SchemaField } from './result-rows.js';

export interface RetrySettings {
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BIGQUERY_RETRY: RetrySettings = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

/** The REST Job resource, as far as we read it. */
export interface JobResource {
  readonly jobReference?: { readonly jobId?: string; readonly location?: string };
  readonly status?: { readonly state?: string; readonly errorResult?: { readonly reason?: string; readonly message?: string } };
  readonly statistics?: {
    readonly totalBytesProcessed?: string;
    readonly query?: { readonly statementType?: string; readonly totalBytesProcessed?: string; readonly numDmlAffectedRows?: string };
    readonly load?: { readonly outputRows?: string };
    readonly sessionInfo?: { readonly sessionId?: string };
  };
}

export interface JobRequest {
  /** What the job is for (counted by kind): query, script, ddl, load, session. */
  readonly kind: string;
  /** SQL (or a description) for error messages. */
  readonly text: string;
  /** REST JobConfiguration without labels/jobTimeoutMs (the runner adds them). */
  readonly configuration: Record<string, unknown>;
  readonly labels: Readonly<Record<string, string>>;
  /** 0 = no timeout. */
  readonly timeoutMs: number;
  /** Fetch result rows once the job is done. */
  readonly wantRows: boolean;
  /** A local file to upload with the job (load jobs, multipart upload). */
  readonly uploadFile?: string;
  /** Resubmit the whole job when BigQuery aborts it for a concurrent transaction (scripts: it rolled back). */
  readonly retryConflicts?: boolean;
}

export interface JobOutcome {
  readonly jobId: string;
  readonly metadata: JobResource;
  readonly rows: Row[];
}

export interface JobRecord {
  readonly jobId: string;
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly statementType: string | undefined;
  readonly bytesProcessed: number;
}

/** Every job this warehouse submitted (retries included: each is a job BigQuery ran or began). */
export class JobStats {
  readonly jobs: JobRecord[] = [];
  dryRuns = 0;
  get count(): number {
    return this.jobs.length;
  }
  get bytesProcessed(): number {
    return this.jobs.reduce((s, j) => s + j.bytesProcessed, 0);
  }
  countByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const j of this.jobs) out[j.kind] = (out[j.kind] ?? 0) + 1;
    return out;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function backoff(policy: RetrySettings, attempt: number): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return delay / 2 + Math.random() * (delay / 2);
}

/** BigQuery label rules: lower-case letters, digits, '_' and '-', at most 63 characters, keys start with a letter. */
export function normaliseLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const key = clean(k).replace(/^[^a-z]+/, '');
    if (key) out[key] = clean(v);
  }
  return out;
}

export interface JobRunnerOptions {
  readonly projectId: string;
  readonly location?: string;
  readonly apiEndpoint: string;
  readonly retry: RetrySettings;
  /** First status poll after this many ms, growing to 1 s. */
  readonly pollMs?: number;
  /** After a timeout's jobs.cancel, how long to wait for the job's final state (default 60 s). */
  readonly cancelSettleMs?: number;
}

export class JobRunner {
  readonly stats = new JobStats();

  constructor(
    private readonly client: BigQuery,
    private readonly options: JobRunnerOptions,
  ) {}

  /** Retries one HTTP call on transient failures (bounded, with backoff). */
  async http<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (attempt >= this.options.retry.attempts || classifyBigQueryError(err) !== 'transient') throw err;
        await sleep(backoff(this.options.retry, attempt));
      }
    }
  }

  /**
   * Runs a job to completion; resubmits it when it failed transiently or, if asked, by a conflict —
   * but only when that is known to be safe: the job finished with that errorResult (it did not run;
   * a new id), or jobs.insert never got an answer (the same id again: a 409 then finds the job if it
   * was created after all). Once BigQuery has accepted the job, a failure to read its state or its
   * results says nothing about the job, which may have run: it is reported, never resubmitted (a
   * load would append twice, a DML run twice).
   */
  async run(request: JobRequest): Promise<JobOutcome> {
    let jobId = this.newJobId(request.kind);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(request, jobId);
      } catch (err) {
        if (err instanceof JobStateUnknownError) throw err;
        if (err instanceof BigQueryJobError && err.jobId === jobId) jobId = this.newJobId(request.kind); // it ran and failed: a new job
        const kind = classifyBigQueryError(err);
        const again = kind === 'transient' || (kind === 'conflict' && request.retryConflicts === true);
        if (attempt >= this.options.retry.attempts || !again) {
          if (kind === 'conflict' && !(err instanceof TransactionConflictError)) throw new TransactionConflictError(err instanceof Error ? err.message : String(err), { cause: err });
          throw err;
        }
        await sleep(backoff(this.options.retry, attempt));
      }
    }
  }

  /** A dry-run job: validated and priced, never run, not counted as a job. */
  async dryRun(configuration: Record<string, unknown>, labels: Readonly<Record<string, string>>, text: string): Promise<JobResource> {
    const body = { configuration: { ...configuration, dryRun: true, labels: normaliseLabels(labels) } };
    try {
      const [, resource] = (await this.http(() => this.client.createJob({ ...body, jobId: this.newJobId('dryrun'), ...this.locationOption() } as never))) as unknown as [Job, JobResource];
      this.stats.dryRuns++;
      return resource;
    } catch (err) {
      this.stats.dryRuns++;
      // A dry run of invalid SQL is an HTTP 400 with reason invalidQuery: report it like a failed job.
      const first = (err as { code?: unknown; errors?: { reason?: string; message?: string }[] }).errors?.[0];
      if ((err as { code?: unknown }).code === 400 && first?.reason) throw new BigQueryJobError('dry run', first.reason, first.message ?? String(err), text);
      throw this.jobErrorFrom(err, 'dry run', text) ?? err;
    }
  }

  private locationOption(): { location?: string } {
    return this.options.location ? { location: this.options.location } : {};
  }

  private newJobId(kind: string): string {
    return `courtside_${kind}_${randomUUID().replace(/-/g, '')}`;
  }

  /** An API error whose response is a finished job with an errorResult → BigQueryJobError. */
  private jobErrorFrom(err: unknown, jobId: string, text: string): BigQueryJobError | undefined {
    const response = (err as { response?: JobResource } | null)?.response;
    const result = response?.status?.errorResult;
    if (!result) return undefined;
    return new BigQueryJobError(response?.jobReference?.jobId ?? jobId, result.reason ?? 'unknown', result.message ?? 'no message', text);
  }

  private async runOnce(request: JobRequest, jobId: string): Promise<JobOutcome> {
    const configuration: Record<string, unknown> = { ...request.configuration, labels: normaliseLabels(request.labels) };
    if (request.timeoutMs > 0) configuration['jobTimeoutMs'] = String(request.timeoutMs);
    const started = Date.now();
    const job = this.client.job(jobId, this.locationOption());
    let metadata = await this.insert(jobId, configuration, request);
    if (!this.stats.jobs.some((j) => j.jobId === jobId)) this.stats.jobs.push({ jobId, kind: request.kind, labels: configuration['labels'] as Record<string, string>, statementType: undefined, bytesProcessed: 0 });
    let poll = this.options.pollMs ?? 100;
    while (metadata.status?.state !== 'DONE') {
      const left = request.timeoutMs > 0 ? request.timeoutMs - (Date.now() - started) : Infinity;
      if (left <= 0) {
        metadata = await this.cancelAndSettle(job, jobId, request);
        break; // it finished between the last poll and the cancel: its outcome stands
      }
      await sleep(Math.min(poll, left));
      poll = Math.min(1_000, poll * 1.5);
      [metadata] = (await this.http(() => job.getMetadata()).catch((err: unknown) => {
        throw new JobStateUnknownError(jobId, 'its status could not be read', request.text, err);
      })) as unknown as [JobResource];
    }
    const record = this.stats.jobs.find((j) => j.jobId === jobId);
    if (record) {
      const i = this.stats.jobs.indexOf(record);
      this.stats.jobs[i] = { ...record, statementType: metadata.statistics?.query?.statementType, bytesProcessed: Number(metadata.statistics?.totalBytesProcessed ?? metadata.statistics?.query?.totalBytesProcessed ?? 0) };
    }
    const error = metadata.status?.errorResult;
    if (error) {
      const jobError = new BigQueryJobError(jobId, error.reason ?? 'unknown', error.message ?? 'no message', request.text);
      if (classifyBigQueryError(jobError) === 'timeout') throw new QueryTimeoutError(request.timeoutMs, request.text);
      throw jobError;
    }
    const rows = request.wantRows
      ? await this.results(job).catch((err: unknown) => {
          throw new JobStateUnknownError(jobId, 'it finished but its results could not be read', request.text, err);
        })
      : [];
    return { jobId, metadata, rows };
  }

  /**
   * The deadline passed: jobs.cancel, then wait (bounded) for the job's final state. A script can
   * reach COMMIT between the last poll and the cancel; reporting a timeout then would record a
   * failure for work that is committed. So: stopped with an error → QueryTimeoutError; finished
   * cleanly → its metadata, handled as any finished job; still running or unreadable after the
   * bound → JobStateUnknownError (it may yet commit, so nothing may assume it rolled back).
   */
  private async cancelAndSettle(job: Job, jobId: string, request: JobRequest): Promise<JobResource> {
    await this.http(() => job.cancel()).catch(() => undefined); // best effort: jobTimeoutMs stops it anyway
    const bound = this.options.cancelSettleMs ?? 60_000;
    const started = Date.now();
    let poll = this.options.pollMs ?? 100;
    let lastError: unknown;
    for (;;) {
      try {
        const [metadata] = (await this.http(() => job.getMetadata())) as unknown as [JobResource];
        if (metadata.status?.state === 'DONE') {
          if (metadata.status.errorResult) throw new QueryTimeoutError(request.timeoutMs, request.text);
          return metadata;
        }
        lastError = new Error(`still running ${Math.round((Date.now() - started) / 1000)} s after jobs.cancel`);
      } catch (err) {
        if (err instanceof QueryTimeoutError) throw err;
        lastError = err;
      }
      if (Date.now() - started >= bound) {
        throw new JobStateUnknownError(jobId, `was cancelled after its ${request.timeoutMs} ms timeout and its final state could not be read`, request.text, lastError);
      }
      await sleep(poll);
      poll = Math.min(1_000, poll * 1.5);
    }
  }

  /** jobs.insert (or the multipart upload of a load job), retried with the same job id. */
  private async insert(jobId: string, configuration: Record<string, unknown>, request: JobRequest): Promise<JobResource> {
    const reference = { projectId: this.options.projectId, jobId, ...this.locationOption() };
    const insertOnce = async (): Promise<JobResource> => {
      if (request.uploadFile) return this.upload({ jobReference: reference, configuration }, request.uploadFile);
      const [, resource] = (await this.client.createJob({ configuration, jobId, ...this.locationOption() } as never)) as unknown as [Job, JobResource];
      return resource;
    };
    try {
      return await this.http(async () => {
        try {
          return await insertOnce();
        } catch (err) {
          // The job exists but already failed (the client library throws on a resource with errors):
          // hand it back, so that its errorResult is judged like any finished job's.
          const response = (err as { response?: JobResource }).response;
          if (response?.status?.state === 'DONE' && response.status.errorResult) return response;
          // 409: an earlier attempt created the job after all; carry on with it.
          if ((err as { code?: unknown }).code === 409) return (await this.client.job(jobId, this.locationOption()).getMetadata())[0] as JobResource;
          throw err;
        }
      });
    } catch (err) {
      throw this.jobErrorFrom(err, jobId, request.text) ?? err;
    }
  }

  /** Multipart upload: the job resource and the file's bytes in one request (as the client library does). */
  private upload(resource: Record<string, unknown>, file: string): Promise<JobResource> {
    const request = this.client.makeAuthenticatedRequest as unknown as (opts: Record<string, unknown>, cb: (err: Error | null, body?: unknown) => void) => void;
    return new Promise((resolve, reject) => {
      request(
        {
          method: 'POST',
          uri: `${this.options.apiEndpoint}/upload/bigquery/v2/projects/${this.options.projectId}/jobs`,
          qs: { uploadType: 'multipart' },
          multipart: [
            { 'Content-Type': 'application/json', body: JSON.stringify(resource) },
            { 'Content-Type': 'application/octet-stream', body: createReadStream(file) },
          ],
        },
        (err, body) => (err ? reject(err) : resolve(body as JobResource)),
      );
    });
  }

  /** All result pages, parsed against the result schema. */
  private async results(job: Job): Promise<Row[]> {
    const rows: Row[] = [];
    let pageToken: string | undefined;
    do {
      const options = { skipParsing: true, autoPaginate: false, maxResults: 100_000, ...(pageToken ? { pageToken } : {}) };
      const [page, , response] = (await this.http(() => job.getQueryResults(options))) as unknown as [unknown[], unknown, { schema?: { fields?: SchemaField[] }; pageToken?: string }];
      rows.push(...parseRows(response?.schema?.fields ?? [], (page ?? []) as { f?: { v?: unknown }[] }[]));
      pageToken = response?.pageToken;
    } while (pageToken);
    return rows;
  }
}
