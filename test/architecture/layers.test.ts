/**
 * The import rules of DESIGN.md, enforced. Imports point down only:
 * cli → ui → builtins → engine; the engine never reaches up; the plain UI
 * never loads Ink; each SDK is imported only by its adapter.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const sourceDir = join(root, 'source');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

interface Edge {
  from: string; // path relative to repo root
  spec: string;
  target: string; // repo-relative path for relative imports, else the package name
}

const edges: Edge[] = files(sourceDir).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  const out: Edge[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2] ?? match[3]) as string;
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec.startsWith('node:') ? spec : packageName(spec);
    out.push({ from: relative(root, file), spec, target });
  }
  return out;
});

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function violations(fromPrefix: string, forbidden: (edge: Edge) => boolean): string[] {
  return edges.filter((e) => e.from.startsWith(fromPrefix) && forbidden(e)).map((e) => `${e.from} imports ${e.spec}`);
}

const under = (prefix: string) => (e: Edge) => e.target.startsWith(prefix);

describe('layer rules', () => {
  it('found the sources', () => {
    expect(edges.length).toBeGreaterThan(50);
  });

  it('engine/ never imports builtins/, ui/, server/, cli/ or testing/', () => {
    const up = ['source/builtins', 'source/ui', 'source/server', 'source/cli', 'source/testing', 'test/'];
    expect(violations('source/engine/', (e) => up.some((p) => e.target.startsWith(p)))).toEqual([]);
  });

  it('engine/ imports no UI or CLI packages', () => {
    const ui = ['ink', 'react', 'ink-text-input', 'ink-spinner', 'meow'];
    expect(violations('source/engine/', (e) => ui.includes(e.target))).toEqual([]);
  });

  it('builtins/ never imports ui/, server/ or cli/', () => {
    expect(violations('source/builtins/', (e) => ['source/ui', 'source/server', 'source/cli'].some((p) => e.target.startsWith(p)))).toEqual([]);
  });

  it('ui/ never imports cli/ or server/', () => {
    expect(violations('source/ui/', (e) => under('source/cli')(e) || under('source/server')(e))).toEqual([]);
  });

  it('ui/ reads the engine only through what the public API exports', () => {
    const index = readFileSync(join(sourceDir, 'index.ts'), 'utf8');
    const publicModules = new Set(
      [...index.matchAll(/from '\.\/(engine\/[^']+)\.js'/g)].map((m) => `source/${m[1]}`),
    );
    const reachesIn = (e: Edge) => e.target.startsWith('source/engine/') && !publicModules.has(e.target.replace(/\.js$/, ''));
    expect(violations('source/ui/', reachesIn)).toEqual([]);
  });

  it('server/ never imports ui/, cli/, builtins/ or testing/ (it drives the engine through the public API)', () => {
    const above = ['source/ui', 'source/cli', 'source/builtins', 'source/testing', 'source/web'];
    expect(violations('source/server/', (e) => above.some((p) => e.target.startsWith(p)))).toEqual([]);
  });

  it('server/ reaches the engine only through source/index.ts, never a creature internal', () => {
    expect(violations('source/server/', (e) => e.target.startsWith('source/engine/'))).toEqual([]);
  });

  it('nothing below cli/ imports server/', () => {
    const below = ['source/engine/', 'source/builtins/', 'source/ui/', 'source/testing/'];
    expect(edges.filter((e) => below.some((p) => e.from.startsWith(p)) && e.target.startsWith('source/server')).map((e) => `${e.from} imports ${e.spec}`)).toEqual([]);
  });

  it('plain mode never imports Ink or React', () => {
    const ink = (e: Edge) => ['ink', 'react', 'ink-text-input', 'ink-spinner'].includes(e.target) || e.target.startsWith('source/ui/cli') || e.target.startsWith('source/ui/tui');
    expect(violations('source/ui/plain/', ink)).toEqual([]);
  });

  it('each provider SDK is imported only by its adapter folder', () => {
    const sdks: Record<string, string> = {
      openai: 'source/engine/llm/openai/',
      '@anthropic-ai/sdk': 'source/engine/llm/anthropic/',
      '@google/genai': 'source/engine/llm/gemini/',
    };
    const stray = edges.filter((e) => sdks[e.target] && !e.from.startsWith(sdks[e.target] as string));
    expect(stray.map((e) => `${e.from} imports ${e.spec}`)).toEqual([]);
  });

  it('every engine folder has a README with its purpose, imports and invariants', () => {
    const folders = readdirSync(join(sourceDir, 'engine'), { withFileTypes: true }).filter((d) => d.isDirectory());
    const missing = folders.filter((d) => !existsSync(join(sourceDir, 'engine', d.name, 'README.md'))).map((d) => d.name);
    expect(missing).toEqual([]);
  });
});
