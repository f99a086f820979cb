/**
 * A creature's input and output modules, made at build from `input:` and
 * `output:` (catalog types with their options checked by the type's schema,
 * or a custom module file), so a bad entry is a ConfigError naming the file,
 * key and line before anything runs. Nothing starts here.
 */
import type { CreatureDefinition } from '../config/loader.js';
import type { ModuleConfig } from '../config/module-entry.js';
import { ConfigError } from '../errors.js';
import { ioCatalog as defaultCatalog, type IoCatalog, type IoEnv } from '../io/catalog.js';
import type { InputModule } from '../io/input.js';
import type { OutputModule } from '../io/output.js';
import { importModule } from './module-export.js';

/** Input types that are the surface's own (no engine module runs for them). */
const SURFACE_INPUTS = new Set(['cli', 'tui']);

export interface IoModules {
  /** Undefined: the surface is the input (`cli`, none configured, or the surface overrode it). */
  input: InputModule | undefined;
  /** The main outputs (the config's, or the surface's override); empty for `outputs: 'none'`. */
  main: OutputModule[];
  named: Map<string, OutputModule>;
}

export interface IoBuildOptions {
  /** `'config'` (default): the config's `input:`; `'none'`: no input module (the surface drives the creature); or a module. */
  input?: InputModule | 'config' | 'none';
  /** `'config'` (default); `'none'`: no main output module; or modules that replace the config's main output (named outputs stay). */
  outputs?: OutputModule[] | 'config' | 'none';
  catalog?: IoCatalog;
}

export async function buildIoModules(definition: CreatureDefinition, cwd: string, options: IoBuildOptions = {}): Promise<IoModules> {
  const catalog = options.catalog ?? defaultCatalog;
  let input: InputModule | undefined;
  if (typeof options.input === 'object') input = options.input;
  else if (options.input !== 'none' && definition.input && !SURFACE_INPUTS.has(definition.input.kind)) {
    input = await makeModule('input', definition.input, cwd, catalog);
  }
  const named = new Map<string, OutputModule>();
  for (const [name, entry] of Object.entries(definition.output?.named ?? {})) named.set(name, await makeModule('output', entry, cwd, catalog));
  let main: OutputModule[] = [];
  if (Array.isArray(options.outputs)) main = [...options.outputs];
  else if (options.outputs !== 'none' && definition.output) main = [await makeModule('output', definition.output, cwd, catalog)];
  return { input, main, named };
}

async function makeModule(what: 'input', entry: ModuleConfig, cwd: string, catalog: IoCatalog): Promise<InputModule>;
async function makeModule(what: 'output', entry: ModuleConfig, cwd: string, catalog: IoCatalog): Promise<OutputModule>;
async function makeModule(what: 'input' | 'output', entry: ModuleConfig, cwd: string, catalog: IoCatalog): Promise<InputModule | OutputModule> {
  const env: IoEnv = { folder: entry.folder, cwd };
  if (entry.kind === 'custom' || entry.module) return customModule(what, entry, env);
  if (!entry.kind) throw new ConfigError(`an ${what} entry needs a type`, entry.origin);
  const definition = (what === 'input' ? catalog.inputs : catalog.outputs).get(entry.kind, entry.origin);
  return definition.create(checkOptions(definition.options, entry, what), env);
}

type Schema = { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: Array<{ message: string; path: PropertyKey[] }> } } };

function checkOptions(schema: Schema, entry: ModuleConfig, what: string): unknown {
  const parsed = schema.safeParse(entry.options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error?.issues[0];
  const key = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ConfigError(`bad options for ${what} '${entry.name ?? entry.kind}': ${key}${issue?.message ?? 'invalid'}`, entry.origin);
}

/**
 * A module from the user's file. The export may be the module object, a
 * definition (`{kind, options, create}`), a class, or a factory function;
 * the last three get the entry's options and the folders.
 */
async function customModule(what: 'input' | 'output', entry: ModuleConfig, env: IoEnv): Promise<InputModule | OutputModule> {
  if (!entry.module) throw new ConfigError(`a custom ${what} needs a module (a JS file exporting it)`, entry.origin);
  const { path, exports } = await importModule(entry.folder, entry.module, entry.origin, what);
  const exportName = entry.exportName ?? 'default';
  const value = exports[exportName];
  const shape = what === 'input' ? '{ kind, start(ctx) }' : '{ kind, write(text) }';
  const bad = (why: string) =>
    new ConfigError(`${path} ${why}`, entry.origin, { hint: `export an ${what} module (${shape}), a definition ({ kind, options, create(options) }), a class or a factory function` });
  if (value === undefined) throw bad(`has no export '${exportName}'`);
  let made: unknown = value;
  if (typeof value === 'function') {
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
    made = isClass ? new (value as new (o: unknown, e: IoEnv) => unknown)(entry.options, env) : (value as (o: unknown, e: IoEnv) => unknown)(entry.options, env);
  } else if (isRecord(value) && typeof value.create === 'function' && isRecord(value.options) && typeof value.options.safeParse === 'function') {
    made = (value.create as (o: unknown, e: IoEnv) => unknown)(checkOptions(value.options as unknown as Schema, entry, what), env);
  }
  made = await made;
  const fits = isRecord(made) && (what === 'input' ? typeof made.start === 'function' : OUTPUT_METHODS.some((m) => typeof made[m as keyof typeof made] === 'function'));
  if (!fits) throw bad(`export '${exportName}' is not an ${what} module (${what === 'input' ? 'it has no start(ctx) method' : `it has none of ${OUTPUT_METHODS.join(', ')}`})`);
  if (typeof (made as { kind?: unknown }).kind !== 'string') (made as { kind: string }).kind = entry.name ?? 'custom';
  return made as unknown as InputModule | OutputModule;
}

const OUTPUT_METHODS = ['write', 'writeStream', 'onEvent', 'onProcessingEnd', 'onActivity'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
