// Slack incoming webhook sink. Its HTTP client carries the policy's abort signal, so a webhook that
// never answers is cut off at the deadline (its socket destroyed) instead of after 300 s.
import { redactUrl } from './deadline.js';
import type { NotificationSink } from './event.js';
import { abortablePost } from './http-post.js';

export function slackSink(url: string): NotificationSink {
  return {
    name: `slack webhook ${redactUrl(url)}`,
    async send(subject, body, signal) {
      // Loaded only when a message is sent (most runs configure no webhook).
      const { IncomingWebhook } = await import('@slack/webhook');
      // No retries: a second attempt would only spend the same deadline again.
      const webhook = new IncomingWebhook(url, { fetch: abortablePost(signal), retryConfig: { retries: 0 } });
      await webhook.send({ text: `*${subject}*\n\`\`\`${body}\`\`\`` });
    },
  };
}
