/**
 * The base prompt of a creature, as written: the prompt files base → child
 * (a `replace` layer restarts the chain), then the inline `system_prompt`;
 * the folders `{% include %}` searches; and the `prompt_context_files`
 * variables. Rendering happens at build (engine/prompt/template.ts), so
 * each piece keeps the file (and line) it came from.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type ConfigLocation } from '../errors.js';
import type { PromptSource } from '../prompt/template.js';
import type { LayerConfig } from './merge.js';
import type { YamlSource } from './yaml-source.js';

export interface PromptLayer {
  file: string;
  folder: string;
  source: Pick<YamlSource, 'file' | 'locate'>;
  config: LayerConfig;
}

export const DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.';

export interface PromptChain {
  /** The pieces joined by blank lines (the default prompt when there are none). */
  text: string;
  files: string[];
  sources: PromptSource[];
}

/** Prompt files base → child, then the inline prompt (the merged `system_prompt`, from the last layer that set it). */
export function promptChain(chain: readonly PromptLayer[], inline: string | undefined): PromptChain {
  let files: string[] = [];
  chain.forEach((layer, index) => {
    if (layer.config.prompt_mode === 'replace') files = [];
    const name = layer.config.system_prompt_file;
    if (!name) return;
    // Relative to the layer's folder, falling back to its bases' folders.
    const folders = [layer.folder, ...chain.slice(0, index).reverse().map((l) => l.folder)];
    const found = folders.map((dir) => resolve(dir, name)).find(isFile);
    if (!found) {
      throw new ConfigError(`prompt file '${name}' not found (looked in ${folders[0]})`, locationOf(layer, ['system_prompt_file']));
    }
    if (!files.includes(found)) files.push(found);
  });
  // Untrimmed, so a template error's line is the line in the file; the rendered text is trimmed instead.
  const sources: PromptSource[] = files.map((file) => ({ text: readFileSync(file, 'utf8'), file }));
  if (inline?.trim()) {
    const owner = [...chain].reverse().find((l) => l.config.system_prompt !== undefined && l.config.system_prompt !== null);
    const where = owner ? locationOf(owner, ['system_prompt']) : { file: '<inline config>' };
    sources.push({ text: inline, file: where.file ?? '<inline config>', keyPath: ['system_prompt'], ...(where.line ? { line: where.line } : {}) });
  }
  const kept = sources.filter((s) => s.text.trim());
  const text = kept.map((s) => s.text.trim()).join('\n\n');
  return { text: text || DEFAULT_SYSTEM_PROMPT, files, sources: kept };
}

/** Where `{% include %}` looks in the creature: each layer's `prompts/` folder, then the layer's folder, child first. */
export function promptFolders(chain: readonly PromptLayer[]): string[] {
  const folders = [...chain].reverse().flatMap((layer) => [join(layer.folder, 'prompts'), layer.folder]);
  return [...new Set(folders)];
}

/**
 * `prompt_context_files` of one layer with absolute paths, checked here,
 * where the folder they are relative to and the line are known.
 */
export function resolveContextFiles(layer: PromptLayer): void {
  const files = layer.config.prompt_context_files;
  if (!files) return;
  for (const [variable, path] of Object.entries(files)) {
    const absolute = resolve(layer.folder, path);
    if (!isFile(absolute)) {
      throw new ConfigError(`prompt context file '${path}' for '{{ ${variable} }}' not found (looked for ${absolute})`, locationOf(layer, ['prompt_context_files', variable]));
    }
    files[variable] = absolute;
  }
}

/** The merged `prompt_context_files`, read: variable → the file's text. */
export function readContextFiles(files: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(files ?? {}).map(([variable, path]) => [variable, readFileSync(path, 'utf8')]));
}

export function locationOf(layer: PromptLayer, keyPath: Array<string | number>): ConfigLocation {
  const pos = layer.source.locate(keyPath);
  return { file: layer.file, keyPath, ...(pos ? { line: pos.line, column: pos.column } : {}) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
