/**
 * A creature brought back from its saved session, so it goes on writing into
 * the same file: its definition from the config file it was started from,
 * else its reference, else the config snapshot the session keeps; its
 * working folder checked before anything is opened; and its model the
 * session's, falling back to the creature's own when that model is gone
 * (unless the caller chose one). `kt resume`, `/resume` and the studio all
 * come through here, each adding its own build options.
 */
import { existsSync, statSync } from 'node:fs';
import { defineCreature, loadCreature, type CreatureDefinition } from '../config/loader.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Env } from '../home.js';
import type { Provider } from '../llm/provider.js';
import type { SessionMeta } from '../session/meta.js';
import { Agent } from './agent.js';
import type { BuildOptions } from './agent-options.js';

/** What a host adds around the definition (kt: the solo team's tools and group control). */
export interface ResumePreparation {
  definition: CreatureDefinition;
  build?: Omit<BuildOptions, 'llm' | 'pwd' | 'session'>;
  /** Called with the built creature. */
  built?(agent: Agent): void;
}

export interface ResumeCreatureOptions {
  /** The caller's model (a flag, a provider the host forces): used as is, never replaced by a fallback. */
  llm?: string | Provider | undefined;
  /** Another working folder than the session's. */
  pwd?: string | undefined;
  /** Where configs' `${VAR}`, keys and tool processes look (default: the process env). */
  env?: Env | undefined;
  /** Told when the config comes from the session's snapshot, or the session's model is unavailable. */
  warn?(text: string): void;
  /** Appended to the "working directory is gone" error (kt: how to pass another). */
  pwdHint?: string | undefined;
  /** Build options every attempt gets (input, plugins, allowed paths...). */
  build?: Omit<BuildOptions, 'llm' | 'pwd' | 'session'>;
  /** Change the definition before it is built; `llm` is the model about to be tried first. */
  prepare?(definition: CreatureDefinition, llm: string | Provider | undefined): ResumePreparation;
}

/** The creature of the session at `path` (whose meta is `meta`), built and ready to start. */
export async function resumeCreature(path: string, meta: SessionMeta, options: ResumeCreatureOptions = {}): Promise<Agent> {
  const pwd = options.pwd ?? meta.pwd;
  if (!existsSync(pwd) || !statSync(pwd).isDirectory()) throw new UsageError(`the session's working directory ${pwd} is gone${options.pwdHint ?? ''}`);
  const warn = options.warn ?? (() => {});
  const llm = options.llm ?? meta.model;
  const base = sessionCreature(meta, options.env, warn);
  const prepared = options.prepare ? options.prepare(base, llm) : { definition: base };
  const build = async (model: string | Provider | undefined) => {
    const agent = await Agent.build(prepared.definition, {
      ...options.build,
      ...prepared.build,
      ...(options.env ? { env: options.env } : {}),
      ...(model ? { llm: model } : {}),
      pwd,
      session: path,
    });
    prepared.built?.(agent);
    return agent;
  };
  try {
    return await build(llm);
  } catch (error) {
    // The model the session ran on may be gone (an injected test provider, a deleted preset):
    // unless the caller chose one, fall back to the creature's own choice.
    if (options.llm || !llm || !(error instanceof ConfigError)) throw error;
    warn(`the session's model ${typeof llm === 'string' ? llm : llm.id} is not available (${error.message}); using the creature's default`);
    return build(undefined);
  }
}

/** The creature from its config file, else its reference, else the snapshot in the session (with a warning). */
export function sessionCreature(meta: SessionMeta, env: Env | undefined, warn: (text: string) => void): CreatureDefinition {
  for (const ref of [meta.configPath, meta.configRef]) {
    if (!ref || ref === '<inline>') continue;
    try {
      return loadCreature(ref, { cwd: meta.pwd, ...(env ? { env } : {}) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  if (!meta.configSnapshot) throw new ConfigError(`the creature of this session (${meta.configRef}) cannot be found, and the session holds no config snapshot`);
  warn(`${meta.configRef} is gone; resuming from the config saved in the session`);
  return defineCreature(meta.configSnapshot, { cwd: meta.pwd, ...(env ? { env } : {}) });
}
