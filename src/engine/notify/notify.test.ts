import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { createNotifier, loadConfig, type EngineConfig } from '../config.js';
import { runBackfill, runDaily } from '../run.js';
import { FAKE_PROCESSORS, seedWorld } from '../testing/fakes.js';

const webhookBodies: string[] = [];
const mails: string[] = [];
let http: Server;
let smtp: SMTPServer;
let config: EngineConfig;
const quiet = () => undefined;

before(async () => {
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      webhookBodies.push(body);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push(data);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  config = loadConfig({
    cwd: mkdtempSync(`${tmpdir()}/courtside-cfg-`),
    env: {
      COURTSIDE_SLACK_WEBHOOK_URL: `http://127.0.0.1:${httpPort}/hooks/T000/B000/XXX`,
      COURTSIDE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      COURTSIDE_SMTP_FROM: 'courtside@example.com',
      COURTSIDE_SMTP_TO: 'ops@example.com',
      COURTSIDE_NOTIFY_MAX_PER_WINDOW: '1',
    },
  });
});
after(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
beforeEach(() => {
  webhookBodies.length = 0;
  mails.length = 0;
});

describe('notifications', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    // Two dates without upstream rows: several per-date failures, still one summary.
    await t.wh.exec(`DELETE FROM fake.player_games WHERE game_date IN ('2021-10-24', '2021-10-27')`);
  });
  after(() => t.cleanup());

  it('a backfill sends exactly one summary to Slack and to e-mail', async () => {
    const runId = 'backfill_test_1';
    const s = await runBackfill(t.wh, FAKE_PROCESSORS, { from: '2021-10-01', to: '2021-10-31', batchDays: 1, runId, notifier: createNotifier(t.wh, config, 'backfill', runId, quiet) });
    assert.equal(s.failedPartitions.length, 6);
    assert.equal(webhookBodies.length, 1);
    assert.equal(mails.length, 1);
    const slack = JSON.parse(webhookBodies[0] ?? '{}') as { text?: string };
    assert.match(slack.text ?? '', /backfill 2021-10-01\.\.2021-10-31: partial \(6 failed partitions/);
    assert.match(slack.text ?? '', /psza 2021-10-24 failed MISSING_DEPENDENCIES/);
    assert.match(mails[0] ?? '', /Subject: courtside backfill 2021-10-01\.\.2021-10-31: partial/);
    assert.match(mails[0] ?? '', /To: ops@example\.com/);
  });

  it('a daily run with a missing dependency alerts once; a repeat within the window is suppressed', async () => {
    const daily = (runId: string) => runDaily(t.wh, FAKE_PROCESSORS.slice(0, 1), { date: '2021-10-24', runId, notifier: createNotifier(t.wh, config, 'daily', runId, quiet) });
    const first = await daily('daily_test_1');
    assert.equal(first.exitCode, 1);
    assert.equal(webhookBodies.length, 1);
    assert.equal(mails.length, 1);
    assert.match(webhookBodies[0] ?? '', /FakeShotZoneProcessor 2021-10-24: MISSING_DEPENDENCIES/);
    await daily('daily_test_2');
    assert.equal(webhookBodies.length, 1, 'no second webhook call');
    assert.equal(mails.length, 1, 'no second mail');
    const log = await t.wh.query(`SELECT run_id, suppressed FROM nba_processing.notification_log WHERE run_id LIKE 'daily_test_%' ORDER BY run_id`);
    assert.deepEqual(log, [{ run_id: 'daily_test_1', suppressed: false }, { run_id: 'daily_test_2', suppressed: true }]);
  });

  it('a daily run warns about stale upstream data, and on fresh data notifies nothing remotely', async () => {
    const daily = (runId: string) => runDaily(t.wh, FAKE_PROCESSORS.slice(0, 1), { date: '2021-10-25', runId, notifier: createNotifier(t.wh, config, 'daily', runId, quiet) });
    // The seeded rows were processed in 2021: older than the dependency's 24 h limit.
    const stale = await daily('daily_test_stale');
    assert.equal(stale.exitCode, 0, 'staleness warns but does not fail');
    assert.equal(webhookBodies.length, 1);
    assert.match(webhookBodies[0] ?? '', /stale upstream[\s\S]*fake\.player_games: stale, processed [\d.]+ h ago > 24 h/);
    webhookBodies.length = 0;
    mails.length = 0;
    await t.wh.exec(`UPDATE fake.player_games SET processed_at = now()::TIMESTAMP WHERE game_date = '2021-10-25'`);
    const fresh = await daily('daily_test_fresh');
    assert.equal(fresh.exitCode, 0);
    assert.equal(webhookBodies.length + mails.length, 0);
  });
});
