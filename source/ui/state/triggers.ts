/**
 * Triggers in the view: the mark a trigger's turn gets where a typed message
 * would stand, the one-line notices of trigger events, and the list the
 * footer summarises. Kept calm: a trigger set up in the config or from code
 * shows only in the footer; one the model set up, one that failed or one the
 * model's setup ended gets a dim line.
 */
import type { AgentEvent, EventOf, TriggerInfo, TurnOrigin } from '../../index.js';
import type { NewItem } from './reduce.js';
import type { TriggerView, ViewState } from './view.js';

const GLYPHS: Record<string, string> = {
  timer: '⏰',
  scheduler: '⏰',
  schedule: '⏰',
  channel: '📨',
  webhook: '📨',
  file_watch: '👁',
};

/** The glyph a trigger kind is drawn with: a clock for time, an envelope for messages, an eye for files. */
export function triggerGlyph(kind: string): string {
  return GLYPHS[kind] ?? '⚡';
}

/** `⏰ timer 'standup'`: what started a turn nobody typed (the name is left out when it only repeats the kind). */
export function originLabel(origin: TurnOrigin | undefined, source: string): string {
  const kind = origin?.kind ?? source;
  const name = origin?.name && origin.name !== kind ? ` '${origin.name}'` : '';
  return `${triggerGlyph(kind)} ${kind}${name}`;
}

/** The transcript entry of a turn a trigger (or an input module) started. */
export function triggerItem(origin: TurnOrigin | undefined, source: string, text: string): NewItem {
  return { kind: 'trigger', label: originLabel(origin, source), text };
}

/** Whether a turn was started by a trigger or an input module (a channel message), not by what someone typed or sent. */
export function startedByTrigger(source: string, origin: TurnOrigin | undefined): boolean {
  return origin !== undefined || source === 'trigger' || source === 'channel';
}

/** Trigger events: the footer's list, and the few notices the transcript gets. */
export function reduceTriggerEvent(state: ViewState, event: AgentEvent): { state: ViewState; note?: NewItem } {
  switch (event.type) {
    case 'trigger.added': {
      const known = state.triggers.some((t) => t.id === event.triggerId);
      const entry: TriggerView = { id: event.triggerId, kind: event.kind, name: event.name, origin: event.origin, ...(event.nextFireAt !== undefined ? { nextFireAt: event.nextFireAt } : {}) };
      const next = { ...state, triggers: known ? state.triggers.map((t) => (t.id === entry.id ? entry : t)) : [...state.triggers, entry] };
      if (event.origin !== 'tool') return { state: next };
      return { state: next, note: { kind: 'info', tone: 'info', text: `${triggerGlyph(event.kind)} ${event.kind} ${quoted(event)} set up${event.description ? ` · ${event.description}` : ''}` } };
    }
    case 'trigger.removed': {
      const was = state.triggers.find((t) => t.id === event.triggerId);
      const next = { ...state, triggers: state.triggers.filter((t) => t.id !== event.triggerId) };
      if (event.reason.startsWith('failed')) return { state: next, note: { kind: 'info', tone: 'warning', text: `${triggerGlyph(event.kind)} ${event.kind} ${quoted(event)} stopped: ${event.reason}` } };
      // A user's /triggers delete says so itself; config triggers ending quietly is the footer's business.
      if (was?.origin !== 'tool' || event.reason === 'removed') return { state: next };
      return { state: next, note: { kind: 'info', tone: 'info', text: `${triggerGlyph(event.kind)} ${event.kind} ${quoted(event)} ${event.reason}` } };
    }
    case 'trigger.missed':
      return { state, note: { kind: 'info', tone: 'warning', text: missedText(event) } };
    default:
      return { state };
  }
}

/** "missed 3 runs of 'standup' while kt was not running" */
export function missedText(event: Pick<EventOf<'trigger.missed'>, 'count' | 'name' | 'kind' | 'triggerId'>): string {
  return `${triggerGlyph(event.kind)} missed ${event.count} run${event.count === 1 ? '' : 's'} of ${quoted(event)} while kt was not running`;
}

function quoted(event: { name: string; triggerId: string }): string {
  return `'${event.name || event.triggerId}'`;
}

/** The list as the creature reports it now (the next fire times move as triggers fire). */
export function withTriggers(state: ViewState, infos: readonly TriggerInfo[]): ViewState {
  const triggers = infos.map((t): TriggerView => ({ id: t.id, kind: t.kind, name: t.name, origin: t.origin, ...(t.nextFireAt !== undefined ? { nextFireAt: t.nextFireAt } : {}) }));
  const same = triggers.length === state.triggers.length && triggers.every((t, i) => sameTrigger(t, state.triggers[i]!));
  return same ? state : { ...state, triggers };
}

function sameTrigger(a: TriggerView, b: TriggerView): boolean {
  return a.id === b.id && a.name === b.name && a.nextFireAt === b.nextFireAt && a.kind === b.kind;
}

/** "⏰ 2 triggers · next 'standup' in 4m"; undefined when there are none. */
export function triggerSummary(triggers: readonly TriggerView[], now: number): string | undefined {
  if (triggers.length === 0) return undefined;
  const timed = triggers.filter((t) => t.nextFireAt !== undefined).sort((a, b) => a.nextFireAt! - b.nextFireAt!);
  const soonest = timed[0];
  const count = `${triggerGlyph((soonest ?? triggers[0]!).kind)} ${triggers.length} trigger${triggers.length === 1 ? '' : 's'}`;
  if (!soonest) return count;
  return `${count} · next '${soonest.name || soonest.id}' ${relativeTime(soonest.nextFireAt! - now)}`;
}

/** "in 40s", "in 4m", "in 2h 5m", "in 3d"; "due" once the time has come. */
export function relativeTime(ms: number): string {
  if (ms <= 0) return 'due';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `in ${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `in ${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `in ${hours}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
  return `in ${Math.round(hours / 24)}d`;
}
