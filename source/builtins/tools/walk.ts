/**
 * The gitignore-aware file search behind `glob`, `grep` and `tree`, on globby
 * (which handles nested and parent .gitignore files and prunes ignored folders).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { raceAbort } from '../../engine/util/abort.js';

export interface FoundFile {
  /** Relative to the search root, with `/` separators. */
  path: string;
  absolute: string;
  mtimeMs: number;
  size: number;
}

/**
 * Files under `root` matching `pattern`, honouring .gitignore files (those
 * inside `root`, and those above it up to the repository root; unless
 * `gitignore` is false) and never entering `.git`. Dotfiles are included. Symbolic links are left out, as
 * following them could loop.
 *
 * A root that is itself ignored (say `node_modules/x`) was asked for on
 * purpose, so the rules above it are dropped then; .gitignore files inside it
 * still apply. That is also how ripgrep treats a path it is given.
 */
export async function findFiles(
  root: string,
  pattern: string | string[],
  signal: AbortSignal,
  { gitignore = true }: { gitignore?: boolean } = {},
): Promise<FoundFile[]> {
  // globby is loaded on first use so that loading the tool catalog stays cheap.
  const { globby } = await import('globby');
  const walk = { ...baseWalk(root), onlyFiles: true };
  // globby cannot be stopped: on abort, raceAbort settles at once and drops the walk's late result.
  const ignoring = gitignore ? await ignoreOptions(root, signal) : {};
  const entries = await raceAbort(globby(pattern, { ...walk, ...ignoring, stats: true }), signal);
  return entries.map((entry) => ({
    path: entry.path,
    absolute: path.join(root, entry.path),
    mtimeMs: entry.stats?.mtimeMs ?? 0,
    size: entry.stats?.size ?? 0,
  }));
}

export interface FoundEntry {
  /** Relative to the root, with `/` separators. */
  path: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

/**
 * Files, folders and symbolic links under `root`, at most `depth` levels
 * down (1: only the root's own entries), with the same ignore rules as
 * `findFiles`. Links are listed, not followed.
 */
export async function findEntries(root: string, depth: number, signal: AbortSignal, { gitignore = true }: { gitignore?: boolean } = {}): Promise<FoundEntry[]> {
  const { globby } = await import('globby');
  const ignoring = gitignore ? await ignoreOptions(root, signal) : {};
  const entries = await raceAbort(globby('**', { ...baseWalk(root), ...ignoring, onlyFiles: false, deep: depth, objectMode: true }), signal);
  return entries.map((entry) => ({
    path: entry.path,
    kind: entry.dirent.isSymbolicLink() ? 'symlink' : entry.dirent.isDirectory() ? 'directory' : entry.dirent.isFile() ? 'file' : 'other',
  }));
}

function baseWalk(root: string) {
  return {
    cwd: root,
    dot: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    ignore: ['**/.git', '**/.git/**'],
  };
}

/** globby's options for honouring .gitignore files under `root`. */
async function ignoreOptions(root: string, signal: AbortSignal): Promise<{ gitignore: true } | { ignoreFiles: string[] }> {
  if (!(await ignoredByParents(root))) return { gitignore: true };
  // Ignored trees (node_modules, build output) rarely hold .gitignore files.
  // Finding that out is a quick name-only walk, and skips globby's filtering,
  // which costs a stat per file (about 3x the walk on node_modules).
  const { globby, convertPathToPattern } = await import('globby');
  const found = await raceAbort(globby('**/.gitignore', { ...baseWalk(root), onlyFiles: true }), signal);
  return { ignoreFiles: found.map((file) => convertPathToPattern(file)) };
}

/** Whether a .gitignore between the repository root and `dir` ignores `dir` itself. */
async function ignoredByParents(dir: string): Promise<boolean> {
  // Unreadable folders on the way up (permissions) count as having nothing.
  const exists = (file: string) => stat(file).then(() => true, () => false);
  let gitRoot: string | undefined;
  for (let current = dir; ; current = path.dirname(current)) {
    if (await exists(path.join(current, '.git'))) {
      gitRoot = current;
      break;
    }
    if (path.dirname(current) === current) return false;
  }
  if (gitRoot === dir) return false;
  const ignoreFiles: string[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, '.gitignore');
    if (await exists(candidate)) ignoreFiles.push(path.relative(gitRoot, candidate).split(path.sep).join('/'));
    if (current === gitRoot || path.dirname(current) === current) break;
  }
  if (ignoreFiles.length === 0) return false;
  const { isIgnoredByIgnoreFiles, convertPathToPattern } = await import('globby');
  const patterns = ignoreFiles.map((file) => convertPathToPattern(file));
  const isIgnored = await isIgnoredByIgnoreFiles(patterns, { cwd: gitRoot, suppressErrors: true });
  // The trailing separator lets directory-only rules (`node_modules/`) match.
  return isIgnored(`${dir}${path.sep}`);
}
