/**
 * The gitignore-aware file search behind `glob`, `grep` and `tree`: a
 * directory walk that reads each folder's .gitignore as it enters it and
 * prunes ignored folders before descending. Rule matching is the `ignore`
 * package (git's semantics), path patterns are picomatch.
 *
 * Not globby: its gitignore mode checks every found path against every
 * .gitignore after the walk, which measured ~10× slower than this on a 10k
 * file tree (540 ms against 50 ms) and dominated `grep`.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FoundFile {
  /** Relative to the search root, with `/` separators. */
  path: string;
  absolute: string;
  mtimeMs: number;
  size: number;
}

export interface FoundEntry {
  /** Relative to the root, with `/` separators. */
  path: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

interface WalkOptions {
  gitignore?: boolean;
  /** Levels to descend (1: only the root's own entries). */
  depth?: number;
  /** Folders (relative, `/`-separated) that may hold wanted paths; others are skipped. */
  enter?: (dir: string) => boolean;
}

/** Directory reads in flight at once: enough to keep the disk busy, few enough never to hit EMFILE. */
const READDIR_CONCURRENCY = 16;

/**
 * Files under `root` matching `pattern`, honouring .gitignore files (those
 * inside `root`, and those above it up to the repository root; unless
 * `gitignore` is false) and never entering `.git`. Dotfiles are included.
 * Symbolic links are left out, as following them could loop. Sorted by path.
 *
 * A root that is itself ignored (say `node_modules/x`) was asked for on
 * purpose, so the rules above it are dropped then; .gitignore files inside it
 * still apply. That is also how ripgrep treats a path it is given.
 *
 * `stats: false` skips the stat per file (size and mtime are then 0) for
 * callers that learn the size when they read the file.
 */
export async function findFiles(
  root: string,
  pattern: string | string[],
  signal: AbortSignal,
  { gitignore = true, stats = true }: { gitignore?: boolean; stats?: boolean } = {},
): Promise<FoundFile[]> {
  const { default: picomatch } = await import('picomatch');
  // fast-glob's habit, kept: `./src/*.ts` means `src/*.ts`.
  const patterns = (Array.isArray(pattern) ? pattern : [pattern]).map((p) => p.replace(/^(\.\/)+/, ''));
  const matches = picomatch(patterns, { dot: true });
  const bases = patterns.map((p) => picomatch.scan(p).base);
  const enter = (dir: string) => bases.some((base) => base === '' || dir === base || base.startsWith(`${dir}/`) || dir.startsWith(`${base}/`));
  const entries = await walk(root, signal, { gitignore, enter });
  const files = entries.filter((entry) => entry.kind === 'file' && matches(entry.path));
  const found = files.map((entry) => ({ path: entry.path, absolute: path.join(root, entry.path), mtimeMs: 0, size: 0 }));
  if (stats) {
    await mapLimited(found, 64, async (file) => {
      // A file that vanished since the walk keeps zeros; its reader will find it gone.
      const info = await stat(file.absolute).catch(() => undefined);
      if (info) {
        file.mtimeMs = info.mtimeMs;
        file.size = info.size;
      }
    });
    signal.throwIfAborted();
  }
  return found;
}

/**
 * Files, folders and symbolic links under `root`, at most `depth` levels
 * down (1: only the root's own entries), with the same ignore rules as
 * `findFiles`. Links are listed, not followed. Sorted by path.
 */
export async function findEntries(root: string, depth: number, signal: AbortSignal, { gitignore = true }: { gitignore?: boolean } = {}): Promise<FoundEntry[]> {
  return walk(root, signal, { gitignore, depth });
}

type Ignore = import('ignore').Ignore;

/**
 * One .gitignore's rules and how to turn a walk path into a path relative to
 * its folder: strip `base` (a folder inside the walk; '' is the root) or,
 * for files above the root, prepend `prefix` (the root as seen from there).
 */
interface Layer {
  base: string;
  prefix?: string;
  rules: Ignore;
}

async function walk(root: string, signal: AbortSignal, options: WalkOptions): Promise<FoundEntry[]> {
  const gitignore = options.gitignore ?? true;
  const depth = options.depth ?? Infinity;
  const load = gitignore ? await ignoreLoader() : undefined;
  const parents = load ? await parentLayers(root, load) : [];
  const out: FoundEntry[] = [];

  const visit = async (dir: string, level: number, layers: Layer[]): Promise<{ subdirs: string[]; layers: Layer[] }> => {
    signal.throwIfAborted();
    const absolute = dir ? path.join(root, dir) : root;
    let dirents: Dirent[];
    try {
      dirents = await readdir(absolute, { withFileTypes: true });
    } catch {
      // Unreadable or vanished folders hold nothing we can report.
      return { subdirs: [], layers };
    }
    let active = layers;
    if (load && dirents.some((d) => d.name === '.gitignore' && !d.isDirectory())) {
      const own = await load(path.join(absolute, '.gitignore'));
      if (own) active = [...layers, { base: dir, rules: own }];
    }
    const subdirs: string[] = [];
    for (const dirent of dirents) {
      if (dirent.name === '.git') continue;
      const rel = dir ? `${dir}/${dirent.name}` : dirent.name;
      const isDir = dirent.isDirectory();
      if (load && isIgnored(active, rel, isDir)) continue;
      const kind = isDir ? 'directory' : dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'symlink' : 'other';
      out.push({ path: rel, kind });
      if (isDir && level < depth && (!options.enter || options.enter(rel))) subdirs.push(rel);
    }
    return { subdirs, layers: active };
  };

  // Breadth-first, a bounded number of folders read at once.
  let frontier: { dir: string; level: number; layers: Layer[] }[] = [{ dir: '', level: 1, layers: parents }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    await mapLimited(frontier, READDIR_CONCURRENCY, async ({ dir, level, layers }) => {
      const found = await visit(dir, level, layers);
      for (const sub of found.subdirs) next.push({ dir: sub, level: level + 1, layers: found.layers });
    });
    frontier = next;
  }
  signal.throwIfAborted();
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}


/**
 * Git's precedence: the deepest .gitignore with an opinion about the path
 * wins, so a nested `!keep.log` re-includes what a parent's `*.log` ignored.
 */
function isIgnored(layers: Layer[], rel: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const local = layer.prefix ? `${layer.prefix}/${rel}` : layer.base ? rel.slice(layer.base.length + 1) : rel;
    // The trailing slash lets directory-only rules (`build/`) match folders.
    const verdict = layer.rules.test(isDir ? `${local}/` : local);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** Reads and parses .gitignore files; undefined when unreadable or empty. */
async function ignoreLoader(): Promise<(file: string) => Promise<Ignore | undefined>> {
  const { default: ignore } = await import('ignore');
  return async (file) => {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text.trim() ? ignore().add(text) : undefined;
  };
}

/**
 * The .gitignore files between the repository root and `root` (exclusive),
 * outermost first, as layers whose paths are prefixed to reach the walk's
 * entries. None when `root` is not in a repository, or when those rules
 * ignore `root` itself (it was asked for on purpose).
 */
async function parentLayers(root: string, load: (file: string) => Promise<Ignore | undefined>): Promise<Layer[]> {
  // Unreadable folders on the way up (permissions) count as having nothing.
  const exists = (file: string) => stat(file).then(() => true, () => false);
  let gitRoot: string | undefined;
  for (let current = root; ; current = path.dirname(current)) {
    if (await exists(path.join(current, '.git'))) {
      gitRoot = current;
      break;
    }
    if (path.dirname(current) === current) return [];
  }
  if (gitRoot === root) return [];
  const found: { prefix: string; rules: Ignore }[] = [];
  for (let current = path.dirname(root); ; current = path.dirname(current)) {
    const rules = await load(path.join(current, '.gitignore'));
    if (rules) found.unshift({ prefix: toPosix(path.relative(current, root)), rules });
    if (current === gitRoot || path.dirname(current) === current) break;
  }
  // Is the root itself ignored? Then it was asked for on purpose: drop these rules.
  for (let i = found.length - 1; i >= 0; i--) {
    const verdict = found[i]!.rules.test(`${found[i]!.prefix}/`);
    if (verdict.ignored) return [];
    if (verdict.unignored) break;
  }
  return found.map(({ prefix, rules }) => ({ base: '', prefix, rules }));
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** `fn` over `items` with at most `limit` running at once. */
async function mapLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
