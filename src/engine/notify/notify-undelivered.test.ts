// Audit round: an alert that no sink delivered (webhook down) does not count against the rate limit,
// so the next run within the window still sends it instead of suppressing the only delivery.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import type { NotificationEvent } from './event.js';
import { NotificationPolicy } from './policy.js';
import { slackSink } from './slack-sink.js';

const alert: NotificationEvent = { type: 'missing_dependency', severity: 'error', signature: 'missing_dependency|psza|2021-10-24|MISSING_DEPENDENCIES', title: 'psza 2021-10-24: MISSING_DEPENDENCIES', message: 'no rows' };
const summary: NotificationEvent = { type: 'run_summary', severity: 'error', signature: 'run_summary|daily|2021-10-24|2021-10-24', title: 'summary', message: 'run' };

describe('rate limit and failed deliveries', () => {
  let t: TempWarehouse;
  let http: Server;
  let up = false;
  const delivered: string[] = [];
  before(async () => {
    t = await tempWarehouse();
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (!up) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
        delivered.push(body);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await t.cleanup();
  });

  it('a run whose webhook failed does not use up the window: the next run delivers the alert', async () => {
    const lines: string[] = [];
    const sink = slackSink(`http://127.0.0.1:${(http.address() as AddressInfo).port}/hooks/T/B/X`);
    // The webhook always answers at once, so no send waits on the deadline: a generous one, so that
    // a loaded machine cannot turn its answer (HTTP 500, then 200) into a timeout.
    const run = async (runId: string) => {
      const policy = new NotificationPolicy(t.wh, [sink], { mode: 'daily', runId, rateLimit: { maxPerWindow: 1, windowMs: 3_600_000 }, log: (l) => lines.push(l), sendTimeoutMs: 10_000 });
      policy.event(alert);
      await policy.finish(summary);
    };
    await run('daily_down');
    assert.ok(lines.some((l) => /warning: notification to slack webhook .* failed: HTTP 500/.test(l)), lines.join('\n'));
    assert.equal(delivered.length, 0);
    up = true;
    await run('daily_up');
    assert.equal(delivered.length, 1, `the alert was never delivered; log:\n${lines.join('\n')}`);
    assert.match(delivered[0] ?? '', /psza 2021-10-24: MISSING_DEPENDENCIES/);
    await run('daily_again');
    assert.equal(delivered.length, 1, 'once delivered, the repeat within the window is suppressed');
  });
});
