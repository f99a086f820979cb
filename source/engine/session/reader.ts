/**
 * `SessionReader`: a finished (or running) session, read-only. Events as
 * they were emitted, turns summarised, the conversation rebuilt. Safe to use
 * on a file another process is writing: WAL readers see committed data.
 *
 *   using reader = new SessionReader('runs/student-42.kohakutr');
 *   for (const turn of reader.turns()) console.log(turn.userText, '->', turn.assistantText);
 */
import type { AgentEvent, EventOf, InputSource, TurnOrigin, TurnStatus } from '../events.js';
import { contentText, emptyUsage, type Message, type Usage } from '../llm/messages.js';
import type { SessionMeta } from './meta.js';
import { ConversationFold, livePath, turnStartInfo } from './replay.js';
import { readCreatureState, selectedBranchesKey } from './restore.js';
import { SessionStore } from './store.js';
import { TOPOLOGY_KEY, type SavedTopology } from './team-state.js';

/** An event with its position in the log. */
export type LoggedEvent = AgentEvent & { eventId: number };

export interface TurnToolCall {
  callId: string;
  name: string;
  args: unknown;
  result?: string;
  error: boolean;
  /** How long it ran (recorded on its result). */
  durationMs?: number;
}

export interface TurnRecord {
  index: number;
  branch: number;
  userText: string;
  /** Where the input came from, and for trigger turns which trigger started it. */
  source?: InputSource;
  origin?: TurnOrigin;
  /** Everything the assistant said in the turn, rounds separated by blank lines. */
  assistantText: string;
  toolCalls: TurnToolCall[];
  usage: Usage;
  status?: TurnStatus;
  startedAt: number;
  durationMs?: number;
}

export interface CreatureRecord {
  name: string;
  /** Its instance id (from its first `creature.start`). */
  id: string;
  /** Whether it may change its team, when the file's topology says. */
  privileged?: boolean;
  /** Events logged under its name. */
  events: number;
}

export interface ChannelRecord {
  name: string;
  type: string;
  description: string;
}

export interface ChannelMessageRecord {
  id: string;
  channel: string;
  sender: string;
  content: string;
  replyTo?: string;
  ts: number;
  /** Its position in the log. */
  eventId: number;
}

export class SessionReader implements Disposable {
  private readonly store: SessionStore;

  constructor(readonly path: string) {
    this.store = SessionStore.open(path, { readonly: true });
  }

  get meta(): SessionMeta {
    return this.store.meta;
  }

  /** The sessions this file was made from (a terrarium graph's merge or split), and when; no parents for a file started fresh. */
  get lineage(): { parents: string[]; mergedAt?: number; splitAt?: number } {
    const { parentSessionIds, mergedAt, splitAt } = this.store.meta;
    return { parents: [...(parentSessionIds ?? [])], ...(mergedAt !== undefined ? { mergedAt } : {}), ...(splitAt !== undefined ? { splitAt } : {}) };
  }

