/**
 * Building the creature of a saved session so it goes on writing into the
 * same file: the engine's `resumeCreature` (the same rules `kt resume`
 * follows: config file, reference, snapshot; working folder check; the
 * session's model, else the creature's own), with no input of its own.
 */
import { resumeCreature, SessionReader, type Agent, type Env, type Provider } from '../../index.js';

export async function resumeAgent(path: string, options: { llm?: string | Provider | undefined; env: Env; warn?: (text: string) => void }): Promise<{ agent: Agent; ref: string }> {
  const meta = (() => {
    using reader = new SessionReader(path);
    return reader.meta;
  })();
  const agent = await resumeCreature(path, meta, { llm: options.llm, env: options.env, ...(options.warn ? { warn: options.warn } : {}), build: { input: 'none' } });
  return { agent, ref: meta.configRef };
}
