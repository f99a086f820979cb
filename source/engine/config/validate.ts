/**
 * Validate config documents. Type errors are fatal and name file, key and
 * line; unknown keys are warnings (with the same location) and are dropped;
 * creature keys of features this build does not have yet warn and are ignored.
 */
import type { z } from 'zod';
import { ConfigError, formatKeyPath } from '../errors.js';
import { didYouMean } from '../util/close-match.js';
import { knownValidation } from '../util/known-yaml.js';
import { warnInert } from './inert-keys.js';
import { creatureLayerSchema, PENDING_KEYS, type CreatureLayer } from './schema.js';
import { keysAt } from './schema-keys.js';
import type { YamlSource } from './yaml-source.js';

export interface ConfigWarning {
  message: string;
  file?: string;
  line?: number;
  keyPath?: ReadonlyArray<string | number>;
}

type Issue = z.core.$ZodIssue;
type Path = Array<string | number>;

/** The kind under which engine/util/known-yaml.ts holds the bundled pack's creature configs, validated at build time. */
export const CREATURE_LAYER_KIND = 'creature-layer';

export function validateLayer(data: unknown, source: Pick<YamlSource, 'file' | 'locate'>, warnings: ConfigWarning[]): CreatureLayer {
  const layer = knownValidation<CreatureLayer>(CREATURE_LAYER_KIND, data) ?? validateDocument(creatureLayerSchema, data, source, warnings, 'a creature config');
  warnPending(layer, source, warnings);
  warnInert(layer, source, warnings);
  return layer;
}

/**
 * Validate a YAML document against a zod schema built from strict objects.
 * Unknown keys become warnings (and are dropped); any other problem throws a
 * ConfigError naming the file, the key path and the line.
 */
export function validateDocument<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: Pick<YamlSource, 'file' | 'locate'>,
  warnings: ConfigWarning[],
  what: string,
): z.output<S> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`${what} must be a mapping of keys to values`, { file: source.file, line: 1 });
  }
  let candidate = structuredClone(data) as Record<string, unknown>;
  // Unknown keys are reported and removed, then the rest is validated again.
  for (let pass = 0; pass < 8; pass++) {
    // jitless: validated once, so compiling zod's fast path (new Function per object schema) costs more than it saves.
    const result = schema.safeParse(candidate, { jitless: true });
    if (result.success) return result.data;
    const unknown = result.error.issues.filter((i) => i.code === 'unrecognized_keys');
    const fatal = result.error.issues.filter((i) => i.code !== 'unrecognized_keys');
    if (fatal.length) throw toConfigError(fatal, candidate, source);
    for (const issue of unknown) {
      for (const key of issue.keys) {
        const keyPath = [...issue.path, key] as Path;
        const pos = source.locate(keyPath);
        const known = keysAt(schema, issue.path as Path);
        warnings.push({
          message: `unknown key '${formatKeyPath(keyPath)}' is ignored${didYouMean(String(key), known)}`,
          file: source.file,
          keyPath,
          ...(pos ? { line: pos.line } : {}),
        });
        deleteAt(candidate, keyPath);
      }
    }
    candidate = structuredClone(candidate);
  }
  throw new ConfigError(`${what} could not be validated`, { file: source.file });
}

function warnPending(layer: CreatureLayer, source: Pick<YamlSource, 'file' | 'locate'>, warnings: ConfigWarning[]): void {
  for (const key of PENDING_KEYS) {
    if (layer[key] === undefined) continue;
    const pos = source.locate([key]);
    warnings.push({
      message: `'${key}' is not supported by this version yet and is ignored`,
      file: source.file,
      keyPath: [key],
      ...(pos ? { line: pos.line } : {}),
    });
  }
}

/**
 * The first problem locates the error; the others are listed after it, each
 * with its line and key, so one run shows everything to fix (on one line:
 * the CLI prints an error as a single line).
 */
function toConfigError(issues: Issue[], data: unknown, source: Pick<YamlSource, 'file' | 'locate'>): ConfigError {
  const first = issues[0] as Issue;
  const { path, message } = describe(first, data);
  const pos = source.locate(path);
  const others = issues.slice(1).map((issue) => {
    const other = describe(issue, data);
    const line = source.locate(other.path)?.line;
    const where = [line ? `line ${line}` : '', other.path.length ? `key '${formatKeyPath(other.path)}'` : ''].filter(Boolean).join(' ');
    return where ? `${where}: ${other.message}` : other.message;
  });
  const more = others.length ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''}: ${others.join('; ')})` : '';
  return new ConfigError(`${message}${more}`, {
    file: source.file,
    keyPath: path,
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  });
}

/** A readable message for one issue; unions report their closest branch. */
function describe(issue: Issue, data: unknown): { path: Path; message: string } {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol') as Path;
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const value = valueAt(data, path);
    // The branch that got furthest into the value is the one the author meant.
    const depth = (issues: Issue[]) => Math.max(...issues.map((i) => (i.code === 'unrecognized_keys' ? 0 : i.path.length)));
    const branch = [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0];
    const inner = branch?.[0];
    if (inner && typeof value === 'object' && value !== null) {
      const nested = describe({ ...inner, path: [...path, ...inner.path] } as Issue, data);
      return nested;
    }
    return { path, message: `expected ${expectedOf(issue)}, got ${typeName(value)}` };
  }
  if (issue.code === 'invalid_type') {
    const value = valueAt(data, path);
    return { path, message: value === undefined ? `'${String(path.at(-1))}' is required` : `expected ${issue.expected}, got ${typeName(value)}` };
  }
  if (issue.code === 'invalid_value') {
    return { path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { path, message: issue.message };
}

function expectedOf(issue: Issue & { code: 'invalid_union' }): string {
  const kinds = new Set<string>();
  for (const branch of issue.errors) for (const i of branch) if (i.code === 'invalid_type' && i.path.length === 0) kinds.add(i.expected);
  return kinds.size ? [...kinds].join(' or ') : 'a valid value';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function deleteAt(data: Record<string, unknown>, path: Path): void {
  const parent = valueAt(data, path.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[path.at(-1) as string];
}
