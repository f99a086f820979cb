/**
 * Reassembles streamed tool calls from chat-completion deltas.
 *
 * OpenAI sends, per call, one delta with `index`, `id` and `function.name`,
 * then argument fragments carrying only `index`. OpenAI-compatible servers
 * bend that in many ways (no `index`, `index` 0 for every call, the id only
 * on a later delta, the name in pieces or after the arguments, arguments as
 * an object),
 * so a delta is routed to its call by id first, then by index, then by
 * "the call being built right now". The result is always a list of calls
 * with non-empty, unique ids and JSON argument text.
 */
import { randomBase64url } from '../../util/random-id.js';
import type { ToolCallRequest } from '../messages.js';

/** One entry of `choices[0].delta.tool_calls`, as loosely as servers send it. */
export interface ToolCallDelta {
  index?: number | null;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: unknown } | null;
}

interface Slot {
  index: number | undefined;
  id: string | undefined;
  name: string;
  args: string;
}

export class ToolCallAccumulator {
  private readonly slots: Slot[] = [];
  /** The call most recently created or extended: where index-less, id-less deltas go. */
  private current: Slot | undefined;

  /** Number of calls seen so far. */
  get size(): number {
    return this.slots.length;
  }

  add(delta: ToolCallDelta): void {
    const id = nonEmpty(delta.id);
    const index = typeof delta.index === 'number' ? delta.index : undefined;
    const name = nonEmpty(delta.function?.name);
    const args = argumentText(delta.function?.arguments);
    // Servers send keep-alive style `{index: 0}` deltas; they must not open a call.
    if (id === undefined && name === undefined && args === '') return;

    const slot = this.route(id, index, name);
    if (id !== undefined && slot.id === undefined) slot.id = id;
    if (name !== undefined) slot.name = joinName(slot, name);
    slot.args += args;
    this.current = slot;
  }

  /**
   * The completed calls: in index order when every call had an index, else in
   * arrival order. Missing ids are generated, duplicates renamed, and empty
   * arguments become `{}` so they always parse.
   */
  finish(): ToolCallRequest[] {
    const ordered = this.slots.every((s) => s.index !== undefined)
      ? [...this.slots].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      : this.slots;
    const used = new Set<string>();
    return ordered.map((slot) => {
      let id = slot.id;
      if (id === undefined || used.has(id)) id = generateCallId();
      used.add(id);
      return { id, name: slot.name, arguments: slot.args.trim() === '' ? '{}' : slot.args };
    });
  }

  private route(id: string | undefined, index: number | undefined, name: string | undefined): Slot {
    if (id !== undefined) {
      const known = this.slots.find((s) => s.id === id);
      // The same id on another index is a server reusing ids, not the same call.
      if (known && (index === undefined || known.index === undefined || known.index === index)) return known;
      if (known && index !== undefined) return this.latestAt(index) ?? this.open(index, undefined);
      // An id arriving late for a call that started without one.
      const candidate = index === undefined ? this.current : this.latestAt(index);
      if (candidate && candidate.id === undefined && !this.startsNewCall(candidate, name, index !== undefined)) return candidate;
      // A new id on a taken index: Ollama-style servers reuse index 0 for every call.
      return this.open(index, id);
    }
    const candidate = index === undefined ? this.current : this.latestAt(index);
    if (candidate && !this.startsNewCall(candidate, name, index !== undefined)) return candidate;
    return this.open(index, undefined);
  }

  /**
   * With neither a fresh id nor a fresh index to go by, a name on a call that
   * already has one means a new call only when the old call looks finished
   * (its arguments are complete JSON) or the name differs. Servers that repeat
   * the name on every fragment keep extending the same call.
   */
  private startsNewCall(slot: Slot, name: string | undefined, indexed: boolean): boolean {
    if (name === undefined || slot.name === '') return false;
    // At the same index and before any argument, a different name is the next piece of this call's name.
    if (indexed && slot.args === '' && name !== slot.name) return false;
    return name !== slot.name || isCompleteJson(slot.args);
  }

  private latestAt(index: number): Slot | undefined {
    for (let i = this.slots.length - 1; i >= 0; i--) {
      const slot = this.slots[i];
      if (slot?.index === index) return slot;
    }
    return undefined;
  }

  private open(index: number | undefined, id: string | undefined): Slot {
    const slot: Slot = { index, id, name: '', args: '' };
    this.slots.push(slot);
    return slot;
  }
}

/**
 * A name arriving for a call that has one. Servers that stream the name
 * (vLLM, some proxies) send it in pieces before the arguments: the pieces
 * are joined. A repeat of the whole name (servers that send it on every
 * fragment) changes nothing; a name after the arguments replaces.
 */
function joinName(slot: Slot, name: string): string {
  if (slot.name === '' || name === slot.name) return name;
  return slot.args === '' ? slot.name + name : name;
}

/** A fresh id in OpenAI's shape, for servers that send none. */
export function generateCallId(): string {
  return `call_${randomBase64url(12)}`;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Argument fragments are strings on the wire; some servers send the whole object instead. */
function argumentText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function isCompleteJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
