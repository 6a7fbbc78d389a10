import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_FEED_CONFIG, type FeedConfig } from './feed-config.js';
import { fetchDates } from './fetch-dates.js';
import { createHttpClient } from './http-client.js';
import { landedInputs } from '../ingest/landing/landed-inputs.js';
import { readManifest, sha256 } from './landing-store.js';
import { eventIdOf, loadFeedFixture, type FeedFixture } from './testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from './testing/feed-server.js';

const KEY = 'test-odds-key-123';
let fixture: FeedFixture;
let server: FeedServer;
const dirs: string[] = [];

before(async () => {
  fixture = await loadFeedFixture({ from: '2021-11-01', to: '2021-11-02' });
  server = await startFeedServer(fixture, { today: '2021-11-02', apiKey: KEY });
});
after(async () => {
  await server.close();
  await fixture.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(() => {
  server.today = '2021-11-02';
  server.requests.length = 0;
  server.faults.length = 0;
  server.overrides.clear();
  server.patches = {};
});

function config(overrides: Partial<FeedConfig> = {}): FeedConfig {
  const landingDir = mkdtempSync(join(tmpdir(), 'courtside-landing-'));
  dirs.push(landingDir);
  return {
    ...DEFAULT_FEED_CONFIG,
    ...server.urls,
    landingDir,
    oddsApiKey: KEY,
    // No answer of the local server comes near 10 s, loaded machine or not; the one test that needs
    // a timeout gives only its slow request a short one.
    http: { ...DEFAULT_FEED_CONFIG.http, timeoutMs: 10_000, attempts: 4, baseDelayMs: 10, maxDelayMs: 50, minIntervalMs: 0 },
    ...overrides,
  };
}

const NOV1 = '2021-11-01';
const NOV2 = '2021-11-02';
const nov1Games = () => fixture.games.filter((g) => g.date === NOV1).map((g) => g.gameId);

describe('courtside fetch', () => {
  it('lands the schedule, every final game and the slate’s odds untouched, each with its manifest entry', async () => {
    const c = config();
    const s = await fetchDates({ config: c, dates: [NOV1], oddsDates: [NOV2] });
    assert.equal(s.schedule.source, 'fetched');
    const pbp = readdirSync(join(c.landingDir, 'nba-pbp', NOV1)).filter((f) => f !== 'manifest.json').sort();
    assert.deepEqual(pbp, nov1Games().map((g) => `${g}.json`).sort());
    assert.equal(pbp.length, 9);
    assert.deepEqual(readdirSync(join(c.landingDir, 'nba-schedule', NOV2)).sort(), ['manifest.json', 'scheduleLeagueV2.json']);
    assert.equal(readdirSync(join(c.landingDir, 'odds-player-props', NOV2)).filter((f) => f !== 'manifest.json').length, 5, 'one file per event of the slate');
    assert.ok(readFileSync(join(c.landingDir, 'odds-game-lines', NOV2, 'odds.json')).length > 100);

    // The manifest: URL, fetch time, status, checksum — and the bytes are the server's, untouched.
    const game = nov1Games()[0] as string;
    const entry = readManifest(c.landingDir, 'nba-pbp', NOV1).files[`${game}.json`];
    assert.ok(entry);
    assert.equal(entry.url, `${server.urls.nbaStatsBaseUrl}/playbyplayv3?GameID=${game}&StartPeriod=0&EndPeriod=0`);
    assert.equal(entry.status, 200);
    assert.equal(entry.complete, true);
    assert.ok(Math.abs(Date.parse(entry.fetchedAt) - Date.now()) < 60_000);
    const landed = readFileSync(join(c.landingDir, 'nba-pbp', NOV1, `${game}.json`));
    assert.equal(entry.sha256, sha256(landed));
    assert.equal(entry.bytes, landed.length);
    assert.ok(server.requests.every((r) => r.userAgent.startsWith('courtside/')), 'a descriptive User-Agent on every request');
    const direct = Buffer.from(await (await fetch(entry.url)).arrayBuffer());
    assert.ok(direct.equals(landed), 'landed body = the response body');

    // Secrets never land: the odds URLs are recorded with the key redacted.
    const odds = readManifest(c.landingDir, 'odds-game-lines', NOV2).files['odds.json'];
    assert.match(odds?.url ?? '', /apiKey=REDACTED/);
    assert.doesNotMatch(readFileSync(join(c.landingDir, 'odds-game-lines', NOV2, 'manifest.json'), 'utf8'), new RegExp(KEY));
  });

  it('re-fetching asks only for the schedule and changes nothing landed', async () => {
    const c = config();
    await fetchDates({ config: c, dates: [NOV1], oddsDates: [NOV2] });
    const manifests = () => ['nba-schedule/2021-11-02', 'nba-pbp/2021-11-01', 'odds-game-lines/2021-11-02'].map((d) => readFileSync(join(c.landingDir, d, 'manifest.json'), 'utf8'));
    const before = manifests();
    server.requests.length = 0;
    const again = await fetchDates({ config: c, dates: [NOV1], oddsDates: [NOV2] });
    assert.deepEqual(server.requests.map((r) => r.path), ['/static/json/staticData/scheduleLeagueV2.json']);
    assert.equal(again.files.filter((f) => f.source === 'nba-pbp' && f.outcome === 'skipped').length, 9);
    assert.equal(again.files.find((f) => f.source === 'nba-schedule')?.outcome, 'unchanged');
    assert.deepEqual(manifests(), before);
  });

  it('leaves a game in progress for a later fetch, reports a postponed one, and picks both up once final', async () => {
    const c = config({ oddsApiKey: undefined });
    const [live, postponed] = nov1Games() as [string, string];
    server.overrides.set(live, 'in_progress');
    server.overrides.set(postponed, 'postponed');
    const first = await fetchDates({ config: c, dates: [NOV1] });
    const day = first.dates.find((d) => d.date === NOV1);
    assert.deepEqual(day?.notFinal, [{ gameId: live, state: 'in_progress', statusText: 'Q4 2:31' }]);
    assert.deepEqual(day?.postponed, [postponed]);
    assert.equal(day?.final, 7);
    assert.ok(!server.requests.some((r) => r.path.includes(live) || r.path.includes(postponed)), 'neither is asked for');
    assert.equal(readdirSync(join(c.landingDir, 'nba-pbp', NOV1)).length, 7 + 1);
    server.overrides.clear();
    server.requests.length = 0;
    await fetchDates({ config: c, dates: [NOV1] });
    assert.deepEqual(server.requests.filter((r) => r.path.includes('playbyplayv3')).map((r) => new URL(r.path, 'http://x').searchParams.get('GameID')).sort(), [live, postponed].sort());
  });

  it('rides out a 429 with Retry-After, 500s and a slow answer; lands a truncated body as received and asks again next time', async () => {
    const c = config({ oddsApiKey: undefined });
    const [a, b, t] = nov1Games() as [string, string, string];
    server.faults.push(
      { match: 'scheduleLeagueV2', times: 1, fault: { kind: 'status', status: 429, retryAfter: '1' } },
      { match: `GameID=${a}`, times: 2, fault: { kind: 'status', status: 500 } },
      { match: `GameID=${b}`, times: 1, fault: { kind: 'slow', delayMs: 3_500 } },
      { match: `GameID=${t}`, fault: { kind: 'truncate' } },
    );
    // The client times out after 2 s, but only the slow request carries that deadline: every other
    // request goes out without it, so a slow machine cannot make one of them time out (and be asked
    // again) instead.
    let slowAsked = false;
    const onlySlowTimed: typeof fetch = (input, init) => {
      const isSlow = !slowAsked && String(input).includes(`GameID=${b}`);
      slowAsked ||= isSlow;
      return fetch(input, isSlow ? init : { ...init, signal: null });
    };
    const client = createHttpClient({ ...c.http, timeoutMs: 2_000 }, { fetch: onlySlowTimed });
    const s = await fetchDates({ config: c, dates: [NOV1], client });
    assert.equal(s.schedule.source, 'fetched');
    const schedule = server.requests.filter((r) => r.path.includes('scheduleLeagueV2'));
    assert.deepEqual(schedule.map((r) => r.status), [429, 200]);
    assert.ok(schedule[1]!.at - schedule[0]!.at >= 950, 'waited the Retry-After second');
    assert.deepEqual(server.requests.filter((r) => r.path.includes(a)).map((r) => r.status), [500, 500, 200]);
    assert.equal(server.requests.filter((r) => r.path.includes(b)).length, 2, 'the slow answer timed out and was asked again');
    const truncated = readManifest(c.landingDir, 'nba-pbp', NOV1).files[`${t}.json`];
    assert.equal(truncated?.validJson, false);
    assert.equal(truncated?.complete, false);
    assert.match(truncated?.note ?? '', /not valid JSON/);
    assert.equal(server.requests.filter((r) => r.path.includes(t)).length, 4, 'retried up to the attempt limit');
    assert.equal(readManifest(c.landingDir, 'nba-pbp', NOV1).files[`${a}.json`]?.complete, true);

    server.faults.length = 0;
    server.requests.length = 0;
    await fetchDates({ config: c, dates: [NOV1] });
    assert.deepEqual(server.requests.filter((r) => r.path.includes('playbyplayv3')).map((r) => r.path.includes(t)), [true], 'only the truncated game is asked for again');
    assert.equal(readManifest(c.landingDir, 'nba-pbp', NOV1).files[`${t}.json`]?.complete, true);
  });

  it('asks for no odds without an API key, and records a rejected key as a failed fetch', async () => {
    const none = await fetchDates({ config: config({ oddsApiKey: undefined }), dates: [NOV1], oddsDates: [NOV2] });
    assert.equal(none.oddsConfigured, false);
    assert.ok(!server.requests.some((r) => r.path.startsWith('/v4/')));
    const wrong = await fetchDates({ config: config({ oddsApiKey: 'not-the-key' }), dates: [], oddsDates: [NOV2] });
    const failed = wrong.files.find((f) => f.source === 'odds-events');
    assert.equal(failed?.outcome, 'failed');
    assert.equal(failed?.detail, 'HTTP 401');
    assert.equal(wrong.dates.find((d) => d.date === NOV2)?.oddsFetched, false);
  });

  it('asks again, next time, for an event’s props that failed for good or came back truncated, and says the odds are incomplete until they land', async () => {
    const c = config();
    const nov2 = fixture.games.filter((g) => g.date === NOV2).map((g) => g.gameId);
    const [lost, cut] = [eventIdOf(nov2[0] as string), eventIdOf(nov2[1] as string)];
    server.faults.push({ match: `/events/${lost}/odds`, fault: { kind: 'status', status: 500 } }, { match: `/events/${cut}/odds`, fault: { kind: 'truncate' } });
    const first = await fetchDates({ config: c, dates: [], oddsDates: [NOV2] });
    assert.equal(first.files.find((f) => f.source === 'odds-player-props' && f.file === `${lost}.json`)?.outcome, 'failed');
    assert.equal(readManifest(c.landingDir, 'odds-player-props', NOV2).files[`${cut}.json`]?.complete, false, 'a truncated body lands as received');
    assert.equal(first.dates.find((d) => d.date === NOV2)?.oddsFetched, false);

    server.faults.length = 0;
    server.requests.length = 0;
    const second = await fetchDates({ config: c, dates: [], oddsDates: [NOV2] });
    assert.deepEqual(
      server.requests.filter((r) => r.path.startsWith('/v4/')).map((r) => new URL(r.path, 'http://x').pathname).sort(),
      [lost, cut].map((id) => `/v4/sports/basketball_nba/events/${id}/odds`).sort(),
      'only the failed and the truncated events are asked for again',
    );
    for (const id of [lost, cut]) assert.equal(readManifest(c.landingDir, 'odds-player-props', NOV2).files[`${id}.json`]?.complete, true);
    assert.equal(second.dates.find((d) => d.date === NOV2)?.oddsFetched, true);

    server.requests.length = 0;
    const third = await fetchDates({ config: c, dates: [], oddsDates: [NOV2] });
    assert.ok(!server.requests.some((r) => r.path.startsWith('/v4/')), 'complete odds are not asked for again');
    assert.equal(third.dates.find((d) => d.date === NOV2)?.oddsFetched, true);
  });

  it('asks again for failed game lines without asking again for the props that landed complete', async () => {
    const c = config();
    server.faults.push({ match: '/v4/sports/basketball_nba/odds?', fault: { kind: 'status', status: 500 } });
    const first = await fetchDates({ config: c, dates: [], oddsDates: [NOV2] });
    assert.equal(first.dates.find((d) => d.date === NOV2)?.oddsFetched, false);
    assert.equal(first.files.filter((f) => f.source === 'odds-player-props' && f.outcome === 'new').length, 5);
    server.faults.length = 0;
    server.requests.length = 0;
    const second = await fetchDates({ config: c, dates: [], oddsDates: [NOV2] });
    assert.deepEqual(server.requests.filter((r) => r.path.startsWith('/v4/')).map((r) => new URL(r.path, 'http://x').pathname), ['/v4/sports/basketball_nba/events', '/v4/sports/basketball_nba/odds']);
    assert.equal(second.dates.find((d) => d.date === NOV2)?.oddsFetched, true);
  });

  it('keeps a complete landed file when a later answer is truncated or fails, and says which landed copy of the schedule it used', async () => {
    const c = config({ oddsApiKey: undefined });
    const t = nov1Games()[0] as string;
    await fetchDates({ config: c, dates: [NOV1] });
    const schedulePath = join(c.landingDir, 'nba-schedule', NOV1, 'scheduleLeagueV2.json');
    const gamePath = join(c.landingDir, 'nba-pbp', NOV1, `${t}.json`);
    const [schedule, game] = [readFileSync(schedulePath), readFileSync(gamePath)];

    // The schedule server down on a second run the same day: the copy landed earlier that day is used.
    server.faults.push({ match: 'scheduleLeagueV2', fault: { kind: 'status', status: 503 } });
    const down = await fetchDates({ config: c, dates: [NOV1] });
    assert.deepEqual({ source: down.schedule.source, date: down.schedule.date }, { source: 'landed', date: NOV1 });
    assert.equal(down.dates.find((d) => d.date === NOV1)?.final, 9);

    // Truncated answers to a forced re-fetch: the complete files stay, the attempts are recorded.
    server.faults.length = 0;
    server.faults.push({ match: 'scheduleLeagueV2', fault: { kind: 'truncate' } }, { match: `GameID=${t}`, fault: { kind: 'truncate' } });
    const cut = await fetchDates({ config: c, dates: [NOV1], force: true });
    assert.ok(readFileSync(schedulePath).equals(schedule), 'the complete schedule copy is kept');
    assert.ok(readFileSync(gamePath).equals(game), 'the complete play-by-play is kept');
    assert.equal(readManifest(c.landingDir, 'nba-pbp', NOV1).files[`${t}.json`]?.complete, true);
    assert.match(readManifest(c.landingDir, 'nba-pbp', NOV1).failures.at(-1)?.error ?? '', /not valid JSON/);
    assert.equal(cut.files.find((f) => f.source === 'nba-pbp' && f.file === `${t}.json`)?.outcome, 'failed');
    assert.deepEqual({ source: cut.schedule.source, date: cut.schedule.date }, { source: 'landed', date: NOV1 });
    assert.equal(cut.dates.find((d) => d.date === NOV1)?.final, 9);
  });

  it('reads a date’s games from the schedule fetched last, not from the copy filed under the latest date', async () => {
    const c = config({ oddsApiKey: undefined });
    // On Nov 1, the Nov 2 slate fetched early (the copy is filed under Nov 2, Nov 1's games not played yet)...
    server.today = NOV1;
    await fetchDates({ config: c, dates: [], oddsDates: [NOV2] });
    // ...then on Nov 2, Nov 1's finals (the copy is filed under Nov 1).
    server.today = NOV2;
    const s = await fetchDates({ config: c, dates: [NOV1] });
    assert.equal(s.dates.find((d) => d.date === NOV1)?.final, 9);
    const landed = landedInputs(c.landingDir, NOV1);
    assert.equal(landed.schedulePath, join(c.landingDir, 'nba-schedule', NOV1, 'scheduleLeagueV2.json'));
    assert.deepEqual(landed.games.map((g) => g.state), nov1Games().map(() => 'final'));
    assert.equal(landed.playByPlay.size, 9, 'every final game is ingested');
  });
});