  /** Events in log order, optionally of some types (`'tool.'` prefixes allowed) or after an event id. */
  *events(options: { types?: readonly string[]; since?: number; creature?: string } = {}): Generator<LoggedEvent> {
    const exact = options.types?.filter((t) => !t.endsWith('.'));
    const prefixes = options.types?.filter((t) => t.endsWith('.')) ?? [];
    const query = {
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.creature ? { creature: options.creature } : {}),
      ...(exact?.length && !prefixes.length ? { types: exact } : {}),
    };
    for (const stored of this.store.events(query)) {
      const type = stored.event.type;
      if (options.types && !(exact?.includes(type) || prefixes.some((p) => type.startsWith(p)))) continue;
      yield { ...stored.event, eventId: stored.id };
    }
  }

  /** The turns on the live path of a creature (default: the session's first). */
  turns(creature = this.meta.agents[0] ?? ''): TurnRecord[] {
    const starts = [...this.store.events({ types: ['turn.start'], creature, resolve: false })].filter((s) => s.event.agentPath.length === 1);
    const path = livePath(
      starts.map((s) => turnStartInfo(s.event as EventOf<'turn.start'>)),
      this.store.getState<Record<number, number>>(selectedBranchesKey(creature)) ?? {},
    );
    const fold = new ConversationFold(path);
    const records: TurnRecord[] = [];
    const calls = new Map<string, TurnToolCall>();
    let current: TurnRecord | undefined;
    for (const stored of this.store.events({ creature, skipTypes: ['text.delta', 'reasoning.delta', 'usage', 'step.start'] })) {
      const { event } = stored;
      if (event.agentPath.length !== 1 || !fold.onPath(stored.turn, stored.branch)) continue;
      switch (event.type) {
        case 'turn.start':
          current = {
            index: event.turnIndex,
            branch: event.branch,
            userText: contentText(event.input),
            source: event.source,
            ...(event.origin ? { origin: event.origin } : {}),
            assistantText: '',
            toolCalls: [],
            usage: emptyUsage(),
            startedAt: event.ts,
          };
          records.push(current);
          break;
        case 'step.end':
          if (current && event.text) current.assistantText = current.assistantText ? `${current.assistantText}\n\n${event.text}` : event.text;
          break;
        case 'tool.call':
          if (current) {
            const call: TurnToolCall = { callId: event.callId, name: event.name, args: event.args, error: false };
            calls.set(event.callId, call);
            current.toolCalls.push(call);
          }
          break;
        case 'tool.result': {
          const call = calls.get(event.callId);
          if (call) Object.assign(call, { result: event.output, error: event.isError, durationMs: event.durationMs });
          break;
        }
        case 'turn.end':
          if (current) Object.assign(current, { usage: event.usage, status: event.status, durationMs: event.durationMs });
          break;
        default:
          break;
      }
    }
    return records;
  }

  /**
   * The creatures the file holds, in the order they joined: name, instance
   * id, privilege (when a terrarium's topology names it) and how many events
   * are logged under the name. An agent session has one.
   */
  creatures(): CreatureRecord[] {
    const counts = new Map(
      this.store.use((db) => db.prepare('SELECT creature, count(*) AS n FROM events GROUP BY creature').all() as Array<{ creature: string; n: number }>).map((r) => [r.creature, r.n]),
    );
    const topology = this.store.getState<SavedTopology>(TOPOLOGY_KEY);
    return this.meta.agents.map((name) => {
      let id = '';
      for (const stored of this.store.events({ types: ['creature.start'], creature: name })) {
        id = stored.event.creatureId;
        break;
      }
      const member = topology?.creatures.find((c) => c.name === name);
      return { name, id, ...(member ? { privileged: member.privileged } : {}), events: counts.get(name) ?? 0 };
    });
  }

  /** A terrarium's channels as its last saved topology had them (none for an agent session). */
  channels(): ChannelRecord[] {
    return (this.store.getState<SavedTopology>(TOPOLOGY_KEY)?.channels ?? []).map(({ name, type, description }) => ({ name, type, description }));
  }

  /** The messages sent on a channel, in order (a terrarium logs them as `channel.message`). */
  messages(channel: string): ChannelMessageRecord[] {
    const out: ChannelMessageRecord[] = [];
    for (const { id, event } of this.store.events({ types: ['channel.message'] })) {
      if (event.type !== 'channel.message' || event.channel !== channel) continue;
      out.push({ id: event.messageId, channel, sender: event.sender, content: event.content, ...(event.replyTo ? { replyTo: event.replyTo } : {}), ts: event.ts, eventId: id });
    }
    return out;
  }

  /** The conversation as the creature had it (live path). */
  conversation(creature = this.meta.agents[0] ?? ''): Message[] {
    return readCreatureState(this.store, creature).messages;
  }

  close(): void {
    this.store.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
