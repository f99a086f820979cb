/**
 * What `Agent.build` does before it has parts to assemble: turn the caller's
 * reference into a creature definition, and open the session file.
 */
import { resolve } from 'node:path';
import { defineCreature, loadCreature, type CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import type { PackageIndex } from '../packages/registry.js';
import type { AgentEvent } from '../events.js';
import type { BuildOptions } from './agent-options.js';

/** What `Agent.build` accepts: a folder, config file or `@package` reference, a config object, or a loaded definition. */
export type AgentRef = string | Record<string, unknown> | CreatureDefinition;

export function definitionFrom(ref: AgentRef, env: Env, cwd: string, packages?: PackageIndex): CreatureDefinition {
  if (typeof ref === 'string') return loadCreature(ref, { env, ...(packages ? { packages } : {}) });
  return isDefinition(ref) ? ref : defineCreature(ref, { env, folder: cwd, ...(packages ? { packages } : {}) });
}

function isDefinition(value: object): value is CreatureDefinition {
  const v = value as Partial<CreatureDefinition>;
  return typeof v.systemPrompt === 'string' && Array.isArray(v.tools) && Array.isArray(v.layers);
}

/** Create or reopen the session file; the session module loads only when a session is asked for. */
export async function openSession(
  options: BuildOptions,
  of: { ref: AgentRef; definition: CreatureDefinition; cwd: string; model?: string; firstEvents: AgentEvent[]; sessionId: string; creatureId: string },
) {
  if (options.sharedSession) {
    // A file someone else owns (a terrarium's): join it by name, never lock or close it.
    const { joinSharedSession } = await import('../session/shared.js');
    return joinSharedSession(options.sharedSession, { name: of.definition.name, creatureId: of.creatureId, firstEvents: of.firstEvents });
  }
  const { prepareSession } = await import('../session/attach.js');
  const path = resolve(options.session as string);
  const prepared = prepareSession({
    path,
    ref: options.sessionRef ?? (typeof of.ref === 'string' ? of.ref : '<inline>'),
    definition: of.definition,
    pwd: of.cwd,
    ...(of.model ? { model: of.model } : {}),
    sessionId: of.sessionId,
    creatureId: of.creatureId,
    ...(options.newSession ? { mustBeNew: true } : {}),
    firstEvents: of.firstEvents,
  });
  return { ...prepared, path, shared: false };
}

/**
 * The events `start()` announces first (`creature.start`, then `system.prompt`
 * unless the prompt is empty), numbered as the bus will number them, for a
 * new session file to hold from the moment it exists.
 */
export function openingEvents(of: { creatureId: string; name: string; model: string; cwd: string; tools: string[]; systemPrompt: string }): AgentEvent[] {
  const envelope = { ts: Date.now(), sessionId: '', creatureId: of.creatureId, turnId: null, agentPath: [of.name] };
  const events: AgentEvent[] = [{ type: 'creature.start', seq: 1, ...envelope, name: of.name, model: of.model, cwd: of.cwd, tools: of.tools }];
  if (of.systemPrompt) events.push({ type: 'system.prompt', seq: 2, ...envelope, text: of.systemPrompt });
  return events;
}
