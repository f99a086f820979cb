/**
 * The engine's folders as a graph: no import cycles between them, and each
 * folder imports only what its README's "May import" line allows. A folder's
 * README is its contract; this keeps code and contract in step.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const engine = join(root, 'source', 'engine');

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** `engine/<folder>` of a path inside source/engine (top-level files such as events.ts are their own unit). */
function unitOf(path: string): string | undefined {
  const rel = relative(engine, path);
  if (rel.startsWith('..')) return undefined;
  const first = rel.split('/')[0] as string;
  return first.replace(/\.(ts|tsx|js)$/, '');
}

const folders = readdirSync(engine, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** Folder → folders it imports (relative imports only), with one example file per edge. */
const graph = new Map<string, Map<string, string>>();
for (const file of files(engine)) {
  const from = unitOf(file) as string;
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2] ?? match[3]) as string;
    if (!spec.startsWith('.')) continue;
    const to = unitOf(resolve(dirname(file), spec));
    if (!to || to === from) continue;
    const edges = graph.get(from) ?? new Map<string, string>();
    if (!edges.has(to)) edges.set(to, relative(root, file));
    graph.set(from, edges);
  }
}

/** Strongly connected components with more than one member: the cycles. */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        on.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The engine units a folder's README allows: every `engine/<name>` on its "May import" paragraph. */
function allowed(folder: string): Set<string> | undefined {
  const readme = join(engine, folder, 'README.md');
  if (!existsSync(readme)) return undefined;
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf('May import');
  if (start < 0) return undefined;
  const paragraph = text.slice(start).split(/\n\s*\n/)[0] as string;
  return new Set([...paragraph.matchAll(/`engine\/([\w-]+)/g)].map((m) => m[1] as string));
}

describe('engine folders', () => {
  it('every engine folder has a README with a "May import" line', () => {
    expect(folders.filter((f) => !allowed(f))).toEqual([]);
  });

  it('have no import cycles between them', () => {
    const found = cycles().map((c) => {
      const edges = c.flatMap((from) => c.filter((to) => graph.get(from)?.has(to)).map((to) => `${from} → ${to} (${graph.get(from)?.get(to)})`));
      return edges.join('; ');
    });
    expect(found).toEqual([]);
  });

  it('import only what their README allows', () => {
    const broken: string[] = [];
    for (const folder of folders) {
      const may = allowed(folder);
      if (!may) continue;
      for (const [to, example] of graph.get(folder) ?? []) if (!may.has(to)) broken.push(`engine/${folder} imports engine/${to} (${example}) but its README does not allow it`);
    }
    expect(broken).toEqual([]);
  });
});
