/**
 * What packages add to the engine's catalogs: the `tools`, `plugins`,
 * `triggers` and `io` modules their kohaku.yaml lists, loaded by dynamic
 * import (`.ts` through Node's type stripping) and registered under the
 * manifest's names.
 *
 * A package is loaded whole or not at all: every module is imported and
 * every name checked before anything is registered, so a broken package is
 * reported with its name and reason and never half-registers or stops the
 * others. A name already taken (a built-in or another package) is an error
 * unless the entry says `override: true`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigLocation } from '../errors.js';
import type { Env } from '../home.js';
import { ioCatalog, type IoCatalog } from '../io/catalog.js';
import { pluginCatalog, type AnyPlugin, type PluginCatalog } from '../plugins/catalog.js';
import type { Tool } from '../tools/tool.js';
import { toolCatalog, type ToolCatalog, type ToolFactory } from '../tools/catalog.js';
import { triggerCatalog, type AnyTriggerDefinition, type TriggerCatalog } from '../triggers/catalog.js';
import { ManifestError } from '../packages/errors.js';
import { checkFrameworkVersion, manifestFile, readManifest, type IoEntry, type ModuleEntry, type ReadManifest } from '../packages/manifest.js';
import { packageIndex, type PackageIndex } from '../packages/registry.js';

export interface Catalogs {
  tools: ToolCatalog;
  plugins: PluginCatalog;
  triggers: TriggerCatalog;
  io: IoCatalog;
}

export interface ExtensionReport {
  /** Packages whose modules are registered (now or earlier in this process). */
  loaded: string[];
  /** Packages that could not be loaded, with the reason. */
  failed: Array<{ name: string; error: Error }>;
}

const defaultCatalogs = (): Catalogs => ({ tools: toolCatalog, plugins: pluginCatalog, triggers: triggerCatalog, io: ioCatalog });

/** Package roots already handled in this process, by catalog set. */
const done = new WeakMap<ToolCatalog, Map<string, Promise<Error | undefined>>>();

/**
 * Register the modules of every known package that has any; each package
 * once per process. `packages`: the build's package index (default: a fresh
 * look at the packages home).
 */
export async function loadPackageExtensions(env: Env = process.env, catalogs: Catalogs = defaultCatalogs(), packages: PackageIndex = packageIndex(env)): Promise<ExtensionReport> {
  const report: ExtensionReport = { loaded: [], failed: [] };
  let seen = done.get(catalogs.tools);
  if (!seen) done.set(catalogs.tools, (seen = new Map()));
  for (const name of packages.names()) {
    const pkg = packages.resolve(name);
    if (!pkg || !manifestFile(pkg.root)) continue;
    const key = pkg.root;
    let pending = seen.get(key);
    if (!pending) {
      pending = loadOne(pkg.root, catalogs).then(() => undefined, (error: Error) => error);
      seen.set(key, pending);
    }
    const error = await pending;
    if (error) report.failed.push({ name, error });
    else report.loaded.push(name);
  }
  return report;
}

/** Import, check and register one package's modules; throws a ManifestError naming the package. */
export async function loadOne(root: string, catalogs: Catalogs = defaultCatalogs()): Promise<void> {
  const read = readManifest(root);
  checkFrameworkVersion(read.manifest, read.file, read.lineOf(['kt_version']));
  // Most packages (the bundled pack among them) bring no modules: nothing to import or check.
  const { tools, plugins, triggers, io } = read.manifest;
  if (!tools?.length && !plugins?.length && !triggers?.length && !io?.length) return;
  const registrations = await prepare(root, read, catalogs);
  for (const register of registrations) register();
}

