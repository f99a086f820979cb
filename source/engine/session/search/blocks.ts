/**
 * Events → searchable blocks. A block is one piece of the history a person
 * would want to find again: what the user asked, a paragraph the assistant
 * wrote, one tool call with its result, a trigger that woke the creature.
 *
 * Blocks are grouped by round: a round starts at each top-level input (a
 * creature's `turn.start`, `trigger.fired` or `channel.message`). Sub-agent
 * events carry their agent path as the label (`swe/explore`) but stay in the
 * round of the creature that ran them, so a hit says when in the
 * conversation the sub-agent worked.
 *
 * The extractor is pure and resumable: its state (rounds so far, tool calls
 * still waiting for their result) is plain JSON that the index keeps between
 * incremental runs, so indexing in several runs yields the same blocks as
 * indexing once.
 */
import type { EventOf } from '../../events.js';
import { contentText } from '../../llm/messages.js';
import type { StoredEvent } from '../store.js';

export type BlockKind = 'user' | 'text' | 'tool' | 'trigger';

/** One searchable piece of a session's history. */
export interface Block {
  /** The agent path joined by `/`: `swe`, or `swe/explore` for its sub-agent. */
  creature: string;
  /** The round of the top-level creature (0 before its first input). */
  round: number;
  /** Position within the round, from 0, counted across the creature and its sub-agents. */
  block: number;
  kind: BlockKind;
  /** The tool's name, for `tool` blocks. */
  tool?: string;
  content: string;
  /** Epoch ms of the event the block came from. */
  ts: number;
  /** The log id of that event. */
  eventId: number;
  turn: number | null;
  branch: number | null;
}

/** How the current round was opened; decides whether the next input joins it. */
type Opener = 'none' | 'user' | 'trigger' | 'turn-trigger';

interface RoundState {
  round: number;
  /** Blocks emitted in this round so far. */
  blocks: number;
  opener: Opener;
}

/** What the extractor carries between runs. Plain JSON. */
export interface ExtractorState {
  /** Per top-level creature. */
  rounds: Record<string, RoundState>;
  /** Tool calls whose result has not been seen yet: call id → name and argument summary. */
  calls: Record<string, { name: string; args: string }>;
}

/** Text longer than this is split into paragraph blocks. */
export const TEXT_BLOCK_CHARS = 300;
/** No block is longer than this; longer paragraphs are cut at a space. */
export const MAX_BLOCK_CHARS = 1000;
/** One argument value in a tool summary. */
const MAX_ARG_CHARS = 120;
/** Calls still waiting for a result; older ones (a result that never came) are forgotten. */
const MAX_PENDING_CALLS = 500;

/**
 * Frequent event types that never yield a block: the index leaves them
 * unread (not decoded). A type missing here is only read for nothing.
 */
export const NO_BLOCK_EVENTS: readonly string[] = ['text.delta', 'reasoning.delta', 'tool.progress', 'usage', 'step.start', 'turn.end', 'llm.retry', 'stream.lagged'];

export function emptyExtractorState(): ExtractorState {
  return { rounds: {}, calls: {} };
}

export class BlockExtractor {
  private readonly state: ExtractorState;

  constructor(state: ExtractorState = emptyExtractorState()) {
    // A copy of just the extractor's fields: the caller's state changes only when it takes `snapshot()` after a committed batch.
    this.state = structuredClone({ rounds: state.rounds, calls: state.calls });
  }

  /** The state to resume from after the events added so far. */
  snapshot(): ExtractorState {
    return structuredClone(this.state);
  }

  /** The blocks one stored event yields (often none). */
  add(stored: StoredEvent): Block[] {
    const { event } = stored;
    const root = event.agentPath[0] ?? stored.creature;
    const topLevel = event.agentPath.length <= 1;
    switch (event.type) {
      case 'turn.start': {
        const text = contentText(event.input).trim();
        const fromTrigger = event.source === 'trigger' || event.source === 'channel';
        if (topLevel && this.joins(root, fromTrigger ? 'turn-trigger' : 'user')) return [];
        if (!text) return [];
        return this.emit(stored, root, fromTrigger ? 'trigger' : 'user', [fromTrigger ? `[${event.source}] ${text}` : text]);
      }
      case 'trigger.fired':
      case 'channel.message': {
        if (topLevel && this.joins(root, 'trigger')) return [];
        const text = triggerText(event);
        return text ? this.emit(stored, root, 'trigger', [text]) : [];
      }
      case 'step.end':
        return this.emit(stored, root, 'text', splitText(event.text));
      case 'tool.call':
        this.remember(event);
        return [];
      case 'tool.result': {
        const call = this.state.calls[event.callId];
        delete this.state.calls[event.callId];
        return this.emit(stored, root, 'tool', [toolText(event, call?.args ?? '')], event.name);
      }
      default:
        return [];
    }
  }

