// `courtside serve` arguments: the dashboard binds 127.0.0.1 unless an address is named. An empty
// --host (say `--host "$HOST"` with HOST unset) is no address: Node would bind every interface.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';

/** The CLI's answer, or 'serving' if it started a server instead (stopped again as Ctrl-C would). */
async function serveWith(args: readonly string[]): Promise<{ code: number; err: string } | 'serving'> {
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<'serving'>((resolve) => {
    timer = setTimeout(() => resolve('serving'), 5_000);
  });
  const run = runCli(args);
  const first = await Promise.race([run, started]);
  clearTimeout(timer);
  if (first === 'serving') {
    process.emit('SIGTERM', 'SIGTERM'); // the serve action stops on SIGTERM
    await run;
  }
  return first === 'serving' ? 'serving' : { code: first.code, err: first.err };
}

describe('courtside serve --host', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await t.release();
  });
  after(() => t.cleanup());

  it('an empty or blank address is refused, not taken as every interface', async () => {
    for (const host of ['', '  ']) {
      const r = await serveWith(['--db', t.path, 'serve', '--port', '0', '--host', host]);
      assert.notEqual(r, 'serving', `--host '${host}' started a server`);
      if (r === 'serving') continue;
      assert.equal(r.code, 2);
      assert.match(r.err, /--host must name an address to bind \(127\.0\.0\.1 by default; 0\.0\.0\.0 for every interface\), got ''/);
    }
  });
});