async function prepare(root: string, read: ReadManifest, catalogs: Catalogs): Promise<Array<() => void>> {
  const { file, manifest } = read;
  const at = (keyPath: Array<string | number>) => {
    const line = read.lineOf(keyPath);
    return { file, keyPath, ...(line ? { line } : {}) };
  };
  const load = (key: string, index: number, entry: ModuleEntry) => loadExport(root, at([key, index, 'module']), manifest.name, key, entry);
  const shapeError = (key: string, index: number, entry: ModuleEntry, expected: string) =>
    new ManifestError(`package '${manifest.name}': module ${entry.module} has no usable export '${entry.export ?? 'default'}' (expected ${expected})`, at([key, index, 'module']));
  const out: Array<() => void> = [];
  const taken = (key: string, index: number, entry: ModuleEntry, exists: boolean, what: string) => {
    if (exists && !entry.override) {
      throw new ManifestError(`package '${manifest.name}': a ${what} named '${entry.name}' already exists (set override: true on the entry to replace it)`, at([key, index, 'name']));
    }
  };
  for (const [index, entry] of (manifest.tools ?? []).entries()) {
    const exported = await load('tools', index, entry);
    const factory = toolFactory(entry, exported);
    if (!factory) throw shapeError('tools', index, entry, 'a tool(), a tool factory { name, create }, or a function (options) => tool');
    taken('tools', index, entry, catalogs.tools.has(entry.name), 'tool');
    out.push(() => catalogs.tools.register(factory, { override: !!entry.override }));
  }
  for (const [index, entry] of (manifest.plugins ?? []).entries()) {
    let exported = await load('plugins', index, entry);
    if (typeof exported === 'function') exported = (exported as () => unknown)();
    if (!isPlugin(exported)) throw shapeError('plugins', index, entry, 'plugin({ name, setup }) or a function returning one');
    taken('plugins', index, entry, catalogs.plugins.has(entry.name), 'plugin');
    const definition: AnyPlugin = { ...exported, name: entry.name };
    out.push(() => catalogs.plugins.register(definition, { override: !!entry.override }));
  }
  for (const [index, entry] of (manifest.triggers ?? []).entries()) {
    const exported = await load('triggers', index, entry);
    if (!isKindDefinition(exported)) throw shapeError('triggers', index, entry, 'a trigger definition { kind, description, options, create }');
    taken('triggers', index, entry, catalogs.triggers.has(entry.name), 'trigger type');
    const definition = { ...exported, kind: entry.name } as AnyTriggerDefinition;
    out.push(() => catalogs.triggers.register(definition, { override: !!entry.override }));
  }
  for (const [index, entry] of (manifest.io ?? []).entries()) {
    const exported = await load('io', index, entry);
    if (!isKindDefinition(exported)) throw shapeError('io', index, entry, `an ${entry.kind} definition { kind, description, options, create }`);
    const registry = (entry as IoEntry).kind === 'input' ? catalogs.io.inputs : catalogs.io.outputs;
    taken('io', index, entry, registry.has(entry.name), `${(entry as IoEntry).kind} type`);
    const definition = { ...exported, kind: entry.name };
    out.push(() => registry.register(definition as never, { override: !!entry.override }));
  }
  return out;
}

async function loadExport(root: string, where: ConfigLocation, pkg: string, key: string, entry: ModuleEntry): Promise<unknown> {
  const path = resolve(root, entry.module);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ManifestError(`package '${pkg}': cannot load ${key} module ${path}: ${(error as Error).message.split('\n')[0]}`, where, { cause: error });
  }
  const exportName = entry.export ?? 'default';
  return exports[exportName];
}


function toolFactory(entry: ModuleEntry, exported: unknown): ToolFactory | undefined {
  const description = entry.description ?? '';
  if (isTool(exported)) return { name: entry.name, description: description || exported.description, create: () => exported };
  if (isFactory(exported)) return { name: entry.name, description: description || exported.description, create: (options) => exported.create({ ...entry.options, ...options }) };
  if (typeof exported === 'function') {
    const make = exported as (options: Record<string, unknown>) => unknown;
    return {
      name: entry.name,
      description,
      create: (options) => {
        const tool = make({ ...entry.options, ...options });
        if (!isTool(tool)) throw new ManifestError(`package tool '${entry.name}': its function did not return a tool`);
        return tool;
      },
    };
  }
  return undefined;
}

function isTool(value: unknown): value is Tool {
  const t = value as Tool | undefined;
  return !!t && typeof t === 'object' && typeof t.name === 'string' && typeof t.execute === 'function' && typeof t.parse === 'function';
}

function isFactory(value: unknown): value is ToolFactory {
  return !!value && typeof value === 'object' && typeof (value as ToolFactory).create === 'function' && !('kind' in value);
}

function isPlugin(value: unknown): value is AnyPlugin {
  const v = value as AnyPlugin | undefined;
  return !!v && typeof v === 'object' && typeof v.name === 'string' && typeof v.setup === 'function';
}

function isKindDefinition(value: unknown): value is { kind: string; create: unknown; options: unknown } {
  const v = value as { kind?: unknown; create?: unknown; options?: unknown } | undefined;
  return !!v && typeof v === 'object' && typeof v.create === 'function' && typeof v.options === 'object' && v.options !== null;
}
