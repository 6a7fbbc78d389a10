// The HTTP client of the Slack sink: one POST on its own connection (no keep-alive pool), which
// the abort signal destroys at once. Node's global fetch, aborted, reconnects its pool and leaves
// an idle socket open for seconds; a run that has given up on a webhook should leave nothing behind.
// node:http and node:https are loaded on the first post, not at start-up: every run creates the
// sinks, few send anything, and compiling the two costs each command several milliseconds.
import type { IncomingMessage } from 'node:http';
import type { FetchFunction } from '@slack/webhook';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

function response(res: IncomingMessage, body: Buffer, url: string): FetchResponse {
  const headers = new Map(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
  const status = res.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    url,
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    text: async () => body.toString('utf8'),
  };
}

/** A FetchFunction for @slack/webhook whose every request is cut off when `signal` aborts. */
export function abortablePost(signal: AbortSignal): FetchFunction {
  return async (input, init) => {
    const url = new URL(String(input));
    const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
    return new Promise<FetchResponse>((resolve, reject) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const req = send(url, { method: init?.method ?? 'POST', headers: { ...init?.headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(response(res, Buffer.concat(chunks), url.href)));
        res.on('error', reject);
      });
      req.on('error', (err) => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : err));
      req.end(body);
    });
  };
}
