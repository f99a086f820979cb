/**
 * A trigger that fires on the messages of one channel: the way a creature
 * hears its team. The message reaches the creature as
 * `[Channel '<name>' from <sender>]: <content>` (or the given template with
 * `{content}`, `{sender}`, `{channel}`), and the fire's context carries the
 * channel, sender, message id and `replyTo`, so the log keeps who said what.
 */
import type { ChannelMessage } from '../channels/hub.js';
import type { Trigger } from './trigger.js';

export interface ChannelListenOptions {
  /** Default: the creature's own direct channel. */
  channel?: string;
  /** Only messages from this sender. */
  filterSender?: string;
  prompt?: string;
}

export function channelMessageText(message: ChannelMessage, template?: string): string {
  if (!template) return `[Channel '${message.channel}' from ${message.sender}]: ${message.content}`;
  const vars: Record<string, string> = { content: message.content, sender: message.sender, channel: message.channel };
  return template.replace(/\{(content|sender|channel)\}/g, (_whole, name: string) => vars[name] ?? '');
}

export function channelListener(options: ChannelListenOptions): Trigger {
  let unlisten: (() => void) | undefined;
  let listening = options.channel ?? '';
  return {
    kind: 'channel',
    describe: () => `messages on '${listening}'${options.filterSender ? ` from ${options.filterSender}` : ''}`,
    start(ctx) {
      listening = options.channel ?? ctx.creature;
      unlisten = ctx.channels.listen(listening, ctx.creature, (message) => {
        if (options.filterSender && message.sender !== options.filterSender) return;
        ctx.fire({
          content: channelMessageText(message, options.prompt),
          context: { channel: message.channel, sender: message.sender, messageId: message.id, ...(message.replyTo ? { replyTo: message.replyTo } : {}) },
        });
      });
    },
    stop() {
      unlisten?.();
    },
  };
}
