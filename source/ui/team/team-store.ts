/**
 * The team behind the screen: one transcript store and agent slot per
 * member (fed by that member's own agent events, so each transcript is the
 * same view a single creature gets), the team view (roster, focus, graph,
 * lights), and what the person does to the team (focus, `@name message`).
 */
import type { ViewStore } from '../state/store.js';
import { AgentSlot } from '../state/agent-slot.js';
import { addItem } from '../state/reduce.js';
import { channelLine, focusOn, initialTeamView, nextFocus, reduceTeam, tickTeam, withGraph, type TeamView } from './team-state.js';
import type { TeamEvent, TeamMember, TeamSource } from './team-source.js';

export interface MemberView {
  store: ViewStore;
  slot: AgentSlot;
}

export class TeamStore {
  private view: TeamView;
  private readonly members = new Map<string, MemberView & { off: () => void }>();
  private readonly listeners = new Set<() => void>();
  private readonly offTeam: () => void;

  constructor(
    readonly source: TeamSource,
    root: string,
    private readonly newStore: (member: TeamMember) => ViewStore,
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

  /** The focused member's transcript and slot. */
  focused(): MemberView {
    return this.member(this.view.focus)!;
  }

  member(name: string): MemberView | undefined {
    return this.members.get(name);
  }

  names(): string[] {
    return this.view.roster.map((r) => r.name);
  }

  setFocus(name: string): boolean {
    if (!this.members.has(name) || name === this.view.focus) return this.members.has(name);
    this.set(focusOn(this.view, name));
    return true;
  }

  cycleFocus(): void {
    this.setFocus(nextFocus(this.view));
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

  private adopt(member: TeamMember): void {
    if (this.members.has(member.name)) return;
    const store = this.newStore(member);
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
      // The line goes to the transcripts of the sender and of whoever heard it.
      const text = channelLine(event);
      const to = (event.payload.deliveredTo as string[] | undefined) ?? [];
      for (const name of new Set([event.creature ?? '', ...to])) this.members.get(name)?.store.update((s) => addItem(s, { kind: 'info', tone: 'info', text }));
    }
    this.set(reduceTeam(this.view, event));
  }
}
