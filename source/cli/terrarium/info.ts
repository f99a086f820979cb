/**
 * `kt terrarium info`: a recipe's team drawn as text — members and their
 * privilege, channels with their type, listeners and senders, output wires —
 * from the recipe alone. Nothing is built and no model is asked, so it works
 * offline and shows what `kt terrarium run` would wire up.
 */
import { REPORT_CHANNEL, type Recipe } from '../../engine/terrarium/recipe.js';
import { Topology, type TopologyData } from '../../engine/terrarium/topology.js';

/** The graph `applyRecipe` would build, as data (the same edges, in the same order). */
export function recipeTopology(recipe: Recipe): TopologyData {
  const graph = new Topology();
  for (const channel of recipe.channels) graph.addChannel(channel);
  if (recipe.root) graph.addChannel({ name: REPORT_CHANNEL, type: 'broadcast', description: `members report to ${recipe.root.name}` });
  const all = [...(recipe.root ? [recipe.root] : []), ...recipe.members];
  for (const member of all) {
    graph.addCreature({ name: member.name, privileged: member.privileged, recipe: recipe.name });
    graph.addChannel({ name: member.name, type: 'broadcast', description: `direct messages to ${member.name}` });
    graph.setListen(member.name, member.name, true);
    for (const ch of member.listen) graph.setListen(member.name, ch, true);
    for (const ch of member.canSend) graph.setSend(member.name, ch, true);
    if (recipe.root && !member.isRoot) graph.setSend(member.name, REPORT_CHANNEL, true);
  }
  // The root hears everything except a queue other members work from (as applyRecipe does).
  if (recipe.root) {
    for (const channel of graph.channelList()) {
      if (channel.name === recipe.root.name) continue;
      if (channel.type === 'queue' && graph.listenersOf(channel.name).some((who) => who !== recipe.root?.name)) continue;
      graph.setListen(recipe.root.name, channel.name, true);
    }
  }
  let n = 0;
  for (const member of all) {
    for (const entry of member.wiring) {
      const wire = typeof entry === 'string' ? { to: entry } : entry;
      const to = wire.to === 'root' && recipe.root ? recipe.root.name : wire.to;
      graph.addWire({ id: `wire_${++n}`, from: member.name, to, withContent: wire.with_content ?? true, allowSelfTrigger: wire.allow_self_trigger ?? false });
    }
  }
  return graph.toJSON();
}

/** The topology as lines of text. */
export function drawTopology(recipe: Pick<Recipe, 'name' | 'description' | 'file'>, graph: TopologyData, root?: string): string {
  const out: string[] = [`Terrarium ${recipe.name}${recipe.file ? `  (${recipe.file})` : ''}`];
  if (recipe.description) out.push(`  ${recipe.description.trim().split('\n')[0]}`);
  out.push('', 'Creatures');
  for (const c of graph.creatures) {
    const marks = [c.name === root ? 'root' : '', c.privileged ? 'privileged' : ''].filter(Boolean);
    out.push(`  ${c.name}${marks.length ? `  [${marks.join(', ')}]` : ''}`);
  }
  out.push('', 'Channels');
  for (const ch of graph.channels) {
    const listeners = graph.listen.filter(([, c]) => c === ch.name).map(([who]) => who);
    const senders = graph.send.filter(([, c]) => c === ch.name).map(([who]) => who);
    out.push(`  #${ch.name} (${ch.type})${ch.description ? `  ${ch.description}` : ''}`);
    out.push(`    listen: ${listeners.join(', ') || '—'}   send: ${senders.join(', ') || '—'}`);
  }
  out.push('', 'Wires');
  if (!graph.wires.length) out.push('  —');
  for (const w of graph.wires) out.push(`  ${w.from} → ${w.to}${w.withContent ? '' : '  (no content)'}`);
  return `${out.join('\n')}\n`;
}
