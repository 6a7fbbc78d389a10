// `courtside serve`: the dashboard on a local socket (127.0.0.1 unless told otherwise).
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { CourtsideError } from '../core/errors.js';
import { createDashboardApp } from './app.js';

export interface DashboardServerOptions {
  readonly db: string;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly log?: (line: string) => void;
}

export interface RunningDashboard {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Whether the address the server is bound to is this machine only (127.0.0.0/8, ::1). */
function isLoopback(address: string): boolean {
  return /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(address) || address === '::1';
}

/**
 * The Host headers a browser sends for a loopback server on `port`: each loopback name (and the
 * address bound, e.g. 127.0.0.2) with the port, and on port 80 (HTTP's default) also without it, as
 * browsers and curl send it there.
 */
export function loopbackHosts(port: number, bound = '127.0.0.1'): ReadonlySet<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', bound.includes(':') ? `[${bound}]` : bound];
  return new Set([...names.map((n) => `${n}:${port}`), ...(port === 80 ? names : [])]);
}

export async function startDashboard(o: DashboardServerOptions): Promise<RunningDashboard> {
  let hosts: ReadonlySet<string> | null = null;
  const app = createDashboardApp({
    db: o.db,
    // Bound to loopback, only loopback names are answered (a DNS-rebinding page cannot read it);
    // bound wider on purpose, any name is.
    hostAllowed: (host) => hosts === null || hosts.has(host.toLowerCase()),
    log: o.log,
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${o.port} is already in use` : err.code === 'EADDRNOTAVAIL' ? `cannot bind ${o.host} on this machine` : err.message;
      reject(new CourtsideError('SERVE', `cannot listen on ${o.host}:${o.port}: ${why}`, 2, { cause: err }));
    });
    server.listen(o.port, o.host, () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  // Judged by the address bound, not the name given: --host LOCALHOST or 127.0.0.2 is loopback too.
  if (isLoopback(address)) hosts = loopbackHosts(port, address);
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
