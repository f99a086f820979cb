/**
 * The Anthropic and Gemini adapters load their SDK with their first request
 * (sdk-bound.ts): importing an adapter (the library's providers entry loads
 * every one) must not load an SDK. Checked on the sources: the modules an
 * adapter reaches through static imports that are not type-only.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const llm = resolve(import.meta.dirname, '../../../source/engine/llm');
/** Static imports and re-exports that stay in the JavaScript (not `import type` / `export type`). */
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;

/** Every package a module reaches at load time through static imports. */
function packagesLoadedWith(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
    if (!spec) continue;
    if (spec.startsWith('.')) packagesLoadedWith(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen, packages);
    else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
  }
  return packages;
}

describe('adapters that load their SDK on first use', () => {
  it.each([
    ['anthropic/adapter.ts', '@anthropic-ai/sdk'],
    ['gemini/adapter.ts', '@google/genai'],
  ])('%s loads no %s when imported; its sdk-bound.ts does', (adapter, sdk) => {
    expect(packagesLoadedWith(join(llm, adapter))).not.toContain(sdk);
    expect(packagesLoadedWith(join(llm, dirname(adapter), 'sdk-bound.ts'))).toContain(sdk);
  });
});
