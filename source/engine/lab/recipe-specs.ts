/**
 * A recipe as the host places it: one self-contained spawn spec per member
 * (its channels, edges and the root's extras worked out here, as
 * `applyRecipe` does in one process), with the member's placement keys.
 */
import { randomBytes } from 'node:crypto';
import { REPORT_CHANNEL, type Recipe } from '../terrarium/recipe.js';
import type { TopologyChannel } from '../terrarium/topology.js';
import { placementOf, type Placement } from './placement.js';
import type { SpawnSpec } from './protocol.js';

export function newGraphId(): string {
  return `graph_${randomBytes(6).toString('hex')}`;
}

export function recipeSpecs(recipe: Recipe, graph: string, llm?: string): Array<{ spec: SpawnSpec; placement: Placement }> {
  const channels: TopologyChannel[] = [...recipe.channels, ...(recipe.root ? [{ name: REPORT_CHANNEL, type: 'broadcast' as const, description: `members report to ${recipe.root.name}` }] : [])];
  const all = [...(recipe.root ? [recipe.root] : []), ...recipe.members];
  return all.map((member) => {
    const { placement, config } = placementOf(member.config);
    let listen = [...member.listen];
    const canSend = [...member.canSend];
    if (recipe.root && !member.isRoot) canSend.push(REPORT_CHANNEL);
    if (member.isRoot) {
      // The root hears every channel but a queue other members work from (it would take their share).
      const others = all.filter((m) => !m.isRoot);
      listen = channels.filter((ch) => !(ch.type === 'queue' && others.some((m) => m.listen.includes(ch.name)))).map((ch) => ch.name);
    }
    const spec: SpawnSpec = {
      graph,
      name: member.name,
      config,
      folder: recipe.folder,
      ...(recipe.file ? { file: recipe.file } : {}),
      listen: [...new Set(listen)],
      canSend,
      privileged: member.privileged,
      channels,
      ...(llm ? { llm } : {}),
    };
    return { spec, placement };
  });
}
