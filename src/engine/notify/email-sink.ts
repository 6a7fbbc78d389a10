// SMTP e-mail sink (nodemailer), configured by a URL such as smtp://host:port or smtps://user:pass@host.
import nodemailer from 'nodemailer';
import type { NotificationSink } from './event.js';

export interface SmtpConfig {
  readonly url: string;
  readonly from: string;
  readonly to: readonly string[];
}

export function emailSink(c: SmtpConfig): NotificationSink {
  const transport = nodemailer.createTransport(c.url);
  return {
    name: 'email',
    async send(subject, body) {
      await transport.sendMail({ from: c.from, to: [...c.to], subject, text: body });
    },
  };
}
