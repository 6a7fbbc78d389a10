// `courtside serve` on real sockets. The Host check: on loopback, only loopback names are answered
// (DNS rebinding), and a name as a browser sends it for the port in use is one of them: without
// the port when the port is 80, its default (RFC 9110 7.2). And query strings refused before the
// warehouse is read.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { loopbackHosts, startDashboard, type RunningDashboard } from './server.js';

/** GET `path` with exactly this Host header; the status and body. */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('courtside serve on a real socket', () => {
  let t: TempWarehouse;
  let server: RunningDashboard;
  before(async () => {
    t = await tempWarehouse();
    await t.release();
    server = await startDashboard({ db: t.path, host: '127.0.0.1', port: 0, log: () => undefined });
  });
  after(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('answers loopback names with the port, refuses any other name', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      assert.equal((await get(server.port, '/api/progress', host)).status, 200, host);
    }
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1:${server.port + 1}`]) {
      const res = await get(server.port, '/api/progress', host);
      assert.equal(res.status, 400, host);
      assert.match(res.body, /unexpected Host header/);
    }
  });

  it('bound to another loopback address (127.0.0.2, LOCALHOST), still answers only its own names', async () => {
    for (const bind of ['127.0.0.2', 'LOCALHOST']) {
      const other = await startDashboard({ db: t.path, host: bind, port: 0, log: () => undefined });
      try {
        const address = bind === 'LOCALHOST' ? '127.0.0.1' : bind;
        const at = (host: string) => new Promise<number>((resolve, reject) => {
          const req = request({ host: address, port: other.port, path: '/api/progress', headers: { host } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
          req.on('error', reject);
          req.end();
        });
        assert.equal(await at(`evil.example:${other.port}`), 400, `${bind}: a rebinding name is refused`);
        assert.equal(await at(`${address}:${other.port}`), 200, `${bind}: its own address is answered`);
        assert.equal(await at(`localhost:${other.port}`), 200);
      } finally {
        await other.close();
      }
    }
  });

  it('a player page asked for a date outside its season is a 400 naming both', async () => {
    const res = await get(server.port, '/api/players/nikolajokic?season=2021-22&date=2022-11-16', `127.0.0.1:${server.port}`);
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), {
      error: 'bad_request',
      message: "date 2022-11-16 is not in season 2021-22 (2021-10-01 to 2022-06-30): give a date of that season, or leave out 'season'",
    });
  });

  it('on port 80 answers the names browsers send without a port', () => {
    // What Chromium and curl send for http://127.0.0.1/ and http://localhost/: no ':80'.
    const on80 = loopbackHosts(80);
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.0.0.1:80', 'localhost:80']) assert.ok(on80.has(host), host);
    assert.equal(on80.has('evil.example'), false);
    // Elsewhere a browser always sends the port: a bare name is not one it would send.
    const on8787 = loopbackHosts(8787);
    assert.equal(on8787.has('127.0.0.1'), false);
    assert.ok(on8787.has('127.0.0.1:8787'));
  });

  it('`serve --port 80` answers a request as a browser sends it (Host without the port)', async (c) => {
    let on80: RunningDashboard;
    try {
      on80 = await startDashboard({ db: t.path, host: '127.0.0.1', port: 80, log: () => undefined });
    } catch (err) {
      return c.skip(`port 80 cannot be bound here: ${(err as Error).message}`);
    }
    try {
      assert.equal((await get(80, '/api/progress', '127.0.0.1')).status, 200);
      assert.equal((await get(80, '/api/progress', 'localhost')).status, 200);
      assert.equal((await get(80, '/api/progress', 'evil.example')).status, 400);
      // And as fetch sends it for http://127.0.0.1/ (no port in the URL).
      assert.equal((await fetch('http://127.0.0.1/api/progress')).status, 200);
    } finally {
      await on80.close();
    }
  });
});
