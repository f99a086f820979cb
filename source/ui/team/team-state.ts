/**
 * The team view model, pure: who is in the roster (state, unread count),
 * who has the focus, the graph, and what is lit because traffic just flowed.
 * Engine events go in; components only render what comes out.
 */
import type { TeamEvent, TeamGraph } from './team-source.js';

export type MemberState = 'idle' | 'running' | 'stopped';

export interface RosterEntry {
  name: string;
  state: MemberState;
  privileged: boolean;
  /** Turns ended and channel messages heard since the person last looked at it. */
  unread: number;
}

export interface TeamView {
  focus: string;
  roster: RosterEntry[];
  graph: TeamGraph;
  /** Nodes and channels lit by recent traffic, with the tick they were lit at. */
  lit: Record<string, number>;
  /** Advanced by the render clock; a light older than LIT_TICKS goes out. */
  tick: number;
}

/** How many render ticks a light stays on. */
export const LIT_TICKS = 2;

export const STATE_GLYPH: Record<MemberState, string> = { idle: '○', running: '●', stopped: '×' };

export function initialTeamView(focus: string, roster: RosterEntry[], graph: TeamGraph): TeamView {
  return { focus, roster, graph, lit: {}, tick: 0 };
}

const bump = (view: TeamView, name: string | undefined, by = 1): RosterEntry[] =>
  view.roster.map((r) => (r.name === name && r.name !== view.focus ? { ...r, unread: r.unread + by } : r));

const withState = (view: TeamView, name: string | undefined, state: MemberState): RosterEntry[] => view.roster.map((r) => (r.name === name ? { ...r, state } : r));

export function reduceTeam(view: TeamView, event: TeamEvent): TeamView {
  switch (event.kind) {
    case 'processing_start':
      return { ...view, roster: withState(view, event.creature, 'running') };
    case 'processing_end':
      return { ...view, roster: bump({ ...view, roster: withState(view, event.creature, 'idle') }, event.creature) };
    case 'creature_started':
      return { ...view, roster: withState(view, event.creature, 'idle') };
    case 'creature_stopped':
      return { ...view, roster: withState(view, event.creature, 'stopped') };
    case 'channel_message': {
      const to = (event.payload.deliveredTo as string[] | undefined) ?? [];
      let next: TeamView = view;
      for (const name of to) next = { ...next, roster: bump(next, name) };
      const lit = { ...view.lit, ...(event.creature ? { [event.creature]: view.tick } : {}), ...(event.channel ? { [`#${event.channel}`]: view.tick } : {}) };
      return { ...next, lit };
    }
    default:
      return view;
  }
}

/** The graph changed (members added or removed): the roster follows it. */
export function withGraph(view: TeamView, graph: TeamGraph, stateOf: (name: string) => MemberState): TeamView {
  const roster = graph.creatures.map((c) => view.roster.find((r) => r.name === c.name) ?? { name: c.name, state: stateOf(c.name), privileged: c.privileged, unread: 0 });
  return { ...view, graph, roster };
}

export function focusOn(view: TeamView, name: string): TeamView {
  if (!view.roster.some((r) => r.name === name)) return view;
  return { ...view, focus: name, roster: view.roster.map((r) => (r.name === name ? { ...r, unread: 0 } : r)) };
}

/** The next member after the focused one (Tab). */
export function nextFocus(view: TeamView): string {
  const i = view.roster.findIndex((r) => r.name === view.focus);
  return view.roster[(i + 1) % view.roster.length]?.name ?? view.focus;
}

/** One render tick: lights older than LIT_TICKS go out. */
export function tickTeam(view: TeamView): TeamView {
  const tick = view.tick + 1;
  const lit = Object.fromEntries(Object.entries(view.lit).filter(([, at]) => tick - at < LIT_TICKS));
  return { ...view, tick, lit };
}

/** A channel message as one compact transcript line: `#review  swe → reviewer: text`. */
export function channelLine(event: TeamEvent, width = 100): string {
  const to = ((event.payload.deliveredTo as string[] | undefined) ?? []).join(', ') || '(nobody)';
  const content = String(event.payload.content ?? '').replace(/\s+/g, ' ').trim();
  const head = `#${event.channel ?? '?'}  ${event.creature ?? '?'} → ${to}: `;
  const room = Math.max(10, width - head.length);
  return head + (content.length > room ? `${content.slice(0, room - 1)}…` : content);
}

/** What `@name` at the start of a line asks for: focus (`@name` alone) or a message to that member. */
export function parseAddress(line: string, names: readonly string[]): { name: string; message?: string } | undefined {
  const match = /^@([A-Za-z0-9_-]+)(?:\s+([\s\S]*))?$/.exec(line.trim());
  if (!match || !names.includes(match[1]!)) return undefined;
  const message = match[2]?.trim();
  return message ? { name: match[1]!, message } : { name: match[1]! };
}
