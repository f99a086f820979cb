/**
 * The conversation, rebuilt from the log. The rule mirrors how the
 * controller builds it live, so replaying a session yields exactly the
 * messages the creature had:
 *
 * - `system.prompt` sets the system message;
 * - `turn.start` (on the live path) appends the user message;
 * - `step.end` appends the assistant message, then the results of its tool
 *   calls (their `tool.result` events come before it, while tools run), or
 *   in a text tool-call format the one results message it carries;
 * - `input.injected` appends a user message inside a turn (finished jobs);
 * - `context.trimmed` drops the last tool round and appends its note;
 * - `turn.end` with a `note` (an interrupted turn) appends it as an
 *   assistant message;
 * - `context.cleared` keeps only the system message (`/clear`); earlier
 *   turns then start where the fresh conversation does;
 * - `compaction.end` (done) replaces the summarised messages with the
 *   summary, exactly as the live splice did (`applySplice`), and moves the
 *   turns' starts with it.
 *
 * Only the creature's own events count (not its sub-agents'), and only
 * turns on the live path through the branch tree.
 */
import type { LiveTurn } from './records.js';
import type { AgentEvent, EventOf } from '../events.js';
import { addUsage, emptyUsage, type Message, type Usage } from '../llm/messages.js';
import { applySplice, shiftStarts } from '../compaction/splice.js';
import type { StoredEvent } from './store.js';

export interface TurnStartInfo {
  turnIndex: number;
  branch: number;
  parentBranch?: number;
}

/**
 * The live path: for each turn in order, the newest branch that follows the
 * branch chosen for the turn before (or the one `selected` names).
 */
export function livePath(starts: readonly TurnStartInfo[], selected: Readonly<Record<number, number>> = {}): number[] {
  const byTurn = new Map<number, TurnStartInfo[]>();
  for (const start of starts) {
    const list = byTurn.get(start.turnIndex) ?? [];
    list.push(start);
    byTurn.set(start.turnIndex, list);
  }
  const path: number[] = [];
  for (let turn = 1; byTurn.has(turn); turn++) {
    const previous = path[turn - 2];
    const candidates = (byTurn.get(turn) ?? []).filter((s) => turn === 1 || (s.parentBranch ?? 1) === previous);
    if (!candidates.length) break;
    const wanted = selected[turn];
    const chosen = candidates.find((c) => c.branch === wanted) ?? candidates.reduce((a, b) => (b.branch > a.branch ? b : a));
    path.push(chosen.branch);
  }
  return path;
}

/** Events the fold never looks at, and the most numerous in a log: a replay leaves them unread. */
export const FOLD_IGNORES: readonly string[] = ['text.delta', 'reasoning.delta', 'usage', 'step.start', 'tool.call'];

/** Folds a creature's events into its conversation. */
export class ConversationFold {
  messages: Message[];
  turns: LiveTurn[];
  /** Compactions applied (the last round number). */
  compactions = 0;
  private readonly results = new Map<string, EventOf<'tool.result'>>();

  constructor(
    private readonly path: readonly number[],
    start?: { messages: readonly Message[]; turns: readonly LiveTurn[] },
  ) {
    this.messages = start ? [...start.messages] : [];
    this.turns = start ? [...start.turns] : [];
  }

  /** Whether an event at (turn, branch) is on the live path. */
  onPath(turn: number | null, branch: number | null): boolean {
    return turn === null || this.path[turn - 1] === (branch ?? 1);
  }

  add(stored: StoredEvent): void {
    const { event } = stored;
    if (event.agentPath.length !== 1 || !this.onPath(stored.turn, stored.branch)) return;
    this.apply(event);
  }

  private apply(event: AgentEvent): void {
    switch (event.type) {
      case 'system.prompt':
        if (this.messages[0]?.role === 'system') this.messages[0] = { role: 'system', content: event.text };
        else this.messages.unshift({ role: 'system', content: event.text });
        break;
      case 'turn.start':
        this.turns.push({ branch: event.branch, start: this.messages.length, input: event.input });
        this.messages.push({ role: 'user', content: event.input });
        break;
      case 'tool.result':
        this.results.set(event.callId, event);
        break;
      case 'step.end': {
        if (!event.text && !event.toolCalls.length) break;
        const message: Message = { role: 'assistant', content: event.text };
        if (event.toolCalls.length) message.toolCalls = event.toolCalls;
        if (event.reasoning) message.reasoning = event.reasoning;
        if (event.providerFields) message.providerFields = event.providerFields;
        this.messages.push(message);
        for (const call of event.toolCalls) {
          const result = this.results.get(call.id);
          if (!result) continue; // the process died while the tool ran; repaired before any request
          this.results.delete(call.id);
          this.messages.push({ role: 'tool', toolCallId: call.id, name: result.name, content: result.parts ?? result.output, ...(result.isError ? { isError: true } : {}) });
        }
        if (event.resultsMessage !== undefined) this.messages.push({ role: 'user', content: event.resultsMessage });
        break;
      }
      case 'input.injected':
        this.messages.push({ role: 'user', content: event.input });
        break;
      case 'compaction.end':
        if (event.status !== 'done') break;
        this.messages = applySplice(this.messages, event);
        this.turns = shiftStarts(this.turns, event);
        this.compactions = Math.max(this.compactions, event.round);
        break;
      case 'turn.end':
        if (event.note !== undefined) this.messages.push({ role: 'assistant', content: event.note });
        break;
      case 'context.cleared':
        this.messages = this.messages[0]?.role === 'system' ? [this.messages[0]] : [];
        this.turns = this.turns.map((turn) => ({ ...turn, start: this.messages.length }));
        break;
      case 'context.trimmed':
        this.messages.splice(this.messages.length - event.removedMessages);
        this.messages.push({ role: 'user', content: event.note });
        break;
      default:
        break;
    }
  }
}

/** Token totals over every turn that ended (all branches: they were all paid for). */
export function totalUsage(events: Iterable<StoredEvent>): Usage {
  const total = emptyUsage();
  for (const { event } of events) if (event.type === 'turn.end' && event.agentPath.length === 1) addUsage(total, event.usage);
  return total;
}

/** The highest branch of every turn index. */
export function branchCounts(starts: readonly TurnStartInfo[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const s of starts) counts.set(s.turnIndex, Math.max(counts.get(s.turnIndex) ?? 0, s.branch));
  return counts;
}

export function turnStartInfo(event: EventOf<'turn.start'>): TurnStartInfo {
  const info: TurnStartInfo = { turnIndex: event.turnIndex, branch: event.branch ?? 1 };
  if (event.parentBranch !== undefined) info.parentBranch = event.parentBranch;
  return info;
}
