// Slack incoming webhook sink.
import { IncomingWebhook } from '@slack/webhook';
import type { NotificationSink } from './event.js';

export function slackSink(url: string): NotificationSink {
  const webhook = new IncomingWebhook(url);
  return {
    name: 'slack',
    async send(subject, body) {
      await webhook.send({ text: `*${subject}*\n\`\`\`${body}\`\`\`` });
    },
  };
}
