/**
 * What packages add to prompts, from their kohaku.yaml: named fragments
 * (`prompts:` / `templates:` entries `{name, path}`) that a creature's
 * prompt can `{% include %}`, and `framework_hints:` (alias
 * `framework_hint_overrides`) that replace the framework's hint blocks for
 * every creature, under the creature's own overrides.
 *
 * Every known package is read, in name order; for a fragment name two
 * packages share, the first wins, and `@package/name` always names one
 * exactly. A manifest that is broken only warns: one bad package must not
 * stop every creature from loading.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, formatKeyPath } from '../errors.js';
import type { Env } from '../home.js';
import { packageIndex, type PackageIndex } from '../packages/registry.js';
import { hintOverridesOf } from './prompt-hints.js';
import type { ConfigWarning } from './validate.js';
import { YamlSource } from './yaml-source.js';

export interface PackagePrompts {
  /** Fragment name (and `@package/name`) → absolute file. */
  fragments: Record<string, string>;
  /** Hint block key → text, packages merged in name order. */
  hints: Record<string, string>;
}

interface ManifestPrompts {
  fragments: Array<[string, string]>;
  hints: Record<string, string>;
  warnings: ConfigWarning[];
}

/** Parsed manifests, by file; re-read when the file changes. */
const cache = new Map<string, { stamp: string; value: ManifestPrompts }>();

export function packagePrompts(env: Env, warnings: ConfigWarning[], packages: PackageIndex = packageIndex(env)): PackagePrompts {
  const out: PackagePrompts = { fragments: {}, hints: {} };
  for (const name of packages.names()) {
    const root = packages.resolve(name)?.root;
    const file = root && ['kohaku.yaml', 'kohaku.yml'].map((f) => join(root, f)).find((f) => existsSync(f));
    if (!root || !file) continue;
    const found = manifestPrompts(file, root);
    warnings.push(...found.warnings);
    for (const [fragment, path] of found.fragments) {
      out.fragments[fragment] ??= path;
      out.fragments[`@${name}/${fragment}`] = path;
    }
    Object.assign(out.hints, found.hints);
  }
  return out;
}

function manifestPrompts(file: string, root: string): ManifestPrompts {
  const stat = statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const cached = cache.get(file);
  if (cached?.stamp === stamp) return cached.value;
  const value = readManifest(file, root);
  cache.set(file, { stamp, value });
  return value;
}

function readManifest(file: string, root: string): ManifestPrompts {
  const value: ManifestPrompts = { fragments: [], hints: {}, warnings: [] };
  let source: YamlSource;
  try {
    source = YamlSource.read(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    value.warnings.push({ message: `package manifest skipped for prompts: ${error.detail}`, file, ...(error.line ? { line: error.line } : {}) });
    return value;
  }
  const data = (source.data ?? {}) as Record<string, unknown>;
  const warn = (keyPath: Array<string | number>, message: string) => {
    const pos = source.locate(keyPath);
    value.warnings.push({ message: `'${formatKeyPath(keyPath)}': ${message}`, file, keyPath, ...(pos ? { line: pos.line } : {}) });
  };
  for (const key of ['prompts', 'templates'] as const) {
    const entries = data[key];
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) {
      warn([key], 'expected a list of {name, path}; ignored');
      continue;
    }
    entries.forEach((entry: unknown, index) => {
      const { name, path } = (entry ?? {}) as { name?: unknown; path?: unknown };
      if (typeof name !== 'string' || !name || typeof path !== 'string' || !path) return warn([key, index], 'a prompt fragment needs a name and a path; ignored');
      const absolute = resolve(root, path);
      if (!existsSync(absolute)) return warn([key, index, 'path'], `fragment file ${absolute} does not exist; ignored`);
      value.fragments.push([name, absolute]);
    });
  }
  for (const key of ['framework_hints', 'framework_hint_overrides'] as const) {
    const hints = data[key];
    if (hints === undefined) continue;
    Object.assign(value.hints, hintOverridesOf(hints, [key], { file, locate: (p) => source.locate(p) }, value.warnings));
  }
  return value;
}
