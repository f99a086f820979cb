/**
 * The team view model, pure: who is in the roster (state, unread count),
 * the channel tabs (unread count), who or what has the focus (a creature's
 * name, or `#channel` for a channel tab), the graph, and what is lit
 * because traffic just flowed.
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

/** A channel shown as a tab (tui): one the team made, not a member's own direct channel. */
export interface ChannelTab {
  /** The channel's name, without the `#`. */
  name: string;
  /** Messages on it since the person last looked at its tab. */
  unread: number;
}

export interface TeamView {
  /** A member's name, or `#name` for a channel tab. */
  focus: string;
  roster: RosterEntry[];
  channels: ChannelTab[];
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
  return { focus, roster, channels: channelTabs([], graph), graph, lit: {}, tick: 0 };
}

/** A focus naming a channel tab (`#review`) rather than a member. */
export const isChannelFocus = (focus: string): boolean => focus.startsWith('#');

/** The channels that get a tab: every channel in the graph except the members' direct ones, unread counts kept. */
function channelTabs(current: readonly ChannelTab[], graph: TeamGraph): ChannelTab[] {
  const members = new Set(graph.creatures.map((c) => c.name));
  return graph.channels.filter((c) => !members.has(c.name)).map((c) => current.find((t) => t.name === c.name) ?? { name: c.name, unread: 0 });
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
      if (event.channel && `#${event.channel}` !== view.focus) next = { ...next, channels: next.channels.map((t) => (t.name === event.channel ? { ...t, unread: t.unread + 1 } : t)) };
      const lit = { ...view.lit, ...(event.creature ? { [event.creature]: view.tick } : {}), ...(event.channel ? { [`#${event.channel}`]: view.tick } : {}) };
      return { ...next, lit };
    }
    default:
      return view;
  }
}

/** The graph changed (members or channels added or removed): the roster and channel tabs follow it. */
export function withGraph(view: TeamView, graph: TeamGraph, stateOf: (name: string) => MemberState): TeamView {
  const roster = graph.creatures.map((c) => view.roster.find((r) => r.name === c.name) ?? { name: c.name, state: stateOf(c.name), privileged: c.privileged, unread: 0 });
  const channels = channelTabs(view.channels, graph);
  const next = { ...view, graph, roster, channels };
  // The focused channel was removed: the focus goes back to the first member.
  return isChannelFocus(view.focus) && !channels.some((t) => `#${t.name}` === view.focus) && roster[0] ? focusOn(next, roster[0].name) : next;
}

/** Every focus there is, in Tab order: the members, then (tui) the channel tabs. */
export function focusOrder(view: TeamView, withChannels: boolean): string[] {
  return [...view.roster.map((r) => r.name), ...(withChannels ? view.channels.map((t) => `#${t.name}`) : [])];
}

export function focusOn(view: TeamView, name: string): TeamView {
  if (isChannelFocus(name)) {
    const channel = name.slice(1);
    if (!view.channels.some((t) => t.name === channel)) return view;
    return { ...view, focus: name, channels: view.channels.map((t) => (t.name === channel ? { ...t, unread: 0 } : t)) };
  }
  if (!view.roster.some((r) => r.name === name)) return view;
  return { ...view, focus: name, roster: view.roster.map((r) => (r.name === name ? { ...r, unread: 0 } : r)) };
}

/** What comes after the focus (Tab): the next member, then (tui) the channel tabs, round again. */
export function nextFocus(view: TeamView, withChannels = false): string {
  const order = focusOrder(view, withChannels);
  const i = order.indexOf(view.focus);
  return order[(i + 1) % order.length] ?? view.focus;
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

/**
 * What `@name` at the start of a line asks for: focus (`@name` alone) or a message to that member;
 * `@#channel` the same for a channel tab (a message is posted on the channel). `names` holds both kinds.
 */
export function parseAddress(line: string, names: readonly string[]): { name: string; message?: string } | undefined {
  const match = /^@(#?[^\s#][^\s]*)(?:\s+([\s\S]*))?$/.exec(line.trim());
  if (!match || !names.includes(match[1]!)) return undefined;
  const message = match[2]?.trim();
  return message ? { name: match[1]!, message } : { name: match[1]! };
}
