/**
 * `channel`: turn each message on a channel into a turn. By default it
 * listens on the creature's own direct channel. The creature's own sends
 * never come back to it (the hub skips the sender).
 */
import { z } from 'zod';
import type { TriggerDefinition } from '../../engine/triggers/trigger.js';
import { fillTemplate } from './template.js';

const options = z.strictObject({
  channel: z.string().min(1).optional(),
  filter_sender: z.string().min(1).optional(),
  prompt: z.string().min(1).optional(),
});

export const channelTrigger: TriggerDefinition<z.output<typeof options>> = {
  kind: 'channel',
  description: 'fires on each message of a channel (default: the creature\'s direct channel); resumable',
  resumable: true,
  options,
  create(o) {
    let unlisten: (() => void) | undefined;
    let listening = o.channel ?? '';
    return {
      kind: 'channel',
      describe: () => `messages on '${listening}'${o.filter_sender ? ` from ${o.filter_sender}` : ''}`,
      start(ctx) {
        listening = o.channel ?? ctx.creature;
        unlisten = ctx.channels.listen(listening, ctx.creature, (message) => {
          if (o.filter_sender && message.sender !== o.filter_sender) return;
          const values = { content: message.content, sender: message.sender, channel: message.channel };
          const content = o.prompt ? fillTemplate(o.prompt, values) : `[Channel '${message.channel}' from ${message.sender}]: ${message.content}`;
          ctx.fire({
            content,
            context: { channel: message.channel, sender: message.sender, messageId: message.id, ...(message.replyTo ? { replyTo: message.replyTo } : {}) },
          });
        });
      },
      stop() {
        unlisten?.();
      },
    };
  },
};
