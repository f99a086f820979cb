/**
 * Which members a recipe will connect, worked out before any is built: its
 * edges, the root's (it hears the team's channels, and everyone may report
 * to it) and its wires, laid on a scratch copy of the team's topology. A
 * member is built after only some of its edges exist (the root hears
 * everything only at the end), so without this each would start a graph, and
 * a file, of its own, only to be merged a moment later.
 */
import { REPORT_CHANNEL, ROOT_NAME, type Recipe } from './recipe.js';
import { Topology } from './topology.js';

/** For each recipe member, the names it will share a graph with. */
export function recipePlan(current: Topology, recipe: Recipe): Map<string, string[]> {
  const scratch = Topology.from(current.toJSON());
  for (const channel of recipe.channels) scratch.addChannel(channel);
  const all = [...(recipe.root ? [recipe.root] : []), ...recipe.members];
  for (const member of all) {
    scratch.addCreature({ name: member.name, privileged: member.privileged, recipe: recipe.name });
    for (const ch of member.listen) scratch.setListen(member.name, ch, true);
    for (const ch of member.canSend) scratch.setSend(member.name, ch, true);
    if (recipe.root && !member.isRoot) scratch.setSend(member.name, REPORT_CHANNEL, true);
  }
  if (recipe.root) scratch.setListen(recipe.root.name, REPORT_CHANNEL, true);
  for (const member of all) {
    for (const entry of member.wiring) {
      const to = typeof entry === 'string' ? entry : entry.to;
      scratch.addWire({ id: 'plan', from: member.name, to: to === ROOT_NAME && recipe.root ? recipe.root.name : to, withContent: false, allowSelfTrigger: true });
    }
  }
  const plan = new Map<string, string[]>();
  for (const component of scratch.components()) for (const name of component) plan.set(name, component);
  return plan;
}
