/**
 * `list_triggers` and `delete_trigger`: the model sees what wakes it up
 * and removes what it no longer needs.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { nextFireText, triggersOf } from './trigger-control.js';

const listTriggersInput = builtinInput('trigger-manage.listTriggers', () => z.object({}));

export const listTriggersTool: ToolFactory = {
  name: 'list_triggers',
  description: 'Trigger — list your triggers: id, kind, name, what it waits for, next fire, times fired',
  create: () =>
    tool({
      name: 'list_triggers',
      description: 'Trigger — list your triggers: id, kind, name, what it waits for, next fire, times fired',
      doc: 'Lists every trigger of this creature (from the config, from setup tools, from code) as a table: id, kind, name, what it waits for, the next fire in local time and relative to now, and how many times it fired.',
      input: listTriggersInput,
      execute(_args, ctx) {
        const control = triggersOf(ctx, 'list_triggers');
        const list = control.list();
        if (!list.length) return 'No triggers.';
        const now = control.now?.() ?? Date.now();
        const rows = list.map((t) => [t.id, t.kind, t.name, t.description, nextFireText(t, now), String(t.fired)]);
        return table(['id', 'kind', 'name', 'waits for', 'next fire', 'fired'], rows);
      },
    }),
};

const deleteTriggerInput = builtinInput('trigger-manage.deleteTrigger', () => z.object({ id: z.string().min(1).describe('The trigger id, as add_timer/add_schedule/watch_channel or list_triggers gave it.') }));

export const deleteTriggerTool: ToolFactory = {
  name: 'delete_trigger',
  description: 'Trigger — remove one of your triggers by id (see list_triggers)',
  create: () =>
    tool({
      name: 'delete_trigger',
      description: 'Trigger — remove one of your triggers by id (see list_triggers)',
      doc: 'Removes a trigger by id and stops it at once; it does not come back on resume. Ids come from the setup tools\' answers or list_triggers.',
      input: deleteTriggerInput,
      async execute({ id }, ctx) {
        const control = triggersOf(ctx, 'delete_trigger');
        if (await control.remove(id)) return `Removed trigger ${id}.`;
        const ids = control.list().map((t) => t.id);
        throw new ToolError(`delete_trigger: there is no trigger '${id}'${ids.length ? `; triggers: ${ids.join(', ')}` : ''}`, { tool: 'delete_trigger' });
      },
    }),
};

/** A plain-text table with columns padded to their widest cell. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
