/**
 * The tools every terrarium member has for talking to its team:
 * `send_channel` (on a channel it has a send edge for) and `group_send`
 * (straight to one member; non-privileged members reach only the
 * coordinators). Talking changes nothing outside the team's conversation,
 * so neither declares an effect for approval.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { acting, GROUP_PREFIX, groupOf } from './group-common.js';

const sendInput = builtinInput('group-messages.sendInput', () =>
  z.object({
  channel: z.string().min(1).describe('The channel to send on (one the Team section says you may send to).'),
  message: z.string().min(1).describe('The message. Make it self-contained: the listeners have not seen your conversation.'),
  reply_to: z.string().min(1).optional().describe('The id of the message this answers, when it answers one.'),
  metadata: z.record(z.string(), z.unknown()).optional().describe('Structured data to send along with the text.'),
}));

const SEND_DESCRIPTION = `${GROUP_PREFIX}send a message on a team channel; every listener (or, on a queue channel, one of them) gets it`;

export const sendChannelTool: ToolFactory = {
  name: 'send_channel',
  description: SEND_DESCRIPTION,
  create: () =>
    tool({
      name: 'send_channel',
      description: SEND_DESCRIPTION,
      doc: [
        'Sends `message` on `channel`. On a broadcast channel every member that listens gets it (you never hear your own); on a queue channel exactly one listener takes it, in turn.',
        'You may send only on channels you have a send edge for (see the Team section of your prompt, or `group_status`); other channels are refused with the list you may use.',
        'The receivers get it as a new message that starts a turn of theirs: do not wait for an answer inside your turn, it arrives later as a message to you.',
        'Optional: `reply_to` (the id of the message you answer), `metadata` (an object sent along).',
      ].join('\n\n'),
      input: sendInput,
      async execute({ channel, message, reply_to, metadata }, ctx) {
        const group = groupOf(ctx, 'send_channel');
        const sent = await acting('send_channel', () => group.send(channel, message, { ...(reply_to ? { replyTo: reply_to } : {}), ...(metadata ? { metadata } : {}) }));
        const to = sent.deliveredTo.length ? `delivered to ${sent.deliveredTo.join(', ')}` : 'nobody is listening on it right now, so nobody got it';
        return `Sent on '${channel}' (${sent.messageId}); ${to}.`;
      },
    }),
};

const directInput = builtinInput('group-messages.directInput', () =>
  z.object({
  to: z.string().min(1).describe('The member to message (its name or id).'),
  message: z.string().min(1).describe('The message; self-contained, as the receiver has not seen your conversation.'),
}));

const DIRECT_DESCRIPTION = `${GROUP_PREFIX}send a message straight to one member (non-coordinators may reach only the coordinators)`;

export const groupSendTool: ToolFactory = {
  name: 'group_send',
  description: DIRECT_DESCRIPTION,
  create: () =>
    tool({
      name: 'group_send',
      description: DIRECT_DESCRIPTION,
      doc: [
        "Sends `message` to the member `to` on its own direct channel, whatever the channels and send edges say. It starts a turn of that member's.",
        'A coordinator (privileged member) may message anyone; every other member may message only the coordinators and reaches the rest through channels (`send_channel`).',
      ].join('\n\n'),
      input: directInput,
      async execute({ to, message }, ctx) {
        const group = groupOf(ctx, 'group_send');
        const sent = await acting('group_send', () => group.direct(to, message));
        return `Sent to ${to} (${sent.messageId}).`;
      },
    }),
};
