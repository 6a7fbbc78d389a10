import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { HttpPolicy } from './feed-config.js';
import { HttpFetchError, createHttpClient, redactUrl, retryAfterMs } from './http-client.js';

// One scripted answer per request, in order, then 200 {"ok":true}.
type Script = (req: IncomingMessage, res: ServerResponse) => void;
const script: Script[] = [];
const seen: { at: number; ua: string; path: string }[] = [];
let server: Server;
let base = '';

const ok: Script = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

before(async () => {
  server = createServer((req, res) => {
    seen.push({ at: Date.now(), ua: String(req.headers['user-agent']), path: req.url ?? '' });
    (script.shift() ?? ok)(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  script.length = 0;
  seen.length = 0;
});

// A timeout no answer of the local server comes near, loaded machine or not: a test that needs a
// request to time out arranges it (see the slow answer below), so no other answer can time out too.
const POLICY: HttpPolicy = { timeoutMs: 10_000, attempts: 4, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 5_000, minIntervalMs: 0, userAgent: 'courtside-test/1 (+tests)' };

describe('polite HTTP client', () => {
  it('sends the configured User-Agent and keeps the minimum gap between requests to one host', async () => {
    const sent: number[] = [];
    const timed: typeof fetch = (input, init) => {
      sent.push(Date.now());
      return fetch(input, init);
    };
    const client = createHttpClient({ ...POLICY, minIntervalMs: 150 }, { fetch: timed });
    await Promise.all([client.get(`${base}/a`), client.get(`${base}/b`), client.get(`${base}/c`)]);
    assert.deepEqual(seen.map((s) => s.path), ['/a', '/b', '/c'], 'one host: requests queue in order');
    assert.ok(seen.every((s) => s.ua === 'courtside-test/1 (+tests)'));
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 145, `gap ${sent[i]! - sent[i - 1]!} ms`);
  });

  it('waits what Retry-After asks after a 429, then succeeds', async () => {
    script.push((_q, res) => res.writeHead(429, { 'retry-after': '1' }).end('slow down'));
    const retries: string[] = [];
    const client = createHttpClient(POLICY, { onRetry: (_u, _n, reason, wait) => retries.push(`${reason} ${wait}`) });
    const r = await client.get(`${base}/x`);
    assert.equal(r.status, 200);
    assert.equal(r.attempts, 2);
    assert.deepEqual(retries, ['HTTP 429 1000']);
    assert.ok(seen[1]!.at - seen[0]!.at >= 950, `second try after ${seen[1]!.at - seen[0]!.at} ms`);
  });

  it('retries 5xx answers with backoff, a response slower than the timeout, and a dropped connection', async () => {
    script.push((_q, res) => res.writeHead(500).end('boom'));
    script.push((_q, res) => res.writeHead(503).end('busy'));
    script.push(() => undefined); // never answers: only the client's timeout ends this request
    script.push((_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"par');
      res.destroy();
    });
    const reasons: string[] = [];
    // Only the third request (the silent one) runs under the client's 400 ms timeout; the others go
    // out without its signal, so a slow machine cannot make one of them time out instead.
    let n = 0;
    const onlySilentTimed: typeof fetch = (input, init) => fetch(input, n++ === 2 ? init : { ...init, signal: null });
    const client = createHttpClient({ ...POLICY, attempts: 5, timeoutMs: 400 }, { fetch: onlySilentTimed, onRetry: (_u, _n, reason) => reasons.push(reason) });
    const r = await client.get(`${base}/y`);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), '{"ok":true}');
    assert.equal(r.attempts, 5);
    assert.equal(reasons[0], 'HTTP 500');
    assert.equal(reasons[1], 'HTTP 503');
    assert.match(reasons[2] ?? '', /no complete response within 400 ms/);
    assert.match(reasons[3] ?? '', /connection failed|no complete response/);
  });

  it('gives up after the last attempt with an error that names the URL (secrets redacted) and the status', async () => {
    for (let i = 0; i < 3; i++) script.push((_q, res) => res.writeHead(502).end('bad gateway'));
    const client = createHttpClient({ ...POLICY, attempts: 3 });
    await assert.rejects(client.get(`${base}/odds?apiKey=SECRET123&x=1`), (err: unknown) => {
      assert.ok(err instanceof HttpFetchError);
      assert.equal(err.status, 502);
      assert.equal(err.attempts, 3);
      assert.match(err.message, /\/odds\?apiKey=REDACTED&x=1: HTTP 502 \(after 3 attempts\)/);
      assert.doesNotMatch(err.message, /SECRET123/);
      return true;
    });
  });

  it('refuses a Retry-After beyond its limit instead of stalling the night', async () => {
    script.push((_q, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    const client = createHttpClient(POLICY);
    await assert.rejects(client.get(`${base}/z`), /server asked to retry after 3600 s, beyond the 5 s limit/);
    assert.equal(seen.length, 1);
  });

  it('retries a body that fails the check (truncated JSON) and returns the last one marked invalid', async () => {
    script.push((_q, res) => res.writeHead(200).end('{"a": [1, 2'));
    const check = (b: Buffer) => {
      try {
        JSON.parse(b.toString());
        return undefined;
      } catch {
        return 'truncated';
      }
    };
    const healed = await createHttpClient(POLICY).get(`${base}/j`, { validate: check });
    assert.equal(healed.invalid, undefined);
    assert.equal(healed.attempts, 2);
    for (let i = 0; i < 4; i++) script.push((_q, res) => res.writeHead(200).end('{"a": [1, 2'));
    const broken = await createHttpClient(POLICY).get(`${base}/j`, { validate: check });
    assert.equal(broken.invalid, 'truncated');
    assert.equal(broken.body.toString(), '{"a": [1, 2');
  });

  it('returns other client errors at once (no retry)', async () => {
    script.push((_q, res) => res.writeHead(404).end('{"message":"no such game"}'));
    const r = await createHttpClient(POLICY).get(`${base}/missing`);
    assert.equal(r.status, 404);
    assert.equal(r.attempts, 1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2021-11-01T12:00:00Z');
    assert.equal(retryAfterMs('2', now), 2000);
    assert.equal(retryAfterMs('Mon, 01 Nov 2021 12:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(redactUrl('https://api.the-odds-api.com/v4/sports?apiKey=abc'), 'https://api.the-odds-api.com/v4/sports?apiKey=REDACTED');
  });
});
