/**
 * A creature `kt run` runs on its own is privileged, as in the original: it
 * gets the tools to add helpers, talk to them and see them (group_add_node,
 * group_remove_node, group_send, group_status). The team is made only when
 * it adds its first helper; helpers get the run's approval mode (what it does
 * not allow, nobody is asked for: it is refused) and its model.
 */
import type { CreatureDefinition } from '../engine/config/loader.js';
import type { Agent } from '../engine/creature/agent.js';
import { SOLO_TOOLS } from '../engine/terrarium/group-tools.js';
import { soloTeam, type SoloTeam } from '../engine/terrarium/solo.js';
import type { ConverseOptions } from './converse-flags.js';

export function withSoloTeam(definition: CreatureDefinition, options: Pick<ConverseOptions, 'allowedPaths' | 'plugins' | 'approvalMode'>, llm: string | undefined): { definition: CreatureDefinition; team: SoloTeam } {
  const team = soloTeam(definition.name, {
    ...(llm ? { llm } : {}),
    build: { input: 'none', ...(options.allowedPaths.length ? { allowedPaths: options.allowedPaths } : {}), ...(options.plugins.length ? { plugins: options.plugins } : {}) },
    prepareMember: (member) => member.agent.refuseUnapproved(options.approvalMode),
  });
  const missing = SOLO_TOOLS.filter((tool) => !definition.tools.some((t) => t.name === tool));
  const tools = [...definition.tools, ...missing.map((name) => ({ name, type: 'builtin' as const, options: {}, folder: definition.folder, origin: {} }))];
  return { definition: { ...definition, tools }, team };
}

/** The creature is built: the team forms around it when needed, and its helpers stop when it does. */
export function bindSoloTeam(team: SoloTeam, agent: Agent): void {
  team.bind(agent);
  agent.on('creature.stop', () => void team.shutdown());
}
