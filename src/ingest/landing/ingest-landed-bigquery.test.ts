// The incremental ingest of landed files on BigQuery (the official client against the fake REST
// server on 127.0.0.1): a date whose games are still to be played (tonight's slate: no scores yet)
// writes its schedule rows with NULL points. BigQuery needs a type for every NULL parameter; the
// schedule INSERT declared none, so every slate date failed there ("$home_points: is NULL") while
// DuckDB ingested it.
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
import { migrate } from '../../warehouse/migrate.js';
import { ingestLandedDate } from './ingest-landed.js';

const NOV1 = '2021-11-01';
const NOV2 = '2021-11-02';

describe('incremental ingest of landed files on BigQuery', () => {
  let fake: FakeBigQuery;
  let fixture: FeedFixture;
  let server: FeedServer;
  const landingDir = mkdtempSync(join(tmpdir(), 'courtside-landing-bq-'));

  before(async () => {
    fake = await FakeBigQuery.start({ datasetPrefix: 'landed_' });
    fixture = await loadFeedFixture({ from: NOV1, to: NOV2 });
    server = await startFeedServer(fixture, { today: NOV2, apiKey: 'k' });
    const config: FeedConfig = {
      ...DEFAULT_FEED_CONFIG,
      ...server.urls,
      landingDir,
      oddsApiKey: 'k',
      http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 5_000, attempts: 2, baseDelayMs: 5, maxDelayMs: 10, minIntervalMs: 0 },
    };
    await fetchDates({ config, dates: [NOV1], oddsDates: [NOV2] }); // Nov 1's finals, the Nov 2 slate
  });
  after(async () => {
    await server.close();
    await fixture.close();
    await fake.stop();
    rmSync(landingDir, { recursive: true, force: true });
  });

  it("ingests a slate of games not played yet: their schedule rows, points NULL", async () => {
    const wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: 'landed_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
    await migrate(wh);
    const options = { landingDir, runId: 'incr', bookmakers: DEFAULT_FEED_CONFIG.bookmakers };
    const nov1 = await ingestLandedDate(wh, NOV1, options);
    assert.equal(nov1.status, 'ingested', nov1.error);
    const nov2 = await ingestLandedDate(wh, NOV2, options);
    assert.equal(nov2.status, 'ingested', nov2.error);
    assert.equal(nov2.games.notFinal.length, 5);
    const rows = await wh.query<{ n: number; scored: number }>(
      `SELECT count(*) AS n, count(home_points) + count(away_points) AS scored FROM nba_reference.schedule WHERE game_date = CAST($d AS DATE)`,
      { d: NOV2 },
    );
    assert.deepEqual(rows, [{ n: 5, scored: 0 }]);
  });
});
