/**
 * Building the creature of a saved session so it goes on writing into the
 * same file: from its config file, else its reference, else the config
 * snapshot in the session. The same order `kt resume` follows, through the
 * public API only.
 */
import { existsSync } from 'node:fs';
import { Agent, ConfigError, defineCreature, loadCreature, SessionReader, UsageError, type CreatureDefinition, type Env, type Provider } from '../../index.js';

export async function resumeAgent(path: string, options: { llm?: string | Provider | undefined; env: Env }): Promise<{ agent: Agent; ref: string }> {
  const meta = (() => {
    using reader = new SessionReader(path);
    return reader.meta;
  })();
  if (!existsSync(meta.pwd)) throw new UsageError(`the session's working directory ${meta.pwd} is gone`);
  const definition = creatureOf(meta.configPath, meta.configRef, meta.configSnapshot, meta.pwd, options.env);
  const llm = options.llm ?? meta.model;
  const agent = await Agent.build(definition, { ...(llm ? { llm } : {}), pwd: meta.pwd, session: path, input: 'none', env: options.env });
  return { agent, ref: meta.configRef };
}

function creatureOf(configPath: string | undefined, configRef: string, snapshot: Record<string, unknown> | undefined, pwd: string, env: Env): CreatureDefinition {
  for (const ref of [configPath, configRef]) {
    if (!ref || ref === '<inline>') continue;
    try {
      return loadCreature(ref, { cwd: pwd, env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  if (!snapshot) throw new ConfigError(`the creature of this session (${configRef}) cannot be found, and the session holds no config snapshot`);
  return defineCreature(snapshot, { cwd: pwd, env });
}
