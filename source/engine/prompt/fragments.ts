/**
 * Where `{% include "name" %}` finds a prompt fragment: first the
 * creature's own folders (each layer's `prompts/` folder, then the layer's
 * folder, child layer first), then the fragments packages list by name in
 * their kohaku.yaml (`prompts:` / `templates:`). A name without an
 * extension also matches `<name>.md`, so `"git-safety"` finds
 * `prompts/git-safety.md`.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type { FragmentLookup, PromptFragment } from './template.js';

export interface FragmentSources {
  /** Folders to search, in order (child layer first). */
  folders: readonly string[];
  /** Package fragments: name (and `@package/name`) → absolute file. */
  packages: Readonly<Record<string, string>>;
}

export function fragmentLookup(sources: FragmentSources): FragmentLookup {
  const read = new Map<string, PromptFragment | undefined>();
  return (name) => {
    if (!read.has(name)) read.set(name, find(sources, name));
    return read.get(name);
  };
}

function find(sources: FragmentSources, name: string): PromptFragment | undefined {
  if (!name || isAbsolute(name)) return undefined;
  const names = extname(name) ? [name] : [name, `${name}.md`];
  for (const folder of sources.folders) {
    for (const candidate of names) {
      const file = resolve(folder, candidate);
      // A fragment comes from inside the folder: `../` does not climb out of it.
      const inside = relative(folder, file);
      if (inside.startsWith('..') || isAbsolute(inside)) continue;
      if (isFile(file)) return { file, text: readFileSync(file, 'utf8') };
    }
  }
  const file = Object.hasOwn(sources.packages, name) ? sources.packages[name] : undefined;
  return file && isFile(file) ? { file, text: readFileSync(file, 'utf8') } : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
