/**
 * Output wiring: when a member's turn ends, its final text goes to each
 * wire's target in the order the wires were added, as a turn of the target
 * (source `wire`). A stopped or removed target is skipped with a warning on
 * the engine stream; a turn that was itself started by a wire passes on at
 * most `maxHops` times, so an allowed loop cannot run forever.
 */
import { randomHex } from '../util/random-id.js';
import { UsageError } from '../errors.js';
import type { EventOf } from '../events.js';
import type { OutputWire, Topology } from './topology.js';
import type { TerrariumCreature } from './member.js';
import type { Terrarium } from './terrarium.js';
import { wireMessage } from './wire-message.js';

/** Turns that ended like this pass their text on. */
const PASSES_ON = new Set(['completed', 'limit']);

export async function deliverWires(team: Terrarium, source: TerrariumCreature, end: EventOf<'turn.end'>, hops: number): Promise<void> {
  if (!PASSES_ON.has(end.status)) return;
  const wires = team.topology.wiresFrom(source.name);
  if (!wires.length) return;
  if (hops >= team.maxHops) {
    team.emit({ kind: 'error', creature: source.name, creatureId: source.id, payload: { message: `output wires of '${source.name}' stopped after ${hops} hops (max_hops)` } });
    return;
  }
  // Messages are rendered first, then handed over in one go, so delivery order is wiring order.
  const messages = await Promise.all(wires.map((wire) => wireMessage(wire, { source: source.name, target: wire.to, content: end.text, turnIndex: end.turnIndex })));
  wires.forEach((wire, index) => {
    const target = team.getCreature(wire.to);
    if (!target?.isRunning) {
      team.emit({ kind: 'error', creature: source.name, creatureId: source.id, payload: { message: `output wire ${source.name} → ${wire.to} skipped: '${wire.to}' is not running` } });
      return;
    }
    void target.agent
      .injectEvent({ type: 'wire', name: source.name, source: 'wire', content: messages[index] as string, context: { wireId: wire.id, from: source.name, hops: hops + 1, withContent: wire.withContent } })
      .catch((error: unknown) => team.emit({ kind: 'error', creature: wire.to, payload: { message: `output wire ${source.name} → ${wire.to}: ${(error as Error).message}` } }));
  });
}

export interface WireOptions {
  withContent?: boolean;
  prompt?: string;
  promptFormat?: 'simple' | 'jinja';
  allowSelfTrigger?: boolean;
  /** @internal a resume keeps the saved id */
  id?: string;
}

/** Add a wire to the topology, or throw: a wire to itself needs allowSelfTrigger, a loop needs allowCycles. */
export function addWire(topology: Topology, from: string, to: string, options: WireOptions, limits: { allowCycles: boolean; maxHops: number }): OutputWire {
  if (from === to && !options.allowSelfTrigger) throw new UsageError(`a wire from '${from}' to itself needs allowSelfTrigger`);
  const wire: OutputWire = {
    id: options.id ?? `wire_${randomHex(4)}`,
    from,
    to,
    withContent: options.withContent ?? true,
    allowSelfTrigger: options.allowSelfTrigger ?? false,
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.promptFormat ? { promptFormat: options.promptFormat } : {}),
  };
  topology.addWire(wire);
  const cycle = from === to ? undefined : topology.wireCycle();
  if (cycle && !limits.allowCycles) {
    topology.removeWire(wire.id);
    throw new UsageError(`wiring ${from} → ${to} closes a loop (${cycle.join(' → ')}); allow it with allow_cycles: true (each wire-started turn passes on at most ${limits.maxHops} times)`);
  }
  return wire;
}
