// Test helper: a TCP server on 127.0.0.1 that accepts every connection and never sends a byte —
// a webhook that never answers, an SMTP server that never greets. It records when the client
// gives up and closes the connection, which is how a test sees that a send was really aborted.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SilentServer {
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Resolves once `n` connections have been closed by the client (the server never closes one). */
  clientClosed(n: number): Promise<void>;
  /** Called with each new connection, e.g. to inspect the warehouse at the moment a send starts. */
  onConnection(listener: () => void): void;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const listeners: (() => void)[] = [];
  let accepted = 0;
  let closed = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const settle = () => {
    for (const w of waiters.filter((x) => closed >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined); // a client reset is expected, not a failure
    socket.resume(); // read (and drop) what the client sends: a paused socket would never see it hang up
    socket.on('close', () => {
      if (sockets.delete(socket)) closed += 1;
      settle();
    });
    for (const l of listeners) l();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    clientClosed: (n) => new Promise<void>((resolve) => {
      waiters.push({ n, resolve });
      settle();
    }),
    onConnection: (l) => listeners.push(l),
    async close() {
      const open = [...sockets];
      sockets.clear(); // closed by us from here on: not counted as client closes
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
