import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { loadConfig } from './config.js';
import { coverageReport, failuresReport, runsReport, runStepsReport } from './reports.js';
import { resetRange } from './reset.js';
import { runBackfill } from './run.js';
import { FAKE_PROCESSORS, fakePsza, seedWorld } from './testing/fakes.js';

const RANGE = { from: '2021-10-01', to: '2021-10-31' };

describe('reports and reset', () => {
  let t: TempWarehouse;
  let runId = '';
  before(async () => {
    t = await tempWarehouse();
    await seedWorld(t.wh);
    await t.wh.exec(`DELETE FROM fake.player_games WHERE game_date = '2021-10-24'`);
    runId = (await runBackfill(t.wh, FAKE_PROCESSORS, { ...RANGE, batchDays: 5, command: 'backfill', args: { from: RANGE.from } })).runId;
  });
  after(() => t.cleanup());

  it('coverage counts partitions by status per processor, and missing game dates', async () => {
    const rows = await coverageReport(t.wh, FAKE_PROCESSORS, '2021-10-01', '2021-11-05');
    assert.deepEqual(rows.map((r) => [r['processor'], r['game_dates'], r['complete'], r['bootstrap'], r['failed'], r['skipped'], r['missing']]), [
      ['psza', 12, 9, 2, 1, 0, 0],
      ['tdza', 12, 9, 2, 1, 0, 0],
      ['pdc', 12, 9, 2, 0, 1, 0],
    ]);
  });

  it('failures splits expected and real per processor × category, with top reasons', async () => {
    const r = await failuresReport(t.wh, RANGE.from, RANGE.to);
    assert.deepEqual(r.byCategory.map((x) => [x['processor_name'], x['failure_category'], x['failures'], x['expected'], x['real']]), [
      ['FakeShotZoneProcessor', 'INSUFFICIENT_DATA', 4, 0, 4],
      ['FakeShotZoneProcessor', 'MISSING_DEPENDENCIES', 1, 0, 1],
      ['FakeTeamDefenseProcessor', 'MISSING_DEPENDENCIES', 1, 0, 1],
    ]);
    assert.equal(r.topReasons[0]?.['failure_reason'], 'scored 0 < 1');
    const one = await failuresReport(t.wh, RANGE.from, RANGE.to, 'FakeTeamDefenseProcessor');
    assert.equal(one.byCategory.length, 1);
  });

  it('runs lists the run with its batches', async () => {
    const runs = await runsReport(t.wh);
    assert.equal(runs[0]?.['run_id'], runId);
    assert.equal(runs[0]?.['status'], 'partial');
    assert.equal(runs[0]?.['failed_partitions'], 3);
    const steps = await runStepsReport(t.wh, runId);
    assert.ok(steps.length >= 6 && steps.every((s) => s['status'] === 'success'));
  });

  it('reset deletes outputs, statuses and failures of the range, and the next backfill rebuilds just that', async () => {
    const results = await resetRange(t.wh, [fakePsza], '2021-10-20', '2021-10-21');
    assert.deepEqual(results, [{ processor: 'psza', output_rows: 5, statuses: 2, failures: 1 }]);
    const s = await runBackfill(t.wh, FAKE_PROCESSORS, RANGE);
    // psza: the 2 reset dates + the still-missing 10-24; pdc follows psza; tdza retries 10-24 only.
    assert.deepEqual(s.processors.map((p) => [p.processor, p.planned]), [['psza', 3], ['tdza', 1], ['pdc', 3]]);
  });

  it('a reset that fails deletes nothing and is recorded failed, not left running', async () => {
    const count = async (sql: string) => Number((await t.wh.query<{ n: number }>(sql))[0]?.n);
    const statuses = () => count(`SELECT count(*) AS n FROM nba_processing.partition_status`);
    const before = await statuses();
    const broken = { ...fakePsza, outputTable: 'fake.no_such_output' };
    await assert.rejects(resetRange(t.wh, [broken], '2021-10-20', '2021-10-21'), /no_such_output/);
    assert.equal(await statuses(), before);
    const [run] = await t.wh.query<{ status: string; summary: string }>(
      `SELECT status, summary FROM nba_processing.run_history WHERE command = 'reset' ORDER BY started_at DESC LIMIT 1`,
    );
    assert.equal(run?.status, 'failed');
    assert.match(String(run?.summary), /no_such_output/);
  });
});

describe('config', () => {
  it('reads courtside.config.json and lets the environment override it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'courtside-cfg-'));
    writeFileSync(join(cwd, 'courtside.config.json'), JSON.stringify({ timeoutSeconds: { backfill: 5 }, notifications: { slackWebhookUrl: 'http://file', rateLimit: { maxPerWindow: 2, windowMinutes: 30 } } }));
    const c = loadConfig({ cwd, env: { COURTSIDE_SLACK_WEBHOOK_URL: 'http://env' } });
    assert.equal(c.timeoutMs.backfill, 5000);
    assert.equal(c.timeoutMs.daily, 300_000);
    assert.equal(c.slackWebhookUrl, 'http://env');
    assert.deepEqual(c.rateLimit, { maxPerWindow: 2, windowMs: 1_800_000 });
    assert.equal(c.smtp, undefined);
  });
  it('rejects unknown keys with a usage error', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'courtside-cfg-'));
    writeFileSync(join(cwd, 'courtside.config.json'), JSON.stringify({ timeout: 5 }));
    assert.throws(() => loadConfig({ cwd, env: {} }), (e: Error & { exitCode?: number }) => e.exitCode === 2);
  });
});
