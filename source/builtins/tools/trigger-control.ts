/**
 * What the trigger setup tools share: reaching the creature's triggers,
 * and describing one in the words the model reads back.
 */
import { ToolError } from '../../engine/errors.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import type { TriggerControl, TriggerSummary } from '../../engine/tools/runtime.js';

/** The creature's triggers, or a clear error when the host offers none (a bare tool runner, a sub-agent). */
export function triggersOf(ctx: ToolContext, tool: string): TriggerControl {
  const control = ctx.runtime.triggers;
  if (!control) throw new ToolError(`${tool}: this creature cannot schedule its own work here (no triggers are available in this context)`, { tool });
  return control;
}

/** "in 9m59s" / "3m ago": how far `at` is from `now`. */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const seconds = Math.round(abs / 1000);
  const text = seconds < 60 ? `${seconds}s` : seconds < 3600 ? `${Math.floor(seconds / 60)}m${seconds % 60 ? `${seconds % 60}s` : ''}` : seconds < 86_400 ? `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60) ? `${Math.floor((seconds % 3600) / 60)}m` : ''}` : `${Math.floor(seconds / 86_400)}d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** Local wall time of an epoch ms: "2026-01-05 10:00". */
export function localTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function nextFireText(t: TriggerSummary, now: number): string {
  return t.nextFireAt === undefined ? '-' : `${localTime(t.nextFireAt)} (${relativeTime(t.nextFireAt, now)})`;
}

/** The answer to a setup call: the new trigger's id first, which delete_trigger takes. */
export function added(t: TriggerSummary, now: number): string {
  const next = t.nextFireAt === undefined ? '' : `; next fire ${nextFireText(t, now)}`;
  return `Added trigger ${t.id} (${t.kind}: ${t.description})${next}. Remove it with delete_trigger id=${t.id}.`;
}

/** A setup call the trigger kind refused (bad interval, bad cron): the reason, as a tool error the model can fix. */
export async function adding(tool: string, run: () => Promise<TriggerSummary>): Promise<TriggerSummary> {
  try {
    return await run();
  } catch (error) {
    throw new ToolError(`${tool}: ${(error as Error).message}`, { tool, cause: error });
  }
}
