// A night whose slate cannot be ingested (a bad odds file rolls the date back), or has nothing
// landed: the report must not say that the date has no games, or that it is already built.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../engine/config.js';
import { DEFAULT_FEED_CONFIG } from '../fetch/feed-config.js';
import { loadFeedFixture, type FeedFixture } from '../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from '../fetch/testing/feed-server.js';
import { PROCESSORS } from '../processors/index.js';
import type { TempWarehouse } from '../testing/memory-warehouse.js';
import { runDailyLoop } from './run-daily-loop.js';
import { seasonSoFar } from './testing/season-so-far.js';

const KEY = 'k';
const NIGHT = '2021-11-08';
let fixture: FeedFixture;
let server: FeedServer;
let wh: TempWarehouse;
let cwd: string;

before(async () => {
  [fixture, wh] = await Promise.all([loadFeedFixture({ from: '2021-11-05', to: NIGHT }), seasonSoFar('2021-11-07', { backfill: true })]);
  server = await startFeedServer(fixture, { today: NIGHT, apiKey: KEY });
  cwd = mkdtempSync(join(tmpdir(), 'courtside-daily-slate-'));
});
after(async () => {
  await server.close();
  await fixture.close();
  await wh.cleanup();
  rmSync(cwd, { recursive: true, force: true });
});

describe('courtside daily, the slate rolled back', () => {
  it('says the slate was not ingested, not that the date has no games', async () => {
    // One book's player_points outcome named 'Push': the slate's props file is refused, the date rolled back.
    server.patches = {
      eventOdds: (_id, doc) => {
        const books = doc['bookmakers'] as { markets: { outcomes: Record<string, unknown>[] }[] }[];
        const first = books[0]?.markets[0]?.outcomes[0];
        if (first) first['name'] = 'Push';
        return doc;
      },
    };
    const feed = {
      ...DEFAULT_FEED_CONFIG,
      ...server.urls,
      landingDir: join(cwd, 'landing'),
      oddsApiKey: KEY,
      http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 20_000, attempts: 2, baseDelayMs: 10, maxDelayMs: 50, minIntervalMs: 0 },
    };
    const r = await runDailyLoop(wh.wh, { date: NIGHT, feed, engine: loadConfig({ cwd, env: {} }), processors: PROCESSORS, log: () => undefined });
    assert.equal(r.report.ingests.find((i) => i.date === NIGHT)?.status, 'failed', r.text);
    assert.equal(r.exitCode, 1);
    assert.doesNotMatch(r.text, /has no scheduled games/);
    assert.match(r.report.phase4.decision, new RegExp(`${NIGHT}.*rolled back`));
    // The same night again: nothing new, and still not 'already built'.
    const again = await runDailyLoop(wh.wh, { date: NIGHT, feed, engine: loadConfig({ cwd, env: {} }), processors: PROCESSORS, log: () => undefined });
    assert.equal(again.exitCode, 1);
    assert.doesNotMatch(again.text, /already built|has no scheduled games/);
    assert.match(again.report.phase4.decision, new RegExp(`${NIGHT}.*rolled back`));
  });

  it('with nothing landed for the date, does not say the date is already built', async () => {
    const empty = { ...DEFAULT_FEED_CONFIG, ...server.urls, landingDir: join(cwd, 'empty-landing') };
    const r = await runDailyLoop(wh.wh, { date: '2021-11-09', feed: empty, engine: loadConfig({ cwd, env: {} }), processors: PROCESSORS, skipFetch: true, log: () => undefined });
    assert.ok(r.report.ingests.every((i) => i.status === 'nothing_landed'), r.text);
    assert.doesNotMatch(r.report.phase4.decision, /already built/);
    assert.match(r.report.phase4.decision, /no games of 2021-11-09 in the warehouse/);
  });
});
