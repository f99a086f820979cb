/**
 * A trigger, input or output from the user's module file (`{type: custom,
 * module: ./x.js}`). The export may be the object itself, a definition
 * (`{kind, options, create}` — its zod options check the entry's), a class,
 * or a factory function; the last three get the entry's options and the
 * folders. Each failure is a ConfigError naming the file and the entry.
 */
import type { ModuleConfig } from '../config/module-entry.js';
import { ConfigError } from '../errors.js';
import { importModule } from './module-export.js';

type Schema = { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: Array<{ message: string; path: PropertyKey[] }> } } };

export interface ModuleRules {
  what: 'trigger' | 'input' | 'output';
  /** The error when the entry names no module. */
  missingModule: string;
  /** How to write the export, for the hint of every error about it. */
  hint: string;
  /** How option errors name the entry (`trigger 'x'`). */
  optionsOf: string;
  /** Why `made` is not what the entry needs (`is not a trigger (…)`), or undefined when it is. */
  mismatch(made: unknown): string | undefined;
}

/** Check options against a definition's zod schema; the first problem names its key. */
export function checkModuleOptions(schema: Schema, options: unknown, origin: ModuleConfig['origin'], label: string): unknown {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error?.issues[0];
  const key = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ConfigError(`bad options for ${label}: ${key}${issue?.message ?? 'invalid'}`, origin);
}

export async function moduleInstance<M>(entry: ModuleConfig, env: unknown, rules: ModuleRules): Promise<M> {
  if (!entry.module) throw new ConfigError(rules.missingModule, entry.origin);
  const { path, exports } = await importModule(entry.folder, entry.module, entry.origin, rules.what);
  const exportName = entry.exportName ?? 'default';
  const value = exports[exportName];
  const bad = (why: string) => new ConfigError(`${path} ${why}`, entry.origin, { hint: rules.hint });
  if (value === undefined) throw bad(`has no export '${exportName}'`);
  let made: unknown = value;
  if (typeof value === 'function') {
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
    made = isClass ? new (value as new (o: unknown, e: unknown) => unknown)(entry.options, env) : (value as (o: unknown, e: unknown) => unknown)(entry.options, env);
  } else if (isRecord(value) && typeof value.create === 'function' && isRecord(value.options) && typeof value.options.safeParse === 'function') {
    made = (value.create as (o: unknown, e: unknown) => unknown)(checkModuleOptions(value.options as unknown as Schema, entry.options, entry.origin, rules.optionsOf), env);
  }
  made = await made;
  const why = rules.mismatch(made);
  if (why) throw bad(`export '${exportName}' ${why}`);
  if (typeof (made as { kind?: unknown }).kind !== 'string') (made as { kind: string }).kind = entry.name ?? 'custom';
  return made as M;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
