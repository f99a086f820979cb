/**
 * Terrarium recipes (`terrarium.yaml`): a team as data. The loader checks
 * the whole recipe before anything is built: member names, channel names
 * in `listen` / `can_send`, wire targets and wire loops, each error naming
 * the file, key and line. Member configs keep every creature key; they are
 * validated as creatures (with the recipe's file and lines) when built.
 *
 * Fixes against the original: `privileged: true` on a member works, a
 * channel's `type` (queue | broadcast) is honoured, and the string shorthand
 * `name: "text"` is the channel's description.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../util/lazy-schema.js';
import { ConfigError, PackageNotFoundError, type ConfigLocation } from '../errors.js';
import type { Env } from '../home.js';
import { knownPackages, parsePackageRef, resolvePackage } from '../packages/registry.js';
import { interpolate } from '../config/interpolate.js';
import { outputWireSchema, type OutputWireEntry } from '../config/schema.js';
import { validateDocument, type ConfigWarning } from '../config/validate.js';
import { YamlSource } from '../config/yaml-source.js';
import type { TopologyChannel } from './topology.js';

const channelSchema = lazySchema(() => z.union([
  z.string(),
  z.null(),
  z.strictObject({ type: z.enum(['broadcast', 'queue']).optional(), description: z.string().optional() }),
]));

const memberKeys = () => ({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a creature name is letters, digits, _ and -'),
  /** The original's alias of base_config. */
  config: z.string().min(1).optional(),
  privileged: z.boolean().optional(),
  channels: z.strictObject({ listen: z.array(z.string().min(1)).optional(), can_send: z.array(z.string().min(1)).optional() }).optional(),
  output_wiring: z.array(outputWireSchema).optional(),
  // The original's per-creature stdout capture: accepted, the terminal app shows every member anyway.
  output_log: z.boolean().optional(),
  output_log_size: z.number().int().optional(),
});

const recipeSchema = lazySchema(() => z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Output wires may form a loop; each wire-started turn then counts hops and stops at `max_hops`. */
  allow_cycles: z.boolean().optional(),
  max_hops: z.number().int().positive().optional(),
  root: z.looseObject({ ...memberKeys(), name: memberKeys().name.optional() }).optional(),
  creatures: z.array(z.looseObject(memberKeys())).optional(),
  channels: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a channel name is letters, digits, _ . and -'), channelSchema).optional(),
}));

export interface RecipeMember {
  name: string;
  /** Creature keys (base_config, system_prompt_file, controller, tools, ...). */
  config: Record<string, unknown>;
  listen: string[];
  canSend: string[];
  wiring: OutputWireEntry[];
  privileged: boolean;
  isRoot: boolean;
  /** Where the member was written: its creature config's errors name the recipe file and lines under this key. */
  keyPath: Array<string | number>;
}

export interface Recipe {
  name: string;
  description?: string;
  /** The recipe file; absent for a recipe given as an object. */
  file?: string;
  /** Where members' relative paths start. */
  folder: string;
  root?: RecipeMember;
  members: RecipeMember[];
  channels: TopologyChannel[];
  allowCycles: boolean;
  maxHops: number;
  source: Pick<YamlSource, 'file' | 'locate'>;
  warnings: ConfigWarning[];
}

export const ROOT_NAME = 'root';
export const REPORT_CHANNEL = 'report_to_root';
const RECIPE_FILES = ['terrarium.yaml', 'terrarium.yml', 'recipe.yaml', 'recipe.yml'];

/** Is this path a recipe (a recipe file, or a folder holding one)? */
export function findRecipeFile(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) return RECIPE_FILES.map((f) => join(path, f)).find((f) => existsSync(f));
  if (RECIPE_FILES.includes(basename(path))) return path;
  // Any YAML file with a top-level `terrarium:` or `creatures:` list is a recipe.
  try {
    const data = YamlSource.read(path).data as Record<string, unknown> | null;
    return data && (data.terrarium !== undefined || Array.isArray(data.creatures)) ? path : undefined;
  } catch {
    return undefined;
  }
}

