// `courtside fetch` and `courtside daily` as commands: configuration from courtside.config.json and
// the environment, exit codes, output. The season's opening night, from an empty warehouse.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadFeedFixture, type FeedFixture } from '../../fetch/testing/feed-fixture.js';
import { startFeedServer, type FeedServer } from '../../fetch/testing/feed-server.js';
import { runCli } from '../../testing/cli.js';

let fixture: FeedFixture;
let server: FeedServer;
let dir: string;
const saved = { ...process.env };

before(async () => {
  fixture = await loadFeedFixture({ from: '2021-10-19', to: '2021-10-20' });
  server = await startFeedServer(fixture, { today: '2021-10-20', apiKey: 'cli-key' });
  dir = mkdtempSync(join(tmpdir(), 'courtside-cli-nightly-'));
  writeFileSync(join(dir, 'courtside.config.json'), JSON.stringify({ nightly: { ...server.urls, landingDir: join(dir, 'landing'), http: { minIntervalMs: 0, timeoutSeconds: 10 } } }));
  process.env['COURTSIDE_CONFIG'] = join(dir, 'courtside.config.json');
  process.env['COURTSIDE_ODDS_API_KEY'] = 'cli-key';
});
after(async () => {
  process.env = saved;
  await server.close();
  await fixture.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('courtside fetch / daily', () => {
  it('fetch --date lands the opening night; a usage error exits 2', async () => {
    const r = await runCli(['--format', 'json', 'fetch', '--date', '2021-10-19']);
    assert.equal(r.code, 0, r.err);
    const summary = (JSON.parse(r.out) as { files: { source: string; outcome: string }[] }[])[0];
    assert.equal(summary?.files.filter((f) => f.source === 'nba-pbp' && f.outcome === 'new').length, 2, 'BKN at MIL, GSW at LAL');
    assert.ok(existsSync(join(dir, 'landing', 'nba-pbp', '2021-10-19', 'manifest.json')));
    const bad = await runCli(['fetch']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /give --date D, or --from D and --to D/);
  });

  it('daily --date runs the night on an empty warehouse and prints the report; a bad date exits 2', async () => {
    const db = join(dir, 'w.duckdb');
    const r = await runCli(['--db', db, 'daily', '--date', '2021-10-20']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^courtside daily 2021-10-20: success/);
    assert.match(r.out, /2021-10-19: 2\/2 games with play-by-play/);
    assert.match(r.out, /2021-10-20: 0\/11 games with play-by-play .* 11 game lines/);
    assert.match(r.out, /phase 4: ran/);
    const again = await runCli(['--db', db, 'daily', '--date', '2021-10-20']);
    assert.equal(again.code, 0);
    assert.match(again.out, /^courtside daily 2021-10-20: nothing new/);
    const runs = await runCli(['--db', db, '--format', 'json', 'sql', "SELECT count(*) AS n FROM nba_processing.run_history WHERE command = 'daily'"]);
    assert.deepEqual(JSON.parse(runs.out), [{ n: 4 }], 'two daily runs, the first one\'s Phase 4 run and its catch-up of the opener');
    const bad = await runCli(['--db', db, 'daily', '--date', '2021-13-01']);
    assert.equal(bad.code, 2);
  });
});
