/**
 * Setup tools: the model schedules its own work. `add_timer`,
 * `add_schedule` and `watch_channel` add a trigger of the matching built-in
 * kind and answer with its id; such triggers are kept in the session and
 * come back on resume. They change only the creature's own schedule, never
 * files or the machine, so they declare no approval-worthy effect.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { added, adding, triggersOf } from './trigger-control.js';

const PREFIX = 'Trigger — ';

const timerInput = builtinInput('trigger-setup.timerInput', () =>
  z.object({
  interval: z.union([z.number().positive(), z.string().min(1)]).describe('Seconds between fires, or a duration such as "10m", "1h30m".'),
  prompt: z.string().min(1).describe('What you will be told each time it fires: write it as an instruction to yourself.'),
  count: z.number().int().positive().optional().describe('Stop after this many fires (default: keep firing).'),
  immediate: z.boolean().optional().describe('Fire once right away too (default false).'),
  name: z.string().min(1).max(64).optional().describe('A short label for lists.'),
}));

export const addTimerTool: ToolFactory = {
  name: 'add_timer',
  description: `${PREFIX}wake yourself up every interval with a prompt; returns the trigger id`,
  create: () =>
    tool({
      name: 'add_timer',
      description: `${PREFIX}wake yourself up every interval with a prompt; returns the trigger id`,
      doc: 'Adds a repeating timer. Each fire starts a new turn with `prompt` as its input. A fire while the previous one still runs is skipped. The timer survives a resumed session. Remove it with `delete_trigger`; see all with `list_triggers`.',
      input: timerInput,
      async execute({ name, ...options }, ctx) {
        const control = triggersOf(ctx, 'add_timer');
        const summary = await adding('add_timer', () => control.add('timer', stripUndefined(options), name ? { name } : {}));
        return added(summary, control.now?.() ?? Date.now());
      },
    }),
};

const scheduleInput = builtinInput('trigger-setup.scheduleInput', () =>
  z.object({
  cron: z.string().min(1).describe('A cron expression: "minute hour day month weekday", e.g. "0 9 * * 1-5" for 09:00 on weekdays.'),
  prompt: z.string().min(1).describe('What you will be told at each run.'),
  timezone: z.string().min(1).optional().describe('IANA time zone, e.g. "Europe/Paris" (default: the machine\'s).'),
  name: z.string().min(1).max(64).optional().describe('A short label for lists.'),
}));

export const addScheduleTool: ToolFactory = {
  name: 'add_schedule',
  description: `${PREFIX}run a prompt on a cron schedule (clock-aligned, time zone aware); returns the trigger id`,
  create: () =>
    tool({
      name: 'add_schedule',
      description: `${PREFIX}run a prompt on a cron schedule (clock-aligned, time zone aware); returns the trigger id`,
      doc: 'Adds a schedule. At each time the cron expression matches, a new turn starts with `prompt`. Runs missed while the creature was not running are reported, not replayed. Remove it with `delete_trigger`.',
      input: scheduleInput,
      async execute({ name, ...options }, ctx) {
        const control = triggersOf(ctx, 'add_schedule');
        const summary = await adding('add_schedule', () => control.add('scheduler', stripUndefined(options), name ? { name } : {}));
        return added(summary, control.now?.() ?? Date.now());
      },
    }),
};

const watchInput = builtinInput('trigger-setup.watchInput', () =>
  z.object({
  channel: z.string().min(1).describe('The channel to listen on.'),
  prompt: z.string().min(1).optional().describe('Input for each message; {content}, {sender} and {channel} are filled in. Default: the message itself with its channel and sender.'),
  filter_sender: z.string().min(1).optional().describe('Only messages from this sender.'),
}));

export const watchChannelTool: ToolFactory = {
  name: 'watch_channel',
  description: `${PREFIX}start a turn for each message on a channel; returns the trigger id`,
  create: () =>
    tool({
      name: 'watch_channel',
      description: `${PREFIX}start a turn for each message on a channel; returns the trigger id`,
      doc: 'Listens on a channel; each message (yours excluded) starts a turn. Use `filter_sender` to hear one sender only. Remove it with `delete_trigger`.',
      input: watchInput,
      async execute(options, ctx) {
        const control = triggersOf(ctx, 'watch_channel');
        const summary = await adding('watch_channel', () => control.add('channel', stripUndefined(options), { name: `watch ${options.channel}` }));
        return added(summary, control.now?.() ?? Date.now());
      },
    }),
};

function stripUndefined(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
