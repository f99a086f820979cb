/**
 * The environment a creature's tools hand to the programs they start. kt's
 * own credentials live in its environment (OPENAI_API_KEY and friends); a
 * model that runs `env` must not read them. So tools see the process
 * environment minus a deny list: the key variables of the providers kt
 * knows, anything named like a key, token, secret or password, and AWS_*.
 * `controller.env_deny` adds patterns; `controller.env_passthrough` admits
 * variables again (it wins over every deny pattern).
 */
import type { Env } from '../home.js';
import { knownKeyVariables } from '../llm/keys.js';

/** Patterns every creature's tools are denied; `*` matches any run of characters, case is ignored. */
export const DEFAULT_ENV_DENY: readonly string[] = ['*_API_KEY', '*_TOKEN', '*_SECRET*', '*PASSWORD*', 'AWS_*'];

export interface ToolEnvPolicy {
  passthrough?: readonly string[];
  deny?: readonly string[];
  /** The creature's own key variable (`controller.api_key_env`), when it names one. */
  keyVariable?: string;
}

/** `env` without the variables tools may not see. */
export function toolEnvironment(env: Env, policy: ToolEnvPolicy = {}): Record<string, string | undefined> {
  const deny = anyOf([...DEFAULT_ENV_DENY, ...knownKeyVariables(), ...(policy.keyVariable ? [policy.keyVariable] : []), ...(policy.deny ?? [])]);
  const pass = anyOf(policy.passthrough ?? []);
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (pass?.test(name) || !deny?.test(name)) out[name] = value;
  }
  return out;
}

/**
 * One regular expression matching a name any of the globs matches, or
 * undefined for none. One, not one per glob: V8 compiles each regular
 * expression on its first test and again to machine code on its second, and
 * with a dozen deny patterns tried on every variable that was about half a
 * millisecond of every build.
 */
function anyOf(globs: readonly string[]): RegExp | undefined {
  if (!globs.length) return undefined;
  return new RegExp(`^(?:${globs.map(body).join('|')})$`, 'i');
}

function body(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}
