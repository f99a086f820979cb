/**
 * `circuit_breaker`: a model that keeps calling a tool that keeps failing is
 * stuck, and each retry costs a round. After `threshold` failures in a row
 * of one tool (one tool with the same arguments, with `same_args`), further
 * calls are refused with a message telling the model to change approach.
 *
 * What closes the breaker again: a success of that call, `window` seconds
 * without a new failure (failures older than that are forgotten), or a new
 * turn (`reset_each_turn`), since the person may have fixed the cause.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { PluginBlockError } from '../../engine/errors.js';
import { plugin } from '../../engine/plugins/define.js';

const options = lazySchema(() => z
  .object({
    threshold: z.number().int().min(1).default(3),
    /** Seconds a run of failures is remembered after the last one. */
    window: z.number().positive().default(300),
    /** Count failures per tool and arguments instead of per tool. */
    same_args: z.boolean().default(false),
    reset_each_turn: z.boolean().default(true),
  })
  .strict());

interface Run {
  failures: number;
  lastAt: number;
  lastError: string;
}

/** Arguments in a stable form, so `{a, b}` and `{b, a}` are one call. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export const circuitBreakerPlugin = plugin({
  name: 'circuit_breaker',
  description: 'Refuse a tool call that has failed several times in a row',
  priority: 20,
  options,
  setup(ctx) {
    const { threshold, window, same_args: sameArgs, reset_each_turn: perTurn } = ctx.options;
    const runs = new Map<string, Run>();
    let turn: string | null = null;
    const key = (tool: string, args: unknown) => (sameArgs ? `${tool} ${stable(args)}` : tool);
    const newTurn = (turnId: string | null) => {
      if (perTurn && turnId !== turn) runs.clear();
      turn = turnId;
    };
    const current = (k: string): Run | undefined => {
      const run = runs.get(k);
      if (run && ctx.now() - run.lastAt > window * 1000) {
        runs.delete(k);
        return undefined;
      }
      return run;
    };

    return {
      preToolExecute(args, info) {
        newTurn(info.turnId);
        const run = current(key(info.toolName, args));
        if (!run || run.failures < threshold) return;
        ctx.emit({ type: 'plugin.report', plugin: 'circuit_breaker', data: { blocked: info.toolName, failures: run.failures } });
        throw new PluginBlockError(
          `circuit_breaker: ${info.toolName}${sameArgs ? ' with these arguments' : ''} failed ${run.failures} times in a row (last error: ${run.lastError}). ` +
            'Calling it again the same way will not help: find out why it fails, or take a different approach.',
        );
      },
      postToolExecute(result, info) {
        newTurn(info.turnId);
        const k = key(info.toolName, info.args);
        if (!result.isError) {
          runs.delete(k);
          return;
        }
        const run = current(k) ?? { failures: 0, lastAt: 0, lastError: '' };
        const text = typeof result.output === 'string' ? result.output : result.output.map((p) => ('text' in p ? p.text : '')).join(' ');
        runs.set(k, { failures: run.failures + 1, lastAt: ctx.now(), lastError: text.trim().split('\n')[0]!.slice(0, 200) });
      },
    };
  },
});
