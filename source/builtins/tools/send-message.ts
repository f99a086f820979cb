/**
 * `send_message`: the original framework's one tool for talking to a team.
 * Creature folders written for it list `send_message`, so it is kept as an
 * alias that picks its meaning from the name it is given: a member of the
 * team → a direct message (`group_send`), any other name → a channel
 * (`send_channel`). A member's own direct channel carries its name, so
 * checking members first gives the same result either way.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { acting, GROUP_PREFIX, groupOf } from './group-common.js';

const input = builtinInput('send-message', () =>
  z.object({
  channel: z.string().min(1).optional().describe('A channel to send on, or a member name for a direct message.'),
  to: z.string().min(1).optional().describe('Same as channel (either one names where the message goes).'),
  message: z.string().min(1).describe('The message; self-contained, as the receivers have not seen your conversation.'),
  reply_to: z.string().min(1).optional().describe('On a channel: the id of the message this answers.'),
}));

const DESCRIPTION = `${GROUP_PREFIX}send a message to a channel or straight to a member, by name`;

export const sendMessageTool: ToolFactory = {
  name: 'send_message',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'send_message',
      description: DESCRIPTION,
      doc: [
        "Sends `message` to `channel` (or `to`; give one of them). When the name is a team member's, the member gets it directly, as with `group_send`; otherwise it goes on that channel, as with `send_channel`, and every listener (one, on a queue) gets it.",
        'The same limits apply as for those tools: channels need a send edge, and a member who is not a coordinator may message only coordinators directly. Outside a terrarium there is nobody to send to and the call fails.',
      ].join('\n\n'),
      input,
      async execute({ channel, to, message, reply_to }, ctx) {
        const target = channel ?? to;
        if (!target) throw new ToolError('send_message: say where the message goes: channel (a channel or member name) or to', { tool: 'send_message' });
        if (channel && to && channel !== to) {
          throw new ToolError(`send_message: channel '${channel}' and to '${to}' disagree; give one of them`, { tool: 'send_message' });
        }
        const group = groupOf(ctx, 'send_message');
        const members = (await group.status()).creatures.map((c) => c.name);
        if (members.includes(target)) {
          const sent = await acting('send_message', () => group.direct(target, message));
          return `Sent to ${target} directly (${sent.messageId}).`;
        }
        const sent = await acting('send_message', () => group.send(target, message, reply_to ? { replyTo: reply_to } : {}));
        const who = sent.deliveredTo.length ? `delivered to ${sent.deliveredTo.join(', ')}` : 'nobody is listening on it right now, so nobody got it';
        return `Sent on '${target}' (${sent.messageId}); ${who}.`;
      },
    }),
};
