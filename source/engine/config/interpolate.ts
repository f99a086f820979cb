/**
 * `${VAR}` and `${VAR:default}` in config strings. A value that is nothing
 * but one placeholder takes the type its text would have in YAML, so
 * `temperature: ${TEMP:0.7}` is the number 0.7, not the string "0.7".
 */
import { parse as parseYamlScalar } from 'yaml';
import type { Env } from '../home.js';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}$/;

export function interpolateString(text: string, env: Env): unknown {
  if (!text.includes('${')) return text;
  const replaced = text.replace(PLACEHOLDER, (_all, name: string, fallback: string | undefined) => env[name] ?? fallback ?? '');
  if (!WHOLE.test(text) || replaced === '') return replaced;
  try {
    const typed: unknown = parseYamlScalar(replaced);
    return typeof typed === 'number' || typeof typed === 'boolean' ? typed : replaced;
  } catch {
    return replaced;
  }
}

/** Interpolate every string in a parsed YAML value (new objects; input untouched). */
export function interpolate(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolateString(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env);
    return out;
  }
  return value;
}
