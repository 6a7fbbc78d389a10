// Notifications never hold a run: against a webhook that accepts the connection and never answers
// and an SMTP server that never greets (real sockets on 127.0.0.1), `backfill` and `run --date`
// finish with their normal result, their data committed before any send began, and a warning that
// names each sink and the cause; the client really closes its connection at the deadline.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { realSeasonCopy, type RealSeasonCopy } from '../../testing/real-season.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { createNotifier, loadConfig } from '../config.js';
import { runBackfill } from '../run.js';
import { FAKE_PROCESSORS, seedWorld } from '../testing/fakes.js';
import { startSilentServer, type SilentServer } from '../testing/silent-server.js';
import { redactUrl, sendFailureCause, sendWithDeadline } from './deadline.js';
import { slackSink } from './slack-sink.js';
import { emailSink } from './email-sink.js';

let slack: SilentServer;
let smtp: SilentServer;
const env = () => ({
  COURTSIDE_SLACK_WEBHOOK_URL: `http://127.0.0.1:${slack.port}/services/T000/B000/SECRET`,
  COURTSIDE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  COURTSIDE_SMTP_FROM: 'courtside@example.com',
  COURTSIDE_SMTP_TO: 'ops@example.com',
  COURTSIDE_NOTIFY_TIMEOUT_SECONDS: '1',
});
const warningFor = (sink: string) => new RegExp(`warning: notification to ${sink} failed: no response within 1 s`);

before(async () => {
  [slack, smtp] = await Promise.all([startSilentServer(), startSilentServer()]);
});
after(async () => {
  await Promise.all([slack?.close(), smtp?.close()]);
});

describe('a silent webhook and a silent SMTP server (engine, fake processors)', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
  });
  after(() => t.cleanup());

  it('the backfill returns its summary, sends only after its results are committed, and aborts both sends', { timeout: 30_000 }, async () => {
    const config = loadConfig({ cwd: mkdtempSync(`${tmpdir()}/courtside-cfg-`), env: env() });
    assert.equal(config.notifyTimeoutMs, 1000);
    const runId = 'backfill_silent_1';
    // What the warehouse holds at the moment each sink connects.
    const seen: Promise<unknown>[] = [];
    const look = () =>
      seen.push(
        t.wh.query(
          `SELECT (SELECT status FROM nba_processing.run_history WHERE run_id = $run_id) AS status,
                  (SELECT count(*) FROM nba_processing.partition_status WHERE run_id = $run_id) AS partitions`,
          { run_id: runId },
        ),
      );
    slack.onConnection(look);
    smtp.onConnection(look);
    const [slackBefore, smtpBefore] = [slack.accepted(), smtp.accepted()];
    const lines: string[] = [];
    const s = await runBackfill(t.wh, FAKE_PROCESSORS, { from: '2021-10-01', to: '2021-10-31', runId, notifier: createNotifier(t.wh, config, 'backfill', runId, (l) => lines.push(l)) });
    assert.equal(s.status, 'success');
    assert.equal(s.exitCode, 0);
    assert.equal(slack.accepted() - slackBefore, 1, 'the webhook was called once');
    assert.equal(smtp.accepted() - smtpBefore, 1, 'the SMTP server was connected to once');
    const log = lines.join('\n');
    assert.match(log, warningFor(`slack webhook http://127\\.0\\.0\\.1:${slack.port}/…`));
    assert.match(log, warningFor(`smtp smtp://127\\.0\\.0\\.1:${smtp.port}`));
    assert.doesNotMatch(log, /SECRET/, 'the webhook path is a secret and stays out of logs');
    const snapshots = (await Promise.all(seen)) as { status: string; partitions: number }[][];
    assert.deepEqual(snapshots.map((r) => r[0]), [{ status: 'success', partitions: 36 }, { status: 'success', partitions: 36 }]);
    // Both clients hung up at the deadline: nothing is left open to hold the process.
    await Promise.all([slack.clientClosed(slackBefore + 1), smtp.clientClosed(smtpBefore + 1)]);
  });
});

