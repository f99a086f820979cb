/**
 * The file tools' boundary: a creature works inside its working directory and
 * the folders it was given (`allowed_paths` in its config, `kt run --add-dir`).
 * Paths are compared after resolving symbolic links, so a link inside the
 * working directory that points elsewhere does not open a way out.
 *
 * `bash` is not guarded: a shell can reach anything the process can.
 */
import type { Stats } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../../engine/errors.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { closeMatch, describeFsError, displayPath, errorCode, resolvePath, statIfExists } from './fs-util.js';

/** Symbolic links followed before giving up (the kernel's own limit is 40). */
const MAX_LINKS = 40;

/**
 * Where `absolute` really leads: symbolic links in the part that exists are
 * resolved (a dangling link resolves to where it points, since writing
 * through it would create that file), and the part that does not exist yet
 * is appended unchanged.
 */
export async function realTarget(absolute: string): Promise<string> {
  return resolveReal(path.resolve(absolute), 0);
}

async function resolveReal(absolute: string, links: number): Promise<string> {
  try {
    return await realpath(absolute);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES' && code !== 'ELOOP') throw error;
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return absolute;
  const stats = await lstat(absolute).catch(() => undefined);
  if (stats?.isSymbolicLink() && links < MAX_LINKS) {
    const target = await readlink(absolute).catch(() => undefined);
    if (target !== undefined) return resolveReal(path.resolve(parent, target), links + 1);
  }
  return path.join(await resolveReal(parent, links), path.basename(absolute));
}

/** Whether `candidate` is `root` or lies below it. Both absolute. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The working directory and allowed folders, symbolic links resolved. */
async function roots(ctx: Pick<ToolContext, 'cwd' | 'allowedPaths'>): Promise<string[]> {
  const all = [ctx.cwd, ...ctx.allowedPaths].map((root) => path.resolve(ctx.cwd, root));
  return Promise.all(all.map((root) => realTarget(root).catch(() => root)));
}

/** The refusal, or undefined when `absolute` may be used. */
export async function checkPath(ctx: Pick<ToolContext, 'cwd' | 'allowedPaths'>, absolute: string, shown: string): Promise<string | undefined> {
  const real = await realTarget(absolute).catch(() => path.resolve(absolute));
  const allowed = await roots(ctx);
  if (allowed.some((root) => isInside(root, real))) return undefined;
  const lexical = path.resolve(absolute);
  const given = [ctx.cwd, ...ctx.allowedPaths].map((root) => path.resolve(ctx.cwd, root));
  const linked = real !== lexical && [...given, ...allowed].some((root) => isInside(root, lexical));
  const through = linked ? ` (a symbolic link leads to ${real})` : '';
  const extra = ctx.allowedPaths.slice(0, 5).join(', ') + (ctx.allowedPaths.length > 5 ? ', …' : '');
  const where = `outside the working directory (${ctx.cwd})${extra ? ` and the allowed paths (${extra})` : ''}`;
  return `access denied: ${shown}${through} is ${where}. To allow it, add its folder to allowed_paths in the creature config, or start with kt run --add-dir <dir>.`;
}

/** Throw the refusal as a tool error when `absolute` is out of bounds. */
export async function guardPath(ctx: Pick<ToolContext, 'cwd' | 'allowedPaths'>, absolute: string, shown: string, tool: string): Promise<void> {
  const refusal = await checkPath(ctx, absolute, shown);
  if (refusal) throw new ToolError(refusal, { tool });
}

/** "directory not found: x", with a close sibling's name when there is one. */
export async function notFound(ctx: Pick<ToolContext, 'cwd'>, what: string, absolute: string, shown: string): Promise<string> {
  const near = await closeMatch(absolute);
  return `${what} not found: ${shown}.${near ? ` Did you mean ${displayPath(ctx.cwd, near)}?` : ''}`;
}

export interface Located {
  absolute: string;
  /** The path as the model should see it (relative to cwd when inside it). */
  shown: string;
}

/** Resolve the model's path and refuse it when it is out of bounds. */
export async function locate(ctx: Pick<ToolContext, 'cwd' | 'allowedPaths'>, input: string, tool: string): Promise<Located> {
  const absolute = resolvePath(ctx.cwd, input);
  const shown = displayPath(ctx.cwd, absolute);
  await guardPath(ctx, absolute, shown, tool);
  return { absolute, shown };
}

/**
 * An existing regular file the tool may use, with its stats. Missing files
 * get a "did you mean" hint; `missing` adds a sentence to that refusal.
 */
export async function locateFile(
  ctx: Pick<ToolContext, 'cwd' | 'allowedPaths'>,
  input: string,
  tool: string,
  missing = '',
): Promise<Located & { stats: Stats }> {
  const { absolute, shown } = await locate(ctx, input, tool);
  const stats = await statIfExists(absolute).catch((error: unknown) => {
    throw new ToolError(describeFsError(error, shown), { tool });
  });
  if (!stats) throw new ToolError(`${await notFound(ctx, 'file', absolute, shown)}${missing ? ` ${missing}` : ''}`, { tool });
  if (stats.isDirectory()) throw new ToolError(`${shown} is a directory, not a file.`, { tool });
  // FIFOs and devices would block or never end.
  if (!stats.isFile()) throw new ToolError(`${shown} is not a regular file.`, { tool });
  return { absolute, shown, stats };
}
