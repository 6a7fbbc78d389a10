// Audit round: `backfill --dry-run --format json` on BigQuery prints the plan and the cost estimate;
// the output must be ONE JSON document (it was two arrays one after the other, which no parser reads).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realSeasonCopy, type RealSeasonCopy } from '../testing/real-season.js';
import { FakeBigQuery } from '../warehouse/bigquery/testing/fake-bigquery-server.js';

const CLI = fileURLToPath(new URL('../engine/testing/cli-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

describe('backfill --dry-run on BigQuery (the fake server)', () => {
  let fx: RealSeasonCopy;
  let fake: FakeBigQuery;
  let dir: string;
  before(async () => {
    fx = await realSeasonCopy();
    fake = await FakeBigQuery.start({ duckdbPath: fx.path });
    dir = mkdtempSync(join(tmpdir(), 'courtside-dry-run-'));
  });
  after(async () => {
    await fake?.stop();
    await fx?.cleanup();
  });

  const cli = (args: readonly string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, COURTSIDE_BQ_API_ENDPOINT: fake.url, HOME: dir };
    for (const k of ['COURTSIDE_WAREHOUSE', 'COURTSIDE_DB', 'COURTSIDE_BQ_LOCATION', 'COURTSIDE_BQ_DATASET_PREFIX', 'COURTSIDE_BQ_PRICE_PER_TIB_USD', 'GOOGLE_APPLICATION_CREDENTIALS', 'COURTSIDE_CONFIG']) delete env[k];
    return new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, ['--import', TSX, CLI, '--warehouse', 'bigquery://courtside-test', ...args], { cwd: dir, env, maxBuffer: 64 * 1024 ** 2 }, (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: stdout, err: stderr }),
      );
    });
  };

  it('--format json prints one parseable document: the plan and the estimate', { timeout: 300_000 }, async () => {
    const r = await cli(['--format', 'json', 'backfill', '--from', '2022-01-10', '--to', '2022-01-11', '--dry-run', '--force']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { plan: { processor: string; partitions: number }[]; estimate: { processor: string; scan_mib: number; cost_usd: number }[] };
    assert.deepEqual(doc.plan.map((p) => [p.processor, p.partitions]).sort(), [['mlfs', 2], ['pcf', 2], ['pdc', 2], ['pred', 2], ['psza', 2], ['tdza', 2]]);
    assert.ok(doc.estimate.length > 0 && doc.estimate.every((e) => e.scan_mib > 0 && e.cost_usd > 0), r.out);
  });

  it('--format csv prints one table (the plan, or --section estimate), not both one after the other', { timeout: 300_000 }, async () => {
    const args = ['backfill', '--from', '2022-01-10', '--to', '2022-01-11', '--dry-run', '--force'];
    const doc = JSON.parse((await cli(['--format', 'json', ...args])).out) as { plan: Record<string, unknown>[]; estimate: Record<string, unknown>[] };
    const plan = await cli(['--format', 'csv', ...args]);
    assert.equal(plan.code, 0, plan.err);
    const lines = plan.out.trimEnd().split('\n');
    assert.deepEqual([lines[0], lines.length], ['step,level,processor,from,to,partitions,action,why', doc.plan.length + 1]);
    assert.match(plan.err, /prints one table: plan; the others \(estimate\) with --section NAME/);
    const estimate = await cli(['--format', 'csv', ...args, '--section', 'estimate']);
    assert.equal(estimate.code, 0, estimate.err);
    const est = estimate.out.trimEnd().split('\n');
    assert.deepEqual([est[0], est.length], ['job,processor,from,to,partitions,statements,scan_mib,cost_usd', doc.estimate.length + 1]);
  });
});
