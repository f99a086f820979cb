/**
 * `/triggers`: what can start a turn without anyone typing — each trigger's
 * id, kind, name, when it fires next (relative and local time), how often it
 * fired, where it came from and what it waits for. `/triggers delete <id>`
 * (or `rm`) stops one.
 */
import type { Agent, TriggerInfo } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';
import { relativeTime, triggerGlyph } from '../state/triggers.js';

const DELETE_VERBS = new Set(['delete', 'rm', 'remove']);

export const triggersCommand: SlashCommand = {
  name: 'triggers',
  args: '[delete <id>]',
  summary: 'List the triggers that start turns on their own, or delete one',
  async run(agent: Agent, args: string): Promise<CommandOutcome> {
    const [verb, target] = args.trim().split(/\s+/).filter(Boolean);
    if (!verb || verb === 'list') return { kind: 'note', text: listText(agent.triggers, Date.now()) };
    if (!DELETE_VERBS.has(verb)) return { kind: 'note', tone: 'warning', text: 'usage: /triggers [list | delete <id>]' };
    if (!target) return { kind: 'note', tone: 'warning', text: 'usage: /triggers delete <id> (/triggers lists the ids)' };
    const found = findTrigger(agent.triggers, target);
    if (!found) return { kind: 'note', tone: 'warning', text: `No trigger '${target}'; /triggers lists them.` };
    try {
      if (!(await agent.removeTrigger(found.id))) return { kind: 'note', tone: 'warning', text: `Trigger ${found.id} was already gone.` };
    } catch (error) {
      return { kind: 'note', tone: 'error', text: (error as Error).message };
    }
    return { kind: 'note', text: `Deleted trigger ${found.id} (${found.kind} '${found.name}'); it will not fire again.` };
  },
  complete(agent: Agent, args: string): string[] {
    const words = args.split(/\s+/);
    if (words.length <= 1) return ['list', 'delete'].filter((v) => v.startsWith(words[0] ?? ''));
    if (words.length === 2 && DELETE_VERBS.has(words[0]!)) return agent.triggers.map((t) => `${words[0]} ${t.id}`).filter((c) => c.startsWith(args));
    return [];
  },
};

/** By id, or by name when only one trigger has it. */
function findTrigger(triggers: readonly TriggerInfo[], target: string): TriggerInfo | undefined {
  const byId = triggers.find((t) => t.id === target);
  if (byId) return byId;
  const named = triggers.filter((t) => t.name === target);
  return named.length === 1 ? named[0] : undefined;
}

/** One block per trigger: a heading line, then what it waits for and its figures. */
export function listText(triggers: readonly TriggerInfo[], now: number): string {
  if (triggers.length === 0) return 'No triggers. A creature gets them from its config (triggers:), a setup tool, or code.';
  const blocks = triggers.map((t) => {
    const next = t.nextFireAt !== undefined ? `next ${relativeTime(t.nextFireAt - now)} (${localTime(t.nextFireAt, now)})` : 'next: when its condition holds';
    return [
      `${triggerGlyph(t.kind)} ${t.id}  ${t.kind} '${t.name}'`,
      `   ${t.description || '(no description)'}`,
      `   ${next} · fired ${t.fired} time${t.fired === 1 ? '' : 's'} · from ${t.origin}${t.resumable ? ' · kept on resume' : ''}`,
    ].join('\n');
  });
  return [`${triggers.length} trigger${triggers.length === 1 ? '' : 's'} (/triggers delete <id> stops one):`, ...blocks].join('\n');
}

/** 14:05, or "Tue 14:05" when it is not today. */
function localTime(at: number, now: number): string {
  const date = new Date(at);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date(now).toDateString() ? time : `${date.toLocaleDateString([], { weekday: 'short', month: 'short', day: 'numeric' })} ${time}`;
}
