/**
 * `channel`: turn each message on a channel into a turn. By default it
 * listens on the creature's own direct channel. The creature's own sends
 * never come back to it (the hub skips the sender).
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerDefinition } from '../../engine/triggers/trigger.js';
import { channelListener } from '../../engine/triggers/channel-listener.js';

const options = lazySchema(() => z.strictObject({
  channel: z.string().min(1).optional(),
  filter_sender: z.string().min(1).optional(),
  prompt: z.string().min(1).optional(),
}));

export const channelTrigger: TriggerDefinition<z.output<typeof options>> = {
  kind: 'channel',
  description: 'fires on each message of a channel (default: the creature\'s direct channel); resumable',
  resumable: true,
  options,
  create: (o) =>
    channelListener({
      ...(o.channel ? { channel: o.channel } : {}),
      ...(o.filter_sender ? { filterSender: o.filter_sender } : {}),
      ...(o.prompt ? { prompt: o.prompt } : {}),
    }),
};
