/**
 * Building the creature of a saved session, shared by `kt resume` and by
 * `/resume` inside the running app: the creature comes back from its config
 * (or the snapshot in the session), on the session's model and working
 * folder, and goes on writing into the same file. A session another process
 * holds fails here (SessionBusyError), before anything else changes.
 */
import { existsSync, statSync } from 'node:fs';
import { installBuiltins } from '../builtins/index.js';
import { defineCreature, loadCreature, type CreatureDefinition } from '../engine/config/loader.js';
import { bindSoloTeam, withSoloTeam } from './solo-team.js';
import { Agent } from '../engine/creature/agent.js';
import { ConfigError, UsageError } from '../engine/errors.js';
import type { SessionMeta } from '../engine/session/meta.js';
import type { TurnRecord } from '../engine/session/reader.js';
import type { ConverseOptions } from './converse-flags.js';

export interface ResumeChoices {
  /** --llm: another model than the session's. */
  llm?: string | undefined;
  /** --pwd: another working folder than the session's. */
  pwd?: string | undefined;
  options: Pick<ConverseOptions, 'allowedPaths' | 'maxTurns' | 'plugins' | 'approvalMode'>;
  /** Where warnings go (stderr, or the app's transcript when it is drawn). */
  warn(text: string): void;
}

/** The creature of the session at `path` (whose meta is `meta`), ready to go on. */
export async function buildResumed(path: string, meta: SessionMeta, choices: ResumeChoices): Promise<Agent> {
  const { options, warn } = choices;
  const pwd = choices.pwd ?? meta.pwd;
  if (!existsSync(pwd) || !statSync(pwd).isDirectory()) {
    throw new UsageError(`the session's working directory ${pwd} is gone; pass another with --pwd`);
  }
  installBuiltins();
  const llm = choices.llm ?? meta.model;
  const solo = withSoloTeam(creatureOf(meta, warn), options, llm);
  const definition = solo.definition;
  const build = (model: string | undefined) =>
    Agent.build(definition, {
      group: solo.team.control,
      ...(model ? { llm: model } : {}),
      pwd,
      session: path,
      // kt resume is the input (the terminal, -p, stdin): the config's input module stays off, its outputs run.
      input: 'none',
      ...(options.allowedPaths.length ? { allowedPaths: options.allowedPaths } : {}),
      ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}),
      ...(options.plugins.length ? { plugins: options.plugins } : {}),
    });
  try {
    const agent = await build(llm);
    bindSoloTeam(solo.team, agent);
    return agent;
  } catch (error) {
    // The model the session ran on may be gone (an injected test provider, a deleted preset):
    // without --llm, fall back to the creature's own choice.
    if (choices.llm || !llm || !(error instanceof ConfigError)) throw error;
    warn(`the session's model ${llm} is not available (${error.message}); using the creature's default`);
    const agent = await build(undefined);
    bindSoloTeam(solo.team, agent);
    return agent;
  }
}

/** The creature from its config file, else its reference, else the snapshot in the session (with a warning). */
function creatureOf(meta: SessionMeta, warn: (text: string) => void): CreatureDefinition {
  for (const ref of [meta.configPath, meta.configRef]) {
    if (!ref || ref === '<inline>') continue;
    try {
      return loadCreature(ref, { cwd: meta.pwd });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  if (!meta.configSnapshot) throw new ConfigError(`the creature of this session (${meta.configRef}) cannot be found, and the session holds no config snapshot`);
  warn(`${meta.configRef} is gone; resuming from the config saved in the session`);
  return defineCreature(meta.configSnapshot, { cwd: meta.pwd });
}

/** A session's creature and its transcript so far, for the app to switch to (`/resume` inside it). */
export async function openResumed(path: string, options: ResumeChoices['options']): Promise<{ agent: Agent; history: TurnRecord[]; notes: string[] }> {
  const { SessionStore } = await import('../engine/session/store.js');
  const store = SessionStore.open(path, { readonly: true });
  const meta = store.meta;
  store.close();
  const notes: string[] = [];
  const agent = await buildResumed(path, meta, { options, warn: (text) => notes.push(text) });
  const { SessionReader } = await import('../engine/session/reader.js');
  using reader = new SessionReader(path);
  return { agent, history: reader.turns(), notes };
}
