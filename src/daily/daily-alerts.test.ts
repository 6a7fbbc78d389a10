import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FetchSummary } from '../fetch/fetch-dates.js';
import type { LandedDateIngest } from '../ingest/landing/ingest-landed.js';
import { dailyAlerts } from './daily-alerts.js';

const D = '2021-11-09';

function ingest(date: string, over: Partial<LandedDateIngest> = {}, games: Partial<LandedDateIngest['games']> = {}): LandedDateIngest {
  return {
    date,
    status: 'ingested',
    fingerprint: 'f',
    games: { scheduled: 3, final: 3, loaded: 3, missing: [], notFinal: [], postponed: [], ...games },
    actionsRead: 0,
    rowsLoaded: 0,
    duplicatesDropped: 0,
    newPlayers: 0,
    playerGames: 0,
    contextDates: 0,
    reachesFrom: null,
    playerContexts: 0,
    teamContexts: 0,
    gameLines: 0,
    propLines: 0,
    unresolved: { boxPlayers: 0, oddsTeams: 0, propNames: 0 },
    durationMs: 1,
    ...over,
  };
}

const fetched = (over: Partial<FetchSummary> = {}): FetchSummary => ({
  files: [],
  dates: [{ date: D, games: 5, final: 0, notFinal: [], postponed: [], oddsFetched: true }],
  schedule: { source: 'fetched', date: D },
  oddsConfigured: true,
  requests: 10,
  durationMs: 5,
  ...over,
});

describe('daily alerts', () => {
  it('a clean night raises nothing', () => {
    assert.deepEqual(dailyAlerts(D, fetched(), [ingest('2021-11-08'), ingest(D, {}, { notFinal: ['0022100150'] })]), []);
  });

  it('missing games, stale sources and failures, each with a signature naming the thing', () => {
    const alerts = dailyAlerts(
      D,
      fetched({
        schedule: { source: 'landed', date: '2021-11-08', error: 'HTTP 503' },
        dates: [{ date: D, games: 5, final: 0, notFinal: [], postponed: [], oddsFetched: false }],
        files: [
          { source: 'nba-pbp', date: '2021-11-08', file: '0022100140.json', outcome: 'failed', detail: 'HTTP 500 (after 5 attempts)' },
          { source: 'odds-player-props', date: D, file: 'e1.json', outcome: 'failed', detail: 'HTTP 401' },
        ],
      }),
      [
        ingest('2021-11-07', { status: 'failed', error: 'landing/nba-pbp/2021-11-07/0022100130.json: is truncated JSON', file: 'landing/nba-pbp/2021-11-07/0022100130.json' }),
        ingest('2021-11-08', {}, { missing: ['0022100140'], notFinal: ['0022100141'] }),
        ingest(D, {}, { notFinal: ['0022100150'] }),
      ],
    );
    assert.deepEqual(
      alerts.map((a) => [a.type, a.severity, a.signature]),
      [
        ['stale_data', 'warning', `stale_source|nba-schedule|${D}`],
        ['stale_data', 'warning', `stale_source|odds|${D}`],
        ['processing_error', 'error', `fetch_failed|odds-player-props|${D}|e1.json`],
        ['processing_error', 'error', 'ingest_failed|2021-11-07|landing/nba-pbp/2021-11-07/0022100130.json'],
        ['missing_dependency', 'error', 'missing_game|0022100140'],
        ['missing_dependency', 'warning', 'missing_game|0022100141'],
      ],
    );
    assert.match(alerts[0]?.message ?? '', /HTTP 503; using the copy landed for 2021-11-08/);
    assert.match(alerts[4]?.message ?? '', /could not be fetched: HTTP 500 \(after 5 attempts\)/);
  });

  it('does not promise that the next run asks again for a game of the oldest look-back day', () => {
    // Run of Nov 9 with a 3-day look-back: Nov 6..8 fetched; the run of Nov 10 asks for Nov 7..9 only.
    const alerts = dailyAlerts(D, fetched(), [ingest('2021-11-06', {}, { missing: ['0022100120'], notFinal: ['0022100121'] }), ingest('2021-11-07', {}, { missing: ['0022100130'] })], { lookbackDays: 3 });
    const byGame = new Map(alerts.map((a) => [a.signature, a.message]));
    assert.doesNotMatch(byGame.get('missing_game|0022100120') ?? '', /next run asks again/);
    assert.match(byGame.get('missing_game|0022100120') ?? '', /past the 3-day look-back, so no later run asks for it: courtside fetch --date 2021-11-06, then courtside ingest --date 2021-11-06/);
    assert.doesNotMatch(byGame.get('missing_game|0022100121') ?? '', /a later run picks it up/);
    assert.match(byGame.get('missing_game|0022100130') ?? '', /the next run asks again/);
  });
});
