/**
 * The turns of a creature as a tree. Each turn index can have several
 * branches (a regenerate or an edit adds one); the live path picks one
 * branch per index, and that path is what the conversation holds.
 *
 * Invariant: `path[i]` and `starts[i]` describe turn i + 1 on the live path;
 * `starts[i]` is the conversation length just before that turn's user message.
 */
import { UsageError } from '../errors.js';
import type { UserContent } from '../llm/messages.js';
import type { LiveTurn } from '../session/records.js';

export interface TurnSlot {
  turnIndex: number;
  branch: number;
}

// One live turn, as replay or the agent records it: the shape the session stores.
export type { LiveTurn } from '../session/records.js';

export class TurnTree {
  private readonly path: number[] = [];
  private readonly starts: number[] = [];
  private readonly inputs: UserContent[] = [];
  private readonly branches = new Map<number, number>();
  /** Indexes handed out to queued turns that have not started yet. */
  private reserved = 0;

  /** Turns on the live path. */
  get length(): number {
    return this.path.length;
  }

  /** Branch of each live turn (index 0 = turn 1). */
  get livePath(): number[] {
    return [...this.path];
  }

  /** The live turns with where each starts and its input (what a session snapshot keeps). */
  get live(): LiveTurn[] {
    return this.path.map((branch, i) => ({ branch, start: this.starts[i] as number, input: this.inputs[i] as UserContent }));
  }

  /** The next turn's slot, reserved when it is queued so its turnId is known at once. */
  reserve(): TurnSlot {
    const turnIndex = this.path.length + this.reserved + 1;
    this.reserved++;
    return { turnIndex, branch: this.nextBranch(turnIndex) };
  }

  /** A new branch of turn `turnIndex` (regenerate or edit); the caller rewinds first. */
  reserveBranch(turnIndex: number): TurnSlot {
    this.reserved++;
    return { turnIndex, branch: this.nextBranch(turnIndex) };
  }

  /** A reserved slot that will never start (cancelled while queued). */
  release(): void {
    this.reserved = Math.max(0, this.reserved - 1);
  }

  /** The turn starts: it joins the live path. Returns the branch of the turn before it. */
  begin(slot: TurnSlot, conversationLength: number, input: UserContent): number | undefined {
    this.release();
    const at = slot.turnIndex - 1;
    this.path.length = at;
    this.starts.length = at;
    this.inputs.length = at;
    this.path.push(slot.branch);
    this.starts.push(conversationLength);
    this.inputs.push(input);
    return at > 0 ? this.path[at - 1] : undefined;
  }

  /** Drop turn `turnIndex` and everything after it from the live path; returns where to cut the conversation. */
  rewind(turnIndex: number): { conversationLength: number; input: UserContent } {
    const at = turnIndex - 1;
    const conversationLength = this.starts[at];
    const input = this.inputs[at];
    if (conversationLength === undefined || input === undefined) throw new RangeError(`turn ${turnIndex} is not on the live path`);
    if (conversationLength < 0) throw new UsageError(`turn ${turnIndex} was compacted into a summary; only turns after the summary can be rerun or edited`);
    this.path.length = at;
    this.starts.length = at;
    this.inputs.length = at;
    return { conversationLength, input };
  }

  /** Rebuild from a replayed session. `branchCounts` holds the highest branch of every turn index seen. */
  restore(live: readonly LiveTurn[], branchCounts: ReadonlyMap<number, number>): void {
    this.path.length = 0;
    this.starts.length = 0;
    this.inputs.length = 0;
    for (const turn of live) {
      this.path.push(turn.branch);
      this.starts.push(turn.start);
      this.inputs.push(turn.input);
    }
    this.branches.clear();
    for (const [index, count] of branchCounts) this.branches.set(index, count);
  }

  /** After a compaction: where each live turn now starts (-1 for turns inside the summary). */
  shiftStarts(shift: (turns: LiveTurn[]) => LiveTurn[]): void {
    const next = shift(this.live);
    next.forEach((turn, i) => (this.starts[i] = turn.start));
  }

  private nextBranch(turnIndex: number): number {
    const branch = (this.branches.get(turnIndex) ?? 0) + 1;
    this.branches.set(turnIndex, branch);
    return branch;
  }
}
