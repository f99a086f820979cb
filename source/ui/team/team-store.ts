/**
 * The team behind the screen: one transcript store and agent slot per
 * member (fed by that member's own agent events, so each transcript is the
 * same view a single creature gets), the team view (roster, focus, graph,
 * lights), one log store per channel tab (every message seen on it), and
 * what the person does to the team (focus, `@name message`, posting on a
 * channel).
 */
import type { ViewStore } from '../state/store.js';
import { AgentSlot } from '../state/agent-slot.js';
import { addItem } from '../state/reduce.js';
import { channelEntry, PERSON, type LoggedMessage } from './channel-log.js';
import { channelLine, focusOn, initialTeamView, isChannelFocus, nextFocus, reduceTeam, tickTeam, withGraph, type TeamView } from './team-state.js';
import type { TeamEvent, TeamMember, TeamSource } from './team-source.js';

export interface MemberView {
  store: ViewStore;
  slot: AgentSlot;
}

export class TeamStore {
  private view: TeamView;
  private readonly members = new Map<string, MemberView & { off: () => void }>();
  /** Channel tabs' logs, by channel name; the messages by id, for reply markers. */
  private readonly channels = new Map<string, { store: ViewStore; messages: Map<string, LoggedMessage> }>();
  /** A channel tab's prompt talks to no creature: its lines are posted (see team-app), so its slot stays empty. */
  private readonly channelSlot = new AgentSlot();
  private readonly listeners = new Set<() => void>();
  private readonly offTeam: () => void;

  constructor(
    readonly source: TeamSource,
    root: string,
    /** A fresh view store for a member's transcript or a channel tab's log (`#name`). */
    private readonly newStore: (owner: string) => ViewStore,
  ) {
    const graph = source.snapshot();
    this.view = initialTeamView(root, [], graph);
    this.view = withGraph(this.view, graph, (name) => source.getCreature(name)?.state ?? 'stopped');
    for (const member of source.listCreatures()) this.adopt(member);
    this.offTeam = source.on((event) => this.onEvent(event));
  }

  getState = (): TeamView => this.view;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The focused member's transcript and slot, or the focused channel tab's log (with an empty slot). */
  focused(): MemberView {
    return this.viewOf(this.view.focus)!;
  }

  /** A member's view (`name`) or a channel tab's (`#name`). */
  viewOf(focus: string): MemberView | undefined {
    if (!isChannelFocus(focus)) return this.member(focus);
    return this.view.channels.some((t) => `#${t.name}` === focus) ? { store: this.channelLog(focus.slice(1)).store, slot: this.channelSlot } : undefined;
  }

  member(name: string): MemberView | undefined {
    return this.members.get(name);
  }

  names(): string[] {
    return this.view.roster.map((r) => r.name);
  }

  /** The channel tabs, as they are addressed: `#review`. */
  channelNames(): string[] {
    return this.view.channels.map((t) => `#${t.name}`);
  }

  /** Focus a member (`name`) or a channel tab (`#name`); false when there is no such one. */
  setFocus(name: string): boolean {
    if (!this.viewOf(name)) return false;
    if (name !== this.view.focus) this.set(focusOn(this.view, name));
    return true;
  }

  /** Tab: the next member, then (tui, `withChannels`) the channel tabs. */
  cycleFocus(withChannels = false): void {
    this.setFocus(nextFocus(this.view, withChannels));
  }

  /**
   * The person posts on a channel, as `you`: its listeners get it as a channel turn, as they would a
   * member's message. Throws when the team takes no posts or the channel does not exist.
   */
  post(channel: string, text: string): void {
    if (!this.source.hub) throw new Error(`${this.source.name} takes no posts on its channels`);
    this.source.hub.send(channel, text, { sender: PERSON });
  }

  /** `@name message`: a turn of that member, started by the person. */
  send(name: string, message: string): Promise<unknown> | undefined {
    const member = this.source.getCreature(name);
    if (!member) return undefined;
    return member.agent.run(message, { source: 'user' });
  }

  /** A render tick: recent traffic lights go out after a few. */
  tick(): void {
    if (Object.keys(this.view.lit).length) this.set(tickTeam(this.view));
    else this.view = { ...this.view, tick: this.view.tick + 1 };
  }

  close(): void {
    this.offTeam();
    for (const m of this.members.values()) m.off();
  }

  private set(next: TeamView): void {
    this.view = next;
    for (const listener of [...this.listeners]) listener();
  }

  /** A channel's log store, made on first use. */
  private channelLog(channel: string): { store: ViewStore; messages: Map<string, LoggedMessage> } {
    let log = this.channels.get(channel);
    if (!log) {
      const store = this.newStore(`#${channel}`);
      store.update((s) => ({ ...s, model: `#${channel} · lines you type are posted here as ${PERSON}`, creature: `#${channel}` }));
      log = { store, messages: new Map() };
      this.channels.set(channel, log);
    }
    return log;
  }

  private logOnChannel(channel: string, event: TeamEvent): void {
    const log = this.channelLog(channel);
    const text = channelEntry(event, (id) => log.messages.get(id));
    log.store.update((s) => addItem(s, { kind: 'info', tone: event.creature === PERSON ? 'success' : 'info', text }));
    if (typeof event.payload.id === 'string') log.messages.set(event.payload.id, { sender: event.creature ?? '?', content: String(event.payload.content ?? '') });
  }

  private adopt(member: TeamMember): void {
    if (this.members.has(member.name)) return;
    const store = this.newStore(member.name);
    const slot = new AgentSlot(member.agent);
    store.update((s) => ({ ...s, model: member.agent.model, creature: member.name }));
    const offEvents = member.agent.on((event) => store.dispatch(event));
    // The person can answer every member, focused or not: its questions wait (rather than being refused)
    // and the focus moves to the one asking, whose prompt area then shows the question.
    const detach = member.agent.interactions.attach();
    const offAsk = member.agent.on('interaction.request', () => {
      if (this.view.focus === member.name) return;
      store.update((s) => addItem(s, { kind: 'info', tone: 'warning', text: `${member.name} needs your answer` }));
      this.setFocus(member.name);
    });
    this.members.set(member.name, {
      store,
      slot,
      off: () => {
        offEvents();
        offAsk();
        detach();
      },
    });
  }

  private onEvent(event: TeamEvent): void {
    if (event.kind === 'topology_changed' || event.kind === 'creature_started') {
      for (const member of this.source.listCreatures()) this.adopt(member);
      const graph = event.kind === 'topology_changed' ? (event.payload.topology as TeamView['graph']) : this.view.graph;
      this.view = withGraph(this.view, graph, (name) => this.source.getCreature(name)?.state ?? 'stopped');
    }
    if (event.kind === 'channel_message') {
      // The line goes to the transcripts of the sender and of whoever heard it; what the person posted
      // also to the focused member's, so a post from cli mode shows where it was typed.
      const text = channelLine(event);
      const to = (event.payload.deliveredTo as string[] | undefined) ?? [];
      const person = event.creature === PERSON && !isChannelFocus(this.view.focus) ? [this.view.focus] : [];
      for (const name of new Set([event.creature ?? '', ...to, ...person])) this.members.get(name)?.store.update((s) => addItem(s, { kind: 'info', tone: 'info', text }));
      if (event.channel && !this.members.has(event.channel)) this.logOnChannel(event.channel, event);
    }
    this.set(reduceTeam(this.view, event));
  }
}