export function loadRecipe(ref: string | Record<string, unknown>, options: { env?: Env; cwd?: string } = {}): Recipe {
  const env = options.env ?? process.env;
  let source: Pick<YamlSource, 'file' | 'locate'>;
  let data: unknown;
  let folder: string;
  let file: string | undefined;
  if (typeof ref === 'string') {
    const path = recipePath(ref, options.cwd ?? process.cwd(), env);
    file = findRecipeFile(path);
    if (!file) throw new ConfigError(`no terrarium recipe at ${path} (looked for ${RECIPE_FILES.join(', ')})`, { file: path });
    const yaml = YamlSource.read(file);
    source = yaml;
    data = yaml.data;
    folder = dirname(file);
  } else {
    source = { file: '<inline recipe>', locate: () => undefined };
    data = ref;
    folder = resolve(options.cwd ?? process.cwd());
  }
  // The `terrarium:` wrapper is optional; key paths keep it so lines are found.
  const wrapped = isRecord(data) && isRecord(data.terrarium);
  const prefix = wrapped ? ['terrarium'] : [];
  const located: Pick<YamlSource, 'file' | 'locate'> = { file: source.file, locate: (path) => source.locate([...prefix, ...path]) };
  const body = interpolate(wrapped ? (data as { terrarium: unknown }).terrarium : data, env);
  const warnings: ConfigWarning[] = [];
  const parsed = validateDocument(recipeSchema, body, located, warnings, 'a terrarium recipe');
  const at = (keyPath: Array<string | number>): ConfigLocation => {
    const pos = located.locate(keyPath);
    return { file: located.file, keyPath: [...prefix, ...keyPath], ...(pos ? { line: pos.line, column: pos.column } : {}) };
  };

  const channels: TopologyChannel[] = Object.entries(parsed.channels ?? {}).map(([name, value]) => {
    if (value === null || typeof value === 'string') return { name, type: 'broadcast', description: value ?? '' };
    return { name, type: value.type ?? 'broadcast', description: value.description ?? '' };
  });
  const members = (parsed.creatures ?? []).map((entry, index) => member(entry, [...prefix, 'creatures', index], false));
  const root = parsed.root ? member({ ...parsed.root, name: parsed.root.name ?? ROOT_NAME }, [...prefix, 'root'], true) : undefined;
  const recipe: Recipe = {
    name: parsed.name ?? (file ? basename(dirname(file)) : 'terrarium'),
    ...(parsed.description ? { description: parsed.description } : {}),
    ...(file ? { file } : {}),
    folder,
    ...(root ? { root } : {}),
    members,
    channels,
    allowCycles: parsed.allow_cycles ?? false,
    maxHops: parsed.max_hops ?? 8,
    source,
    warnings,
  };
  checkRecipe(recipe, at, prefix.length);
  return recipe;
}

/** `@pkg/terrariums/<name>` resolves inside the package (as creature references do); anything else from `cwd`. */
function recipePath(ref: string, cwd: string, env: Env): string {
  const pkg = parsePackageRef(ref);
  if (!pkg) return resolve(cwd, ref);
  const root = resolvePackage(pkg.name, env)?.root;
  if (!root) {
    const known = knownPackages(env);
    throw new PackageNotFoundError(`package '@${pkg.name}' is not installed${known.length ? ` (available: ${known.map((n) => `@${n}`).join(', ')})` : ''}`, {}, { hint: `install it with: kt install @${pkg.name}` });
  }
  return join(root, pkg.subpath);
}

function member(entry: Record<string, unknown>, keyPath: Array<string | number>, isRoot: boolean): RecipeMember {
  const { name, config: alias, privileged, channels, output_wiring, output_log: _log, output_log_size: _size, ...creature } = entry as Record<string, unknown> & {
    name: string;
    config?: string;
    privileged?: boolean;
    channels?: { listen?: string[]; can_send?: string[] };
    output_wiring?: OutputWireEntry[];
  };
  if (alias && creature.base_config === undefined) creature.base_config = alias;
  if (!creature.name) creature.name = name;
  return {
    name,
    config: creature,
    listen: channels?.listen ?? [],
    canSend: channels?.can_send ?? [],
    wiring: output_wiring ?? [],
    privileged: isRoot || privileged === true,
    isRoot,
    keyPath,
  };
}

/** Names and references that must resolve before anything is built. */
function checkRecipe(recipe: Recipe, at: (keyPath: Array<string | number>) => ConfigLocation, skip: number): void {
  const all = [...(recipe.root ? [recipe.root] : []), ...recipe.members];
  const names = new Set<string>();
  for (const m of all) {
    if (names.has(m.name)) throw new ConfigError(`two creatures are named '${m.name}'`, at([...m.keyPath.slice(skip), 'name']));
    names.add(m.name);
  }
  const channelNames = new Set([...recipe.channels.map((c) => c.name), ...names, ...(recipe.root ? [REPORT_CHANNEL] : [])]);
  for (const m of all) {
    for (const [key, list] of [['listen', m.listen], ['can_send', m.canSend]] as const) {
      list.forEach((channel, index) => {
        if (!channelNames.has(channel)) {
          throw new ConfigError(`creature '${m.name}' uses channel '${channel}', which the recipe does not declare`, at([...m.keyPath.slice(skip), 'channels', key, index]), {
            hint: `declared channels: ${[...channelNames].join(', ')}`,
          });
        }
      });
    }
    m.wiring.forEach((wire, index) => {
      const to = typeof wire === 'string' ? wire : wire.to;
      const target = to === ROOT_NAME && recipe.root ? recipe.root.name : to;
      if (!names.has(target)) throw new ConfigError(`creature '${m.name}' wires its output to '${to}', which is not a creature of this recipe`, at([...m.keyPath.slice(skip), 'output_wiring', index]));
      if (target === m.name && (typeof wire === 'string' || !wire.allow_self_trigger)) {
        throw new ConfigError(`creature '${m.name}' wires its output to itself; set allow_self_trigger: true if that is meant`, at([...m.keyPath.slice(skip), 'output_wiring', index]));
      }
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
