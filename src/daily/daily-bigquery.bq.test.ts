// One night of `courtside daily` on BigQuery: the official client against the fake REST server,
// which runs on a copy of the season so far (bulk ingest + Phase 4 through Nov 7). The fake executes
// every job on DuckDB, so the night proves the wiring; every query, DML and script the night sent —
// the landed ingest, the registry, Phase 4, the predictions and their model, the run history and
// the notifications — is then analyzed by ZetaSQL as BigQuery would receive it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../engine/config.js';
import { DEFAULT_FEED_CONFIG, type FeedConfig } from '../fetch/feed-config.js';
import { loadFeedFixture, type FeedFixture } from '../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from '../fetch/testing/feed-server.js';
import { PROCESSORS } from '../processors/index.js';
import type { TempWarehouse } from '../testing/memory-warehouse.js';
import { BigQueryWarehouse } from '../warehouse/bigquery/bigquery-warehouse.js';
import { FakeBigQuery } from '../warehouse/bigquery/testing/fake-bigquery-server.js';
import { catalogOf, recordBigQuery, unanalyzable } from '../warehouse/bigquery/testing/record-bigquery.js';
import { ZetaSql } from '../warehouse/bigquery/zetasql/zetasql-server.js';
import { runDailyLoop, type DailyLoopResult } from './run-daily-loop.js';
import { seasonSoFar } from './testing/season-so-far.js';

const KEY = 'nightly-key';
const NIGHT = '2021-11-08';
const SCHEMAS = ['nba_raw', 'nba_reference', 'nba_analytics', 'nba_precompute', 'nba_predictions', 'nba_processing', 'nba_staging'];

describe('daily on BigQuery: one night through the fake server, every statement analyzed by ZetaSQL', () => {
  let fixture: FeedFixture;
  let server: FeedServer;
  let season: TempWarehouse;
  let fake: FakeBigQuery;
  let zeta: ZetaSql;
  const cwd = mkdtempSync(join(tmpdir(), 'courtside-daily-bq-'));

  before(async () => {
    [fixture, season, zeta] = await Promise.all([loadFeedFixture({ from: '2021-11-04', to: NIGHT }), seasonSoFar('2021-11-07', { backfill: true }), ZetaSql.start()]);
    await season.release();
    fake = await FakeBigQuery.start({ duckdbPath: season.path });
    server = await startFeedServer(fixture, { today: NIGHT, apiKey: KEY });
  });
  after(async () => {
    zeta?.stop();
    await fake?.stop();
    await server?.close();
    await fixture?.close();
    await season?.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('the night succeeds and each statement it sent analyzes', { timeout: 900_000 }, async (t) => {
    const wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: '', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
    const feed: FeedConfig = {
      ...DEFAULT_FEED_CONFIG,
      ...server.urls,
      landingDir: join(cwd, 'landing'),
      oddsApiKey: KEY,
      http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 4_000, attempts: 3, baseDelayMs: 10, maxDelayMs: 50, minIntervalMs: 0 },
    };
    let result: DailyLoopResult | undefined;
    const sent = await recordBigQuery(async () => {
      result = await runDailyLoop(wh, { date: NIGHT, feed, engine: loadConfig({ cwd, env: {} }), processors: PROCESSORS, log: () => undefined });
    });
    t.diagnostic(result?.text ?? '');
    const tables = await catalogOf(fake, SCHEMAS, sent);
    const failures = await unanalyzable(zeta, sent, tables);
    t.diagnostic(`${sent.length} statements analyzed`);
    assert.deepEqual(failures, []);
    assert.equal(result?.exitCode, 0, result?.text);
  });
});
