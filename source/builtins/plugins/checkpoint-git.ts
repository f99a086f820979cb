/**
 * The git plumbing behind the `checkpoint` plugin. Every command runs with a
 * throwaway index file (`GIT_INDEX_FILE`), so the user's index, branch,
 * HEAD and stash are never read for writing or changed: a snapshot is a
 * tree written from a private copy of the index plus a commit object that
 * only a ref under `refs/kt/checkpoints/` points at.
 */
import { copyFile, mkdtemp, rm, stat, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * execa (over a hundred modules) loads the first time a program is run here,
 * not with this file. Only ever awaited here, so a promise of its result stands in for its subprocess.
 */
const execa = (async (...args: unknown[]) => ((await import('execa')).execa as (...a: unknown[]) => unknown)(...args)) as unknown as typeof import('execa').execa;

export interface Snapshot {
  commit: string;
  tree: string;
}

async function git(root: string, args: string[], index?: string, input?: string): Promise<string> {
  const result = await execa('git', args, {
    cwd: root,
    reject: false,
    ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
    stripFinalNewline: true,
    env: index ? { GIT_INDEX_FILE: index } : {},
  });
  if (result.exitCode !== 0) throw new Error(`git ${args[0]} failed: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`);
  return String(result.stdout);
}

/** The top of the work tree holding `cwd`, or undefined outside a repository. */
export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  const result = await execa('git', ['rev-parse', '--show-toplevel'], { cwd, reject: false });
  return result.exitCode === 0 ? String(result.stdout).trim() : undefined;
}

/** Run `work` with a private index that starts as a copy of the user's (so unchanged files are not re-hashed). */
async function withPrivateIndex<T>(root: string, work: (index: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kt-checkpoint-'));
  const index = path.join(dir, 'index');
  try {
    const real = path.resolve(root, await git(root, ['rev-parse', '--git-path', 'index']));
    // Keep the copy's modification time: git treats entries as "racily clean" by comparing
    // them with the index file's own time, and a fresh time would let a same-size edit
    // made in the same tick as the last `git add` look unchanged.
    await copyFile(real, index)
      .then(async () => {
        const { atime, mtime } = await stat(real);
        await utimes(index, atime, mtime);
      })
      .catch(() => undefined);
    return await work(index);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The tree of the work tree as it is now: tracked and untracked files, minus what .gitignore ignores. */
export async function workTreeTree(root: string): Promise<string> {
  return withPrivateIndex(root, async (index) => {
    await git(root, ['add', '--all', '--', '.'], index);
    return git(root, ['write-tree'], index);
  });
}

/** The newest snapshot under `ref`, or undefined when there is none. */
export async function latest(root: string, ref: string): Promise<Snapshot | undefined> {
  const result = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, reject: false });
  if (result.exitCode !== 0) return undefined;
  const commit = String(result.stdout).trim();
  return { commit, tree: await git(root, ['rev-parse', `${commit}^{tree}`]) };
}

/** Record the work tree under `ref` (the previous snapshot as parent); nothing when it equals the newest one. */
export async function snapshot(root: string, ref: string, message: string): Promise<Snapshot | undefined> {
  const tree = await workTreeTree(root);
  const previous = await latest(root, ref);
  if (previous?.tree === tree) return undefined;
  const commit = await git(root, ['commit-tree', tree, ...(previous ? ['-p', previous.commit] : []), '-m', message]);
  await git(root, ['update-ref', '-m', message, ref, commit, ...(previous ? [previous.commit] : [])]);
  return { commit, tree };
}

/**
 * Put the work tree back as the newest snapshot recorded it and drop that
 * snapshot: files it held are rewritten, files made since are removed
 * (ignored files are never touched). Returns the paths changed.
 */
export async function restoreLatest(root: string, ref: string): Promise<{ snapshot: Snapshot; restored: string[]; removed: string[] } | undefined> {
  const top = await latest(root, ref);
  if (!top) return undefined;
  const now = await workTreeTree(root);
  const diff = (filter: string) => git(root, ['diff-tree', '-r', '-z', '--name-only', '--no-renames', `--diff-filter=${filter}`, top.tree, now]).then((out) => out.split('\0').filter(Boolean));
  const added = await diff('A');
  const restored = await diff('DMT');
  await withPrivateIndex(root, async (index) => {
    await git(root, ['read-tree', top.tree], index);
    // Paths on stdin, NUL-separated: any number of files, any characters in their names.
    if (restored.length) await git(root, ['checkout-index', '--force', '--stdin', '-z'], index, restored.map((f) => `${f}\0`).join(''));
  });
  for (const file of added) await unlink(path.join(root, file)).catch(() => undefined);
  const parent = await execa('git', ['rev-parse', '--verify', '--quiet', `${top.commit}^`], { cwd: root, reject: false });
  if (parent.exitCode === 0) await git(root, ['update-ref', ref, String(parent.stdout).trim(), top.commit]);
  else await git(root, ['update-ref', '-d', ref, top.commit]);
  return { snapshot: top, restored, removed: added };
}
