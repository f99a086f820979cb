/**
 * The coordinator's tools for how the team is connected: `group_channel`
 * (channels and who listens or sends on them), `group_wire` (where a
 * member's turn-end text goes) and `group_status` (the team as a table).
 * Rewiring changes who hears whom — the team's layout, not the machine — so
 * it declares the `edit` effect: asked under the default approval mode, run
 * unasked under auto-edit, refused in plan mode. `group_status` only reads.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { acting, GROUP_PREFIX, groupOf, statusText } from './group-common.js';

const channelInput = builtinInput('group-graph.channelInput', () =>
  z.object({
  action: z.enum(['create', 'delete', 'wire', 'unwire']).describe('create or delete a channel; wire or unwire a member to it.'),
  channel: z.string().min(1).describe('The channel.'),
  description: z.string().optional().describe('create: what the channel is for (members read it in their Team section).'),
  type: z.enum(['broadcast', 'queue']).optional().describe('create: broadcast (every listener gets each message, the default) or queue (one listener takes each message, in turn).'),
  creature: z.string().min(1).optional().describe('wire/unwire: the member (default: you).'),
  direction: z.enum(['listen', 'send']).optional().describe('wire/unwire: listen (it hears the channel, the default) or send (it may send on it).'),
}));

const CHANNEL_DESCRIPTION = `${GROUP_PREFIX}create or delete a channel, or let a member listen or send on one (coordinators only)`;

export const groupChannelTool: ToolFactory = {
  name: 'group_channel',
  description: CHANNEL_DESCRIPTION,
  create: () =>
    tool({
      name: 'group_channel',
      description: CHANNEL_DESCRIPTION,
      doc: [
        '`action: create` makes `channel` (with `description` and `type` broadcast|queue); `delete` removes it and every edge to it (a member\'s own direct channel cannot be deleted).',
        '`action: wire` gives `creature` (default: you) an edge to `channel`: `direction: listen` (default) and each message on it starts a turn of theirs; `direction: send` and it may `send_channel` there. `unwire` takes the edge away.',
        "Every member's Team section follows the change at once.",
      ].join('\n\n'),
      input: channelInput,
      effect: 'edit',
      concurrency: 'exclusive',
      async execute({ action, channel, ...options }, ctx) {
        const group = groupOf(ctx, 'group_channel');
        const said = await acting('group_channel', () =>
          group.channel(action, channel, {
            ...(options.description !== undefined ? { description: options.description } : {}),
            ...(options.type ? { type: options.type } : {}),
            ...(options.creature ? { creature: options.creature } : {}),
            ...(options.direction ? { direction: options.direction } : {}),
          }),
        );
        return `${said}.`;
      },
    }),
};

const wireInput = builtinInput('group-graph.wireInput', () =>
  z.object({
  action: z.enum(['add', 'remove']).describe('add a wire, or remove one by edge_id.'),
  to: z.string().min(1).optional().describe('add: the member that receives the text.'),
  from: z.string().min(1).optional().describe('add: the member whose turn-end text is sent (default: you).'),
  with_content: z.boolean().optional().describe('add: send the text (default true), or only a signal that the turn ended.'),
  prompt: z.string().min(1).optional().describe('add: a template for what the receiver gets; {content} and {source} are filled in.'),
  prompt_format: z.enum(['simple', 'jinja']).optional().describe('add: `jinja` reads `prompt` as a Jinja template ({{ content }}, {{ source }}); default simple {name} placeholders.'),
  allow_self_trigger: z.boolean().optional().describe('add: allow a wire from a member to itself (default false).'),
  edge_id: z.string().min(1).optional().describe('remove: the wire id (see group_status).'),
}));

const WIRE_DESCRIPTION = `${GROUP_PREFIX}send a member's turn-end text to another member by itself, or remove such a wire (coordinators only)`;

export const groupWireTool: ToolFactory = {
  name: 'group_wire',
  description: WIRE_DESCRIPTION,
  create: () =>
    tool({
      name: 'group_wire',
      description: WIRE_DESCRIPTION,
      doc: [
        '`action: add` wires `from` (default: you) to `to`: whenever a turn of `from` ends, its final text starts a turn of `to` — no send_channel needed. `with_content: false` sends only a signal; `prompt` shapes the message ({content}, {source}).',
        'Wires deliver in the order they were added. A wire to oneself needs `allow_self_trigger`; a loop of wires is refused unless the team allows cycles.',
        '`action: remove` with `edge_id` (the id the add returned, or from `group_status`) takes a wire away.',
      ].join('\n\n'),
      input: wireInput,
      effect: 'edit',
      concurrency: 'exclusive',
      async execute(args, ctx) {
        const group = groupOf(ctx, 'group_wire');
        const said = await acting('group_wire', () =>
          group.wire(args.action, {
            ...(args.from ? { from: args.from } : {}),
            ...(args.to ? { to: args.to } : {}),
            ...(args.with_content !== undefined ? { withContent: args.with_content } : {}),
            ...(args.prompt ? { prompt: args.prompt } : {}),
            ...(args.prompt_format ? { promptFormat: args.prompt_format } : {}),
            ...(args.allow_self_trigger !== undefined ? { allowSelfTrigger: args.allow_self_trigger } : {}),
            ...(args.edge_id ? { edgeId: args.edge_id } : {}),
          }),
        );
        return `${said}.`;
      },
    }),
};

const STATUS_DESCRIPTION = `${GROUP_PREFIX}see the team: members (state, privilege, parent, channels), channels and wires`;

const groupStatusInput = builtinInput('group-graph.groupStatus', () => z.object({}));

export const groupStatusTool: ToolFactory = {
  name: 'group_status',
  description: STATUS_DESCRIPTION,
  create: () =>
    tool({
      name: 'group_status',
      description: STATUS_DESCRIPTION,
      doc: 'Shows the team as it is now: each member with its state (idle, running, stopped), whether it is privileged, who added it, the channels it listens on and may send to; each channel with its type and listeners; each output wire with its id (for `group_wire action: remove`). Call it before changing the team.',
      input: groupStatusInput,
      async execute(_args, ctx) {
        const group = groupOf(ctx, 'group_status');
        return statusText(await acting('group_status', () => group.status()), group.self);
      },
    }),
};
