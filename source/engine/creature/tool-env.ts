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
  const deny = [...DEFAULT_ENV_DENY, ...knownKeyVariables(), ...(policy.keyVariable ? [policy.keyVariable] : []), ...(policy.deny ?? [])].map(pattern);
  const pass = (policy.passthrough ?? []).map(pattern);
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (pass.some((p) => p.test(name)) || !deny.some((p) => p.test(name))) out[name] = value;
  }
  return out;
}

function pattern(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}
