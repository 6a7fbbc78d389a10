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
import { DEFAULT_FEED_CONFIG, type FeedConfig } from '../../fetch/feed-config.js';
import { fetchDates } from '../../fetch/fetch-dates.js';
import { loadFeedFixture, type FeedFixture } from '../../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from '../../fetch/testing/feed-server.js';
import { BigQueryWarehouse } from '../../warehouse/bigquery/bigquery-warehouse.js';
import { FakeBigQuery } from '../../warehouse/bigquery/testing/fake-bigquery-server.js';
import { catalogOf, recordBigQuery, unanalyzable } from '../../warehouse/bigquery/testing/record-bigquery.js';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import { migrate } from '../../warehouse/migrate.js';
import { ingestLandedDate } from './ingest-landed.js';

const NOV1 = '2021-11-01';
const NOV2 = '2021-11-02';

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
    const options = { landingDir, runId: 'incr', bookmakers: DEFAULT_FEED_CONFIG.bookmakers };
    const results: string[] = [];
    const sent = await recordBigQuery(async () => {
      await migrate(wh); // its reads and writes of the schema's meta row too
      for (const date of [NOV1, NOV2]) {
        const r = await ingestLandedDate(wh, date, options);
        results.push(`${date} ${r.status}${r.error ? `: ${r.error}` : ''}`);
      }
    });
    assert.deepEqual(results, [`${NOV1} ingested`, `${NOV2} ingested`]);

    const tables = await catalogOf(fake, ['nba_raw', 'nba_reference', 'nba_analytics', 'nba_precompute', 'nba_predictions', 'nba_processing', 'nba_staging'], sent);
    const failures = await unanalyzable(zeta, sent, tables);
    t.diagnostic(`${sent.length} statements analyzed`);
    assert.ok(sent.length > 20, `${sent.length} statements`);
    assert.deepEqual(failures, []);
  });
});
