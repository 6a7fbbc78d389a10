// Every statement the incremental (landed-date) ingest sends to BigQuery, analyzed by BigQuery's
// reference analyzer (ZetaSQL). The ingest runs on the official client against the fake REST server
// (which executes on DuckDB, so it proves the wiring but not the dialect): Nov 1's finals, then the
// Nov 2 slate (scheduled games, odds and prop lines); each query, DML and script it sent is then
// analyzed as BigQuery would receive it, with its parameters typed as the warehouse types them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ENGINE_DDL } from '../../engine/schema.js';
import { DEFAULT_FEED_CONFIG, type FeedConfig } from '../../fetch/feed-config.js';
import { fetchDates } from '../../fetch/fetch-dates.js';
import { loadFeedFixture, type FeedFixture } from '../../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from '../../fetch/testing/feed-server.js';
import { PROCESSOR_DDL } from '../../processors/schema.js';
import { BigQueryWarehouse } from '../../warehouse/bigquery/bigquery-warehouse.js';
import { parseDdl, tablesOf, type TableDef } from '../../warehouse/bigquery/parse-ddl.js';
import { FakeBigQuery } from '../../warehouse/bigquery/testing/fake-bigquery-server.js';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import { migrate } from '../../warehouse/migrate.js';
import type { ParamType, QueryOptions, SqlParams } from '../../warehouse/warehouse.js';
import { INGEST_DDL } from '../schema.js';
import { ingestLandedDate } from './ingest-landed.js';

const NOV1 = '2021-11-01';
const NOV2 = '2021-11-02';

interface Sent {
  readonly sql: string;
  readonly params: SqlParams | undefined;
  readonly paramTypes: Readonly<Record<string, ParamType>> | undefined;
}

/** Records every query, exec and script of every BigQueryWarehouse (session views included) while `work` runs. */
async function recording(work: () => Promise<void>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const proto = BigQueryWarehouse.prototype;
  const original = { query: proto.query, exec: proto.exec, script: proto.script };
  const record = (sql: string, params: SqlParams | undefined, o: QueryOptions | undefined) => sent.push({ sql, params, paramTypes: o?.paramTypes });
  proto.query = function (this: BigQueryWarehouse, sql: string, params?: SqlParams, o?: QueryOptions) {
    record(sql, params, o);
    return original.query.call(this, sql, params, o);
  } as typeof proto.query;
  proto.exec = function (this: BigQueryWarehouse, sql: string, params?: SqlParams, o?: QueryOptions) {
    record(sql, params, o);
    return original.exec.call(this, sql, params, o);
  };
  proto.script = function (this: BigQueryWarehouse, statements: readonly string[], params?: SqlParams, o?: QueryOptions) {
    record(statements.join(';\n'), params, o);
    return original.script.call(this, statements, params, o);
  };
  try {
    await work();
  } finally {
    Object.assign(proto, original);
  }
  return sent;
}

describe('incremental ingest: every statement it sends to BigQuery analyzes (ZetaSQL)', () => {
  let fake: FakeBigQuery;
  let fixture: FeedFixture;
  let server: FeedServer;
  let zeta: ZetaSql;
  const landingDir = mkdtempSync(join(tmpdir(), 'courtside-landing-zeta-'));

  before(async () => {
    [fake, fixture, zeta] = await Promise.all([FakeBigQuery.start({ datasetPrefix: 'lz_' }), loadFeedFixture({ from: NOV1, to: NOV2 }), ZetaSql.start()]);
    server = await startFeedServer(fixture, { today: NOV2, apiKey: 'k' });
    const config: FeedConfig = {
      ...DEFAULT_FEED_CONFIG,
      ...server.urls,
      landingDir,
      oddsApiKey: 'k',
      http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 5_000, attempts: 2, baseDelayMs: 5, maxDelayMs: 10, minIntervalMs: 0 },
    };
    await fetchDates({ config, dates: [NOV1], oddsDates: [NOV2] });
  });
  after(async () => {
    zeta?.stop();
    await server?.close();
    await fixture?.close();
    await fake?.stop();
    rmSync(landingDir, { recursive: true, force: true });
  });

  it('Nov 1 finals and the Nov 2 slate: each query, DML and script analyzes as BigQuery receives it', { timeout: 600_000 }, async (t) => {
    const wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: 'lz_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
    await migrate(wh);
    const options = { landingDir, runId: 'incr', bookmakers: DEFAULT_FEED_CONFIG.bookmakers };
    const results: string[] = [];
    const sent = await recording(async () => {
      for (const date of [NOV1, NOV2]) {
        const r = await ingestLandedDate(wh, date, options);
        results.push(`${date} ${r.status}${r.error ? `: ${r.error}` : ''}`);
      }
    });
    assert.deepEqual(results, [`${NOV1} ingested`, `${NOV2} ingested`]);

    // The catalog: every table of the schemas, the views as tables (ZetaSQL's catalog has none; their
    // columns as DuckDB describes them in the fake), and the staging tables the ingest created.
    const parsed = parseDdl(`${INGEST_DDL}\n${ENGINE_DDL}\n${PROCESSOR_DDL}`);
    const ddl = parsed.filter((s) => s.kind !== 'view').map((s) => `${s.sql};`);
    for (const v of parsed.filter((s) => s.kind === 'view')) {
      const cols = await fake.sql(`SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = '${v.schema}' AND table_name = '${v.name}' ORDER BY ordinal_position`);
      ddl.push(`CREATE TABLE IF NOT EXISTS ${v.schema}.${v.name} (${cols.map((c) => `${String(c['c'])} ${String(c['t'])}`).join(', ')});`);
    }
    for (const s of sent) {
      const m = /^\s*CREATE OR REPLACE TABLE (nba_staging\.[a-z_0-9]+) (\([\s\S]*\))\s*$/i.exec(s.sql);
      if (m) ddl.push(`CREATE TABLE IF NOT EXISTS ${m[1]} ${m[2]};`);
    }
    const tables: TableDef[] = [...tablesOf(`CREATE SCHEMA IF NOT EXISTS nba_staging;\n${ddl.join('\n')}`).values()];

    const failures: string[] = [];
    for (const [i, s] of sent.entries()) {
      try {
        await zeta.analyze(s.sql, tables, s.params, s.paramTypes);
      } catch (err) {
        failures.push(`statement ${i + 1}: ${(err as Error).message.split('\n')[0]}\n  ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
      }
    }
    t.diagnostic(`${sent.length} statements analyzed`);
    assert.ok(sent.length > 20, `${sent.length} statements`);
    assert.deepEqual(failures, []);
  });
});
