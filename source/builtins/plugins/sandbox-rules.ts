/**
 * The sandbox's checks, apart from the plugin's wiring: which files a call
 * would change, whether they stay inside the workspace, and which
 * environment variables a command keeps.
 */
import path from 'node:path';
import { resolvePath } from '../tools/fs-util.js';
import { isInside, realTarget } from '../tools/path-guard.js';

/** Argument names that hold the file a tool changes (the built-in edit tools use `path`). */
const PATH_KEYS = ['path', 'file_path', 'filepath', 'notebook_path', 'target', 'destination'];
/** Argument names that hold several of them. */
const PATHS_KEYS = ['paths', 'files'];

/** The file arguments of a call, as given; empty when none is recognised. */
export function targetPaths(args: unknown): string[] {
  if (typeof args !== 'object' || args === null) return [];
  const record = args as Record<string, unknown>;
  const out: string[] = [];
  for (const key of PATH_KEYS) if (typeof record[key] === 'string' && record[key] !== '') out.push(record[key]);
  for (const key of PATHS_KEYS) {
    const list = record[key];
    if (Array.isArray(list)) for (const item of list) if (typeof item === 'string' && item !== '') out.push(item);
  }
  return out;
}

/**
 * The first target outside `workspace` (already resolved), with where it
 * really leads; undefined when all stay inside. Symbolic links are followed,
 * so a link in the workspace that points out of it counts as outside.
 */
export async function firstOutside(workspace: string, cwd: string, targets: readonly string[]): Promise<{ given: string; absolute: string; real: string } | undefined> {
  for (const given of targets) {
    const absolute = resolvePath(cwd, given);
    const real = await realTarget(absolute).catch(() => path.resolve(absolute));
    if (!isInside(workspace, real)) return { given, absolute, real };
  }
  return undefined;
}

/** What any program needs to run sensibly: where programs are, who and where the user is, language and terminal. */
const KEEP = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TERM', 'TMPDIR', 'TMP', 'TEMP', 'TZ']);
/** Windows cannot start much without these. */
const KEEP_WINDOWS = new Set(['SYSTEMROOT', 'WINDIR', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES']);

/** The allow-listed part of `env`: the basics, every `LC_*`, and the names in `extra`. */
export function filteredEnv(env: Readonly<Record<string, string>>, extra: readonly string[]): Record<string, string> {
  const windows = process.platform === 'win32';
  const also = new Set(extra.map((name) => (windows ? name.toUpperCase() : name)));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const key = windows ? name.toUpperCase() : name;
    if (KEEP.has(key) || key.startsWith('LC_') || also.has(key) || (windows && KEEP_WINDOWS.has(key))) out[name] = value;
  }
  return out;
}
