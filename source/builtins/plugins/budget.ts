/**
 * `budget`: limits on how much a creature may do, each a `[soft, hard]` pair.
 * Past the soft limit the model is told (an alert appended to what it is
 * sent); at the hard limit the next model call, tool call or sub-agent run
 * is blocked, and the turn ends with the reason.
 *
 * Counts live in the plugin's session state, so a resumed session keeps
 * spending the same budget. Wall time counts from when the creature started
 * in this process.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { PluginBlockError } from '../../engine/errors.js';
import type { Message } from '../../engine/llm/messages.js';
import { plugin } from '../../engine/plugins/define.js';

const pair = () => z
  .tuple([z.number().nonnegative(), z.number().nonnegative()])
  .refine(([soft, hard]) => soft <= hard, 'the soft limit must not exceed the hard limit');

const options = lazySchema(() => z
  .object({
    /** Model calls of the creature itself. */
    turn_budget: pair().optional(),
    /** Tool calls. */
    tool_call_budget: pair().optional(),
    /** Seconds since the creature started. */
    walltime_budget: pair().optional(),
    /** Model calls made by sub-agents. */
    subagent_turn_budget: pair().optional(),
    /** Tell the model when a soft limit is passed (default true). */
    inject_alert: z.boolean().default(true),
  })
  .strict());

type Counter = 'turns' | 'tool_calls' | 'subagent_turns';
type Limits = readonly [number, number];

export const budgetPlugin = plugin({
  name: 'budget',
  description: 'Soft and hard limits on model calls, tool calls, wall time and sub-agent calls',
  priority: 5,
  options,
  setup(ctx) {
    const o = ctx.options;
    let startedAt = ctx.now();
    const count = (key: Counter) => ctx.state.get<number>(key) ?? 0;
    const seconds = () => (ctx.now() - startedAt) / 1000;

    /** Count one more use of `key`, unless that passes the hard limit: then block, counting nothing. */
    const spend = (key: Counter, label: string, limits: Limits | undefined): number => {
      const next = count(key) + 1;
      if (limits && next > limits[1]) throw new PluginBlockError(`${label} budget exhausted: ${limits[1]} used of ${limits[1]}`);
      ctx.state.set(key, next);
      return next;
    };
    const enforceTime = () => {
      const used = seconds();
      const limits = o.walltime_budget;
      if (limits && used > limits[1]) throw new PluginBlockError(`wall time budget exhausted: ${fmt(used)}s of ${limits[1]}s`);
    };
    /** An alert line once `used` is past the soft limit. */
    const alert = (label: string, used: number, limits: Limits | undefined, unit = ''): string | undefined =>
      limits && used > limits[0] ? `${label}: ${fmt(used)}${unit} used, hard limit ${limits[1]}${unit}` : undefined;

    const withAlert = (messages: readonly Message[], alerts: Array<string | undefined>): readonly Message[] | undefined => {
      const lines = alerts.filter((a): a is string => Boolean(a));
      if (!lines.length || !o.inject_alert) return undefined;
      const text = `[budget] Soft limits passed — ${lines.join('; ')}. Wrap up: finish the current step and report.`;
      return [...messages, { role: 'user', content: text }];
    };

    return {
      onAgentStart() {
        startedAt = ctx.now();
      },
      preLlmCall(messages, info) {
        enforceTime();
        const time = alert('wall time', seconds(), o.walltime_budget, 's');
        if (info.purpose === 'subagent') {
          const used = spend('subagent_turns', 'sub-agent model calls', o.subagent_turn_budget);
          return withAlert(messages, [alert('sub-agent model calls', used, o.subagent_turn_budget), time]);
        }
        if (info.purpose !== 'controller') return undefined;
        const used = spend('turns', 'model calls', o.turn_budget);
        // Tool calls past their limit are blocked one by one; the model still gets to answer.
        return withAlert(messages, [alert('model calls', used, o.turn_budget), alert('tool calls', count('tool_calls'), o.tool_call_budget), time]);
      },
      preToolExecute() {
        enforceTime();
        spend('tool_calls', 'tool calls', o.tool_call_budget);
      },
      preSubagentRun() {
        const limits = o.subagent_turn_budget;
        if (limits && count('subagent_turns') >= limits[1]) throw new PluginBlockError(`sub-agent model calls budget exhausted: ${limits[1]} used of ${limits[1]}`);
      },
    };
  },
});

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
