/**
 * `Terrarium.resume`: a team back from its session file. The recipe is the
 * source of truth, so it is applied again first (from its file, or the copy
 * the session keeps of an inline one); then the runtime topology saved in
 * the file is laid over it: members added at run time are rebuilt from
 * their saved specs (their reference, or the config snapshot when that is
 * gone), members removed at run time are removed again, and channels,
 * edges and wires are made to match. Every member restores its own
 * conversation from the file by name, so its next turn sees its history.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, SessionError } from '../errors.js';
import type { SessionMeta } from '../session/meta.js';
import { SharedSessionFile } from '../session/shared-file.js';
import type { SessionStore } from '../session/store.js';
import { MEMBERS_KEY, RECIPE_KEY, TeamSession, TOPOLOGY_KEY, type MemberSpec } from './graph-session.js';
import { Terrarium, type TerrariumOptions } from './terrarium.js';
import type { TopologyData } from './topology.js';

export interface ResumeOptions extends Omit<TerrariumOptions, 'sessionDir'> {
  /** Start the members (default true). */
  start?: boolean;
}

export async function resumeTerrarium(path: string, options: ResumeOptions = {}): Promise<Terrarium> {
  const file = SharedSessionFile.open(resolve(path));
  const store = file.store as SessionStore;
  let team: Terrarium | undefined;
  try {
    const meta = store.meta;
    if (meta.kind !== 'terrarium') {
      throw new SessionError(`${path} is a session of the creature ${meta.agents.join(', ')}, not of a terrarium`, { hint: 'resume it with kt resume' });
    }
    // Read before anything is rebuilt: every change below saves the topology again.
    const saved = store.getState<TopologyData>(TOPOLOGY_KEY);
    const specs = store.getState<Record<string, MemberSpec>>(MEMBERS_KEY) ?? {};
    const recipe = recipeOf(meta, store);
    team = new Terrarium({ ...options, ...(options.name ?? meta.terrariumName ? { name: options.name ?? meta.terrariumName } : {}), pwd: options.pwd ?? meta.pwd });
    const session = new TeamSession(file);
    team.adoptSession(
      session,
      recipe ? { ref: meta.configRef, ...(meta.configPath ? { file: meta.configPath } : {}), ...(typeof recipe === 'string' ? {} : { inline: recipe }) } : undefined,
    );
    if (recipe) await team.applyRecipe(recipe, { start: false, resumed: true });
    if (saved) await layOver(team, saved, specs, path);
    // The file's graph is whole again: from here on the team's graphs follow its topology (a part not connected gets a file of its own).
    team.endResume();
    if (options.start ?? true) for (const member of team.listCreatures()) await team.startCreature(member.name);
    return team;
  } catch (error) {
    if (team) await team.shutdown();
    else file.close();
    throw error;
  }
}

/** The recipe to apply again: its file when it is still there, else the inline copy the session keeps. */
function recipeOf(meta: SessionMeta, store: SessionStore): string | Record<string, unknown> | undefined {
  if (meta.configPath && existsSync(meta.configPath)) return meta.configPath;
  return store.getState<Record<string, unknown>>(RECIPE_KEY);
}

/** Make the team's graph the saved one (also a replay's starting team when the file has no recipe). */
export async function layOver(team: Terrarium, saved: TopologyData, specs: Record<string, MemberSpec>, path: string): Promise<void> {
  const wanted = new Set(saved.creatures.map((c) => c.name));
  for (const member of team.listCreatures()) if (!wanted.has(member.name)) await team.removeCreature(member.name);
  for (const creature of saved.creatures) {
    if (team.getCreature(creature.name)) continue;
    const spec = specs[creature.name];
    if (!spec) throw new SessionError(`${path}: the member '${creature.name}' is in the saved topology but the session keeps no spec to rebuild it`);
    await rebuild(team, creature.name, spec);
  }
  const channels = new Set(saved.channels.map((c) => c.name));
  for (const channel of saved.channels) if (!team.getCreature(channel.name)) team.addChannel(channel.name, { type: channel.type, description: channel.description });
  for (const channel of team.topology.channelList()) if (!channels.has(channel.name) && !team.getCreature(channel.name)) await team.removeChannel(channel.name);
  const has = (pairs: Array<[string, string]>) => new Set(pairs.map(([who, ch]) => `${who}\u0000${ch}`));
  const listen = has(saved.listen);
  const send = has(saved.send);
  for (const member of team.listCreatures()) {
    for (const channel of team.topology.channelList()) {
      const key = `${member.name}\u0000${channel.name}`;
      if (team.topology.listensTo(member.name).includes(channel.name) !== listen.has(key)) await team.setListen(member.name, channel.name, listen.has(key));
      if (team.topology.sendsTo(member.name).includes(channel.name) !== send.has(key)) team.setSend(member.name, channel.name, send.has(key));
    }
  }
  for (const wire of team.topology.toJSON().wires) team.unwireOutput(wire.id);
  // These wires were accepted when they were made (a loop only when allowed then): lay them back as they were.
  const allowCycles = team.allowCycles;
  team.allowCycles = true;
  try {
    for (const wire of saved.wires) {
      team.wireOutput(wire.from, wire.to, {
        id: wire.id,
        withContent: wire.withContent,
        allowSelfTrigger: wire.allowSelfTrigger,
        ...(wire.prompt ? { prompt: wire.prompt } : {}),
        ...(wire.promptFormat ? { promptFormat: wire.promptFormat } : {}),
      });
    }
  } finally {
    team.allowCycles = allowCycles;
  }
}

/** A member added at run time: from its reference when that still loads, else from the config the session kept. */
async function rebuild(team: Terrarium, name: string, spec: MemberSpec): Promise<void> {
  const options = { name, privileged: spec.privileged, pwd: spec.pwd, start: false, ...(spec.parent ? { parent: spec.parent } : {}), ...(spec.llm ? { llm: spec.llm } : {}) };
  if (spec.ref) {
    try {
      await team.addCreature(spec.ref, options);
      return;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  await team.addCreature(spec.config, options);
}
