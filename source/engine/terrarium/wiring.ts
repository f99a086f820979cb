/**
 * Output wiring: when a member's turn ends, its final text goes to each
 * wire's target in the order the wires were added, as a turn of the target
 * (source `wire`). A stopped or removed target is skipped with a warning on
 * the engine stream; a turn that was itself started by a wire passes on at
 * most `maxHops` times, so an allowed loop cannot run forever.
 */
import type { EventOf } from '../events.js';
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
