// SMTP e-mail sink (nodemailer), configured by a URL such as smtp://host:port or smtps://user:pass@host.
// The sink opens the TCP connection itself (nodemailer's getSocket hook) so that it can destroy it
// when the send is aborted: nodemailer alone would wait 30 s for a greeting and 10 min on a silent socket.
import type { Socket } from 'node:net';
import { redactUrl } from './deadline.js';
import type { NotificationSink } from './event.js';

export interface SmtpConfig {
  readonly url: string;
  readonly from: string;
  readonly to: readonly string[];
}

interface SocketRequest {
  readonly host?: string;
  readonly port?: number | string;
  readonly secure?: boolean;
}

/** `timeoutMs` also bounds each SMTP phase inside nodemailer (connect, greeting, idle socket). */
export function emailSink(c: SmtpConfig, timeoutMs: number): NotificationSink {
  return {
    name: `smtp ${redactUrl(c.url)}`,
    async send(subject, body, signal) {
      // Loaded only when mail is sent: nodemailer is a large library that most runs never use (and
      // node:net, which costs every run's start-up a few milliseconds).
      const [{ default: nodemailer }, { default: SMTPTransport }, { connect }] = await Promise.all([import('nodemailer'), import('nodemailer/lib/smtp-transport/index.js'), import('node:net')]);
      const sockets = new Set<Socket>();
      const abort = () => {
        for (const s of sockets) s.destroy(signal.reason instanceof Error ? signal.reason : undefined);
      };
      signal.addEventListener('abort', abort, { once: true });
      // An SMTPTransport built directly: createTransport({ url, … }) would keep the URL and drop every other option.
      const smtp = new SMTPTransport({
        url: c.url,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        // Same host and default ports as nodemailer's own connect; TLS (smtps, STARTTLS) is layered on top by nodemailer.
        getSocket(options: SocketRequest, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void) {
          if (signal.aborted) return callback(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          const socket = connect({ host: options.host ?? 'localhost', port: Number(options.port) || (options.secure ? 465 : 587) });
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
          // Destroying the socket on abort emits 'error'; nodemailer's own handler may not be attached yet.
          socket.on('error', () => undefined);
          const onError = (err: Error) => callback(err);
          socket.once('error', onError);
          socket.once('connect', () => {
            socket.off('error', onError);
            callback(null, { connection: socket });
          });
        },
      });
      const transport = nodemailer.createTransport(smtp);
      try {
        await transport.sendMail({ from: c.from, to: [...c.to], subject, text: body });
      } finally {
        signal.removeEventListener('abort', abort);
        transport.close();
      }
    },
  };
}
