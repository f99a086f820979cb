/**
 * Looking at paths that are usually missing (skill folders, instruction
 * files, packages homes) without exceptions: `statSync` with
 * `throwIfNoEntry: false` answers a missing path with undefined, which costs
 * less than building and catching an ENOENT error.
 */
import { statSync, type Stats } from 'node:fs';

/** The path's `stat` (links followed), or undefined when it is missing or cannot be read (a dangling link, no permission). */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether `path` is a folder (a link to one counts). */
export function isDirectory(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() ?? false;
}