  /**
   * The blocks of `contents`, numbered on in the round. A method rather than a closure made per event:
   * the bundle names every named closure (esbuild keepNames), a defineProperty on each of the ~130k
   * events a large session's index reads.
   */
  private emit(stored: StoredEvent, root: string, kind: BlockKind, contents: string[], tool?: string): Block[] {
    const { event } = stored;
    // One name for a top-level creature, without a join per block.
    const path = event.agentPath;
    const label = path.length === 1 ? path[0]! : path.length ? path.join('/') : stored.creature;
    const round = this.round(root);
    const blocks: Block[] = [];
    for (const content of contents) {
      const block: Block = { creature: label, round: round.round, block: round.blocks++, kind, content, ts: event.ts, eventId: stored.id, turn: stored.turn, branch: stored.branch };
      if (tool !== undefined) block.tool = tool;
      blocks.push(block);
    }
    return blocks;
  }

  private round(root: string): RoundState {
    return (this.state.rounds[root] ??= { round: 0, blocks: 0, opener: 'none' });
  }

  /**
   * A top-level input arrives. A trigger fires and then runs a turn with the
   * same text (or the turn is logged first): the pair is one round and one
   * block, so the second half joins the round the first opened. Returns true
   * when the input joined (and adds no block).
   */
  private joins(root: string, opener: Exclude<Opener, 'none'>): boolean {
    const current = this.round(root);
    const pairs = (current.opener === 'trigger' && opener === 'turn-trigger') || (current.opener === 'turn-trigger' && opener === 'trigger');
    if (pairs && current.blocks === 1) {
      current.opener = 'user'; // used up: the next input opens a new round
      return true;
    }
    this.state.rounds[root] = { round: current.round + 1, blocks: 0, opener };
    return false;
  }

  private remember(event: EventOf<'tool.call'>): void {
    const calls = this.state.calls;
    calls[event.callId] = { name: event.name, args: summarizeArgs(event.args) };
    const ids = Object.keys(calls);
    for (let i = 0; i < ids.length - MAX_PENDING_CALLS; i++) delete calls[ids[i] as string];
  }
}

function triggerText(event: EventOf<'trigger.fired'> | EventOf<'channel.message'>): string {
  const content = event.content.trim();
  if (!content) return '';
  if (event.type === 'trigger.fired') return `[trigger:${event.kind}] ${content}`;
  return `[channel:${event.channel}] ${event.sender}: ${content}`;
}

/** `[tool:name] k=v …`, then the result, within MAX_BLOCK_CHARS. */
function toolText(event: EventOf<'tool.result'>, args: string): string {
  const header = args ? `[tool:${event.name}] ${args}` : `[tool:${event.name}]`;
  const output = event.output.trim();
  const body = event.isError && output ? `(error) ${output}` : output;
  return clip(body ? `${header}\n${body}` : header, MAX_BLOCK_CHARS);
}

/** Tool arguments as `key=value` pairs on one line, each value cut short. */
export function summarizeArgs(args: unknown): string {
  if (args === undefined || args === null) return '';
  if (typeof args !== 'object' || Array.isArray(args)) return clip(oneLine(stringify(args)), MAX_ARG_CHARS * 3);
  const parts = Object.entries(args as Record<string, unknown>).map(([key, value]) => `${key}=${clip(oneLine(stringify(value)), MAX_ARG_CHARS)}`);
  return clip(parts.join(' '), MAX_ARG_CHARS * 3);
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Assistant text as blocks: whole when short; otherwise its paragraphs,
 * with neighbouring ones packed together up to TEXT_BLOCK_CHARS. A very
 * short paragraph (a heading, "Done.") never stands alone — it is a poor
 * search hit — but joins its neighbour. Paragraphs longer than
 * MAX_BLOCK_CHARS are cut at spaces.
 */
export function splitText(text: string, target = TEXT_BLOCK_CHARS, max = MAX_BLOCK_CHARS): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.length <= target) return [trimmed];
  const short = target / 4;
  const chunks: string[] = [];
  let current = '';
  for (const paragraph of trimmed.split(/\n[ \t]*\n/)) {
    const para = paragraph.trim();
    if (!para) continue;
    if (current.length >= short && current.length + 2 + para.length > target) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${para}` : para;
  }
  const last = chunks.at(-1);
  if (last !== undefined && current.length < short && last.length + 2 + current.length <= max) chunks[chunks.length - 1] = `${last}\n\n${current}`;
  else if (current) chunks.push(current);
  return chunks.flatMap((chunk) => cutLong(chunk, max));
}

/** Pieces of at most `max` characters, cut at the last whitespace before the limit where there is one. */
function cutLong(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const at = space > max / 2 ? space : max;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
