import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../engine/config.js';
import { DEFAULT_FEED_CONFIG, loadFeedConfig } from './feed-config.js';

const dir = mkdtempSync(join(tmpdir(), 'courtside-feedcfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('nightly configuration', () => {
  it('defaults, then courtside.config.json "nightly", then the environment', () => {
    assert.equal(loadFeedConfig({ cwd: dir, env: {} }).oddsApiKey, undefined);
    assert.equal(loadFeedConfig({ cwd: dir, env: {} }).landingDir, join(dir, 'landing'));
    writeFileSync(
      join(dir, 'courtside.config.json'),
      JSON.stringify({
        timeoutSeconds: { daily: 120 },
        nightly: { landingDir: 'feeds', oddsApiKey: 'from-file', lookbackDays: 5, bookmakers: ['fanduel'], http: { timeoutSeconds: 10, minIntervalMs: 250 } },
      }),
    );
    const c = loadFeedConfig({ cwd: dir, env: { COURTSIDE_ODDS_API_KEY: 'from-env', COURTSIDE_NBA_STATS_URL: 'http://127.0.0.1:9/stats' } });
    assert.equal(c.landingDir, join(dir, 'feeds'));
    assert.equal(c.oddsApiKey, 'from-env');
    assert.equal(c.nbaStatsBaseUrl, 'http://127.0.0.1:9/stats');
    assert.equal(c.nbaScheduleUrl, DEFAULT_FEED_CONFIG.nbaScheduleUrl);
    assert.equal(c.lookbackDays, 5);
    assert.deepEqual(c.bookmakers, ['fanduel']);
    assert.equal(c.http.timeoutMs, 10_000);
    assert.equal(c.http.minIntervalMs, 250);
    assert.equal(c.http.attempts, DEFAULT_FEED_CONFIG.http.attempts);
    // The engine reads the same file and lets the nightly section through.
    assert.equal(loadConfig({ cwd: dir, env: {} }).timeoutMs.daily, 120_000);
  });

  it('rejects a malformed nightly section or URL with the key named', () => {
    writeFileSync(join(dir, 'courtside.config.json'), JSON.stringify({ nightly: { lookbackDays: -1, oddsApiBaseUrl: 'ftp://x' } }));
    assert.throws(() => loadFeedConfig({ cwd: dir, env: {} }), /nightly\.oddsApiBaseUrl: must be an http\(s\) URL; nightly\.lookbackDays/);
    writeFileSync(join(dir, 'courtside.config.json'), '{}');
    assert.throws(() => loadFeedConfig({ cwd: dir, env: { COURTSIDE_ODDS_API_URL: 'not a url' } }), /COURTSIDE_ODDS_API_URL must be an http\(s\) URL/);
  });
});
