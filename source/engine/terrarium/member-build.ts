/**
 * Building one member: its definition (a relative reference is the team's,
 * not the process's), the group tools its catalog has, its place in the
 * topology (its direct channel and the edges it starts with), its Agent on
 * the team's hub and session file, and the host's preparation. Anything that
 * fails leaves the topology and the session as they were.
 */
import { resolve } from 'node:path';
import type { ChannelHub } from '../channels/hub.js';
import { loadCreature } from '../config/loader.js';
import { definitionFrom, type AgentRef } from '../creature/agent-build.js';
import { Agent } from '../creature/agent.js';
import { UsageError } from '../errors.js';
import { toolCatalog } from '../tools/catalog.js';
import type { GroupControl } from '../tools/runtime.js';
import { GROUP_TOOLS, MEMBER_TOOLS } from './group-control.js';
import type { TeamSession } from './graph-session.js';
import { TerrariumCreature } from './member.js';
import type { AddCreatureOptions, TerrariumOptions } from './options.js';
import { teamSection } from './team-prompt.js';
import type { Topology } from './topology.js';

export interface MemberHost {
  team: TerrariumOptions;
  /** The team's name. */
  name: string;
  pwd: string;
  hub: ChannelHub;
  topology: Topology;
  /** Place the member (its edges already in the topology) in its graph; the graph's session, when the team keeps one. */
  join(name: string): TeamSession | undefined;
  /** Undo `join` (the build failed). */
  leave(name: string): void;
  taken(name: string): boolean;
  group(name: string): GroupControl;
}

export async function buildMember(ref: AgentRef, options: AddCreatureOptions, host: MemberHost): Promise<TerrariumCreature> {
  const { team, topology } = host;
  const env = team.env ?? process.env;
  const pwd = resolve(host.pwd, options.pwd ?? '.');
  const loaded = typeof ref === 'string' ? loadCreature(ref, { env, cwd: host.pwd }) : definitionFrom(ref, env, pwd);
  const name = options.name ?? loaded.name;
  if (host.taken(name)) throw new UsageError(`the terrarium has a creature named '${name}' already`);
  const privileged = options.privileged ?? false;
  const catalog = team.build?.catalog ?? toolCatalog;
  // Group tools that are registered (the built-ins register them all), once each.
  const extra = [...MEMBER_TOOLS, ...(privileged ? GROUP_TOOLS : [])].filter((tool) => catalog.has(tool) && !loaded.tools.some((t) => t.name === tool));
  const definition = {
    ...loaded,
    name,
    tools: [...loaded.tools, ...extra.map((tool) => ({ name: tool, type: 'builtin' as const, options: {}, folder: loaded.folder, origin: {} }))],
  };
  topology.addCreature({ name, privileged, ...(options.parent ? { parent: options.parent } : {}), ...(options.recipe ? { recipe: options.recipe } : {}) });
  topology.addChannel({ name, type: 'broadcast', description: `direct messages to ${name}` });
  topology.setListen(name, name, true);
  for (const ch of options.listen ?? []) topology.setListen(name, ch, true);
  for (const ch of options.canSend ?? []) topology.setSend(name, ch, true);
  const session = host.join(name);
  session?.remember(name, { ref, definition: loaded, privileged, parent: options.parent, pwd, llm: options.llm ?? team.llm });
  const undo = () => {
    host.leave(name);
    topology.removeCreature(name);
    topology.removeChannel(name);
  };
  let agent: Agent;
  try {
    const llm = options.llm ?? team.llm;
    agent = await Agent.build(definition, {
      ...team.build,
      ...options.build,
      pwd,
      env,
      ...(llm ? { llm } : {}),
      channels: host.hub,
      promptSections: { team: teamSection(topology, name, host.name) },
      group: host.group(name),
      ...(session ? { sharedSession: session.file } : {}),
    });
  } catch (error) {
    undo();
    throw error;
  }
  const member = new TerrariumCreature(agent, name, privileged, options.parent);
  try {
    await team.prepareMember?.(member);
  } catch (error) {
    await agent.stop('could not be prepared');
    undo();
    throw error;
  }
  return member;
}
