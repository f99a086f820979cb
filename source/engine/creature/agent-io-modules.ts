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
import { checkModuleOptions, isRecord, moduleInstance } from './module-instance.js';

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

function checkOptions(schema: Parameters<typeof checkModuleOptions>[0], entry: ModuleConfig, what: string): unknown {
  return checkModuleOptions(schema, entry.options, entry.origin, `${what} '${entry.name ?? entry.kind}'`);
}

/** A module from the user's file (see module-instance.ts for the export forms). */
function customModule(what: 'input' | 'output', entry: ModuleConfig, env: IoEnv): Promise<InputModule | OutputModule> {
  const shape = what === 'input' ? '{ kind, start(ctx) }' : '{ kind, write(text) }';
  return moduleInstance<InputModule | OutputModule>(entry, env, {
    what,
    missingModule: `a custom ${what} needs a module (a JS file exporting it)`,
    hint: `export an ${what} module (${shape}), a definition ({ kind, options, create(options) }), a class or a factory function`,
    optionsOf: `${what} '${entry.name ?? entry.kind}'`,
    mismatch: (made) => {
      const fits = isRecord(made) && (what === 'input' ? typeof made.start === 'function' : OUTPUT_METHODS.some((m) => typeof made[m] === 'function'));
      return fits ? undefined : `is not an ${what} module (${what === 'input' ? 'it has no start(ctx) method' : `it has none of ${OUTPUT_METHODS.join(', ')}`})`;
    },
  });
}

const OUTPUT_METHODS = ['write', 'writeStream', 'onEvent', 'onProcessingEnd', 'onActivity'];