describe('the CLI against a silent webhook and SMTP server (real season)', () => {
  let fx: RealSeasonCopy;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    fx = await realSeasonCopy();
    // A date whose pre-game context is missing: the daily run raises alerts, so it has something to send.
    await fx.wh.exec(`DELETE FROM nba_analytics.upcoming_player_game_context WHERE game_date = CAST($d AS DATE)`, { d: '2022-01-15' });
    await fx.release();
    for (const [k, v] of Object.entries(env())) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fx?.cleanup();
  });

  async function runHistory(runPrefix: string): Promise<{ status: string; partitions: number }[]> {
    const wh = await DuckDBWarehouse.open(fx.path);
    try {
      return await wh.query(
        `SELECT h.status, (SELECT count(*) FROM nba_processing.partition_status s WHERE s.run_id = h.run_id) AS partitions
         FROM nba_processing.run_history h WHERE h.run_id LIKE $p ORDER BY h.started_at`,
        { p: `${runPrefix}%` },
      );
    } finally {
      await wh.close();
    }
  }

  it('backfill finishes with its summary, its partitions committed, and a warning per sink', { timeout: 120_000 }, async () => {
    const [slackBefore, smtpBefore] = [slack.accepted(), smtp.accepted()];
    const r = await runCli(['--db', fx.path, '--format', 'json', 'backfill', '--from', '2021-11-01', '--to', '2021-11-07']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { processor: string; complete: number; bootstrap: number }[];
    // 2021-11-01 is within 14 days of the opener (bootstrap); the other six dates are complete.
    assert.deepEqual(rows.map((x) => [x.processor, x.complete, x.bootstrap]), [['psza', 6, 1], ['tdza', 6, 1], ['pdc', 6, 1], ['pcf', 6, 1], ['mlfs', 6, 1], ['pred', 7, 0]]);
    // pred predicts the bootstrap date too (from last season and the prior model): 7 complete
    assert.match(r.err, warningFor(`slack webhook http://127\\.0\\.0\\.1:${slack.port}/…`));
    assert.match(r.err, warningFor(`smtp smtp://127\\.0\\.0\\.1:${smtp.port}`));
    assert.deepEqual(await runHistory('backfill_'), [{ status: 'success', partitions: 42 }]);
    await Promise.all([slack.clientClosed(slackBefore + 1), smtp.clientClosed(smtpBefore + 1)]);
  });

  it('run --date finishes with its result (alerts, exit 1), its partitions committed, and a warning per sink', { timeout: 120_000 }, async () => {
    const [slackBefore, smtpBefore] = [slack.accepted(), smtp.accepted()];
    const r = await runCli(['--db', fx.path, '--format', 'json', 'run', '--date', '2022-01-15']);
    assert.equal(r.code, 1, 'partitions of the date failed: exit 1, as without notifications');
    const rows = JSON.parse(r.out) as { processor: string; complete: number; failed: number; skipped: number }[];
    assert.deepEqual(rows.map((x) => [x.processor, x.complete, x.failed]), [['psza', 0, 1], ['tdza', 1, 0], ['pdc', 0, 1], ['pcf', 0, 1], ['mlfs', 0, 1], ['pred', 0, 1]]);
    assert.match(r.err, /PlayerShotZoneAnalysisProcessor 2022-01-15: MISSING_DEPENDENCIES/);
    assert.match(r.err, warningFor(`slack webhook http://127\\.0\\.0\\.1:${slack.port}/…`));
    assert.match(r.err, warningFor(`smtp smtp://127\\.0\\.0\\.1:${smtp.port}`));
    assert.deepEqual(await runHistory('daily_'), [{ status: 'partial', partitions: 6 }]);
    await Promise.all([slack.clientClosed(slackBefore + 1), smtp.clientClosed(smtpBefore + 1)]);
  });
});

describe('send deadline and causes', () => {
  it('holds even for a sink that ignores its abort signal', async () => {
    const never = { name: 'stuck sink', send: () => new Promise<void>(() => undefined) };
    await assert.rejects(sendWithDeadline(never, 's', 'b', 50), (err: unknown) => sendFailureCause(err) === 'no response within 0.05 s');
  });

  it('names a refused connection and an HTTP error instead of "fetch failed"', async () => {
    const closed = await startSilentServer();
    const port = closed.port;
    await closed.close(); // nothing listens on this port any more
    const refusedSlack = await sendWithDeadline(slackSink(`http://127.0.0.1:${port}/x`), 's', 'b', 2000).catch((e: unknown) => sendFailureCause(e));
    assert.match(String(refusedSlack), new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
    const refusedMail = await sendWithDeadline(emailSink({ url: `smtp://127.0.0.1:${port}`, from: 'a@b.c', to: ['d@e.f'] }, 2000), 's', 'b', 2000).catch((e: unknown) => sendFailureCause(e));
    assert.match(String(refusedMail), new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
    const http = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const notFound = await sendWithDeadline(slackSink(`http://127.0.0.1:${(http.address() as AddressInfo).port}/x`), 's', 'b', 2000).catch((e: unknown) => sendFailureCause(e));
      assert.equal(notFound, 'HTTP 404 Not Found: no_service');
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('takes its deadline from courtside.config.json or COURTSIDE_NOTIFY_TIMEOUT_SECONDS (default 5 s)', () => {
    const cwd = mkdtempSync(`${tmpdir()}/courtside-cfg-`);
    assert.equal(loadConfig({ cwd, env: {} }).notifyTimeoutMs, 5000);
    writeFileSync(join(cwd, 'courtside.config.json'), JSON.stringify({ notifications: { timeoutSeconds: 2.5 } }));
    assert.equal(loadConfig({ cwd, env: {} }).notifyTimeoutMs, 2500);
    assert.equal(loadConfig({ cwd, env: { COURTSIDE_NOTIFY_TIMEOUT_SECONDS: '8' } }).notifyTimeoutMs, 8000);
    for (const bad of ['0', '-1', 'soon']) {
      assert.throws(() => loadConfig({ cwd, env: { COURTSIDE_NOTIFY_TIMEOUT_SECONDS: bad } }), (e: Error & { exitCode?: number }) => e.exitCode === 2 && /COURTSIDE_NOTIFY_TIMEOUT_SECONDS/.test(e.message));
    }
  });

  it('keeps secrets out of sink names', () => {
    assert.equal(redactUrl('https://hooks.slack.com/services/T0/B0/XYZ'), 'https://hooks.slack.com/…');
    assert.equal(redactUrl('smtps://user:pa55@mail.example.com:465'), 'smtps://mail.example.com:465');
  });
});
