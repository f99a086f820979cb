/**
 * Loading: the markdown lexer and highlighter load on demand, once; nothing
 * in the statically imported part of the folder pulls them in, so `kt`
 * commands that never render markdown never pay for them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMarkdown, markdownRenderer } from '../../../source/ui/markdown/index.js';

const folder = resolve(import.meta.dirname, '../../../source/ui/markdown');

/** Every module specifier reachable from `file` through static, non-type imports. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const specs = new Set<string>();
  if (seen.has(file)) return specs;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(/^(?:import|export)(?!\s+type\b)[^'"]*?from\s*'([^']+)'/gm)) {
    if (!spec) continue;
    specs.add(spec);
    if (spec.startsWith('.')) {
      for (const inner of staticImports(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen)) specs.add(inner);
    }
  }
  return specs;
}

describe('loadMarkdown', () => {
  it('is not loaded until asked, then renders synchronously', async () => {
    expect(markdownRenderer()).toBeUndefined();
    const renderer = await loadMarkdown();
    expect(markdownRenderer()).toBe(renderer);
    expect(renderer.renderMarkdown('**hi**', { width: 20, color: false })).toBe('hi');
  });

  it('loads once: every call gets the same renderer', async () => {
    const [a, b] = await Promise.all([loadMarkdown(), loadMarkdown()]);
    expect(a).toBe(b);
    expect(await loadMarkdown()).toBe(a);
  });

  it('the entry module statically imports neither marked nor highlight.js', () => {
    const specs = [...staticImports(join(folder, 'index.ts'))];
    expect(specs.filter((spec) => /^(marked|highlight\.js)/.test(spec))).toEqual([]);
    // ...while the lazily loaded renderer does (the check above can see them).
    const renderer = [...staticImports(join(folder, 'renderer.ts'))];
    expect(renderer).toContain('marked');
    expect(renderer).toContain('highlight.js/lib/core');
  });
});
