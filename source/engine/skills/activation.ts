/**
 * Path activation: when the files in the working directory match a skill's
 * `paths` globs, tell the model that skill applies before it starts work.
 *
 * Globs: a pattern without `/` matches a file's name at any depth (`*.pdf`,
 * `todo.md`), like a .gitignore line; a pattern with `/` matches the path
 * relative to the working directory (`src/**\/*.ts`); a leading `./` or `/`
 * just anchors it there. Matching is case-sensitive; `*` does not match a
 * leading dot.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SkillRegistry } from './registry.js';
import { oneLine, type Skill } from './skill.js';
import picomatch from 'picomatch';

export interface ScanLimits {
  /** Folder levels below the working directory to look into; 0 = its own files only. Default 3. */
  maxDepth?: number;
  /** Stop after this many files. Default 500. */
  maxFiles?: number;
}

export interface MatchOptions extends ScanLimits {
  /** The scanner holding the cache; default one shared by the process. */
  scanner?: SkillPathScanner;
  signal?: AbortSignal;
}

export interface SkillMatch {
  skill: Skill;
  /** Up to three of the files that matched, relative to the working directory. */
  files: string[];
}

export interface SkillMatches {
  matches: SkillMatch[];
  /** The "Skill context" note for the model; '' when nothing matched. */
  hint: string;
}

const DEFAULT_DEPTH = 3;
const DEFAULT_FILES = 500;

/**
 * Walks a working directory (respecting .gitignore, never entering .git)
 * and remembers the file list until the folder's modification time changes.
 * That time changes when entries are added to or removed from the folder
 * itself, which is the cheap signal the original uses; files appearing
 * deeper down are picked up once the top folder changes.
 */
export class SkillPathScanner {
  private readonly cache = new Map<string, { mtimeMs: number; files: string[] }>();
  /** How many walks ran (for tests and diagnostics). */
  walks = 0;

  /** Relative paths (with `/`) of up to `maxFiles` files, sorted. Empty when `cwd` is not a folder. */
  async files(cwd: string, limits: ScanLimits = {}, signal?: AbortSignal): Promise<string[]> {
    const maxDepth = Math.max(0, limits.maxDepth ?? DEFAULT_DEPTH);
    const maxFiles = Math.max(0, limits.maxFiles ?? DEFAULT_FILES);
    const info = await stat(cwd).catch(() => undefined);
    if (!info?.isDirectory()) return [];
    const key = `${path.resolve(cwd)}\0${maxDepth}\0${maxFiles}`;
    const cached = this.cache.get(key);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached.files;
    const files = await this.walk(cwd, maxDepth, maxFiles, signal);
    this.cache.set(key, { mtimeMs: info.mtimeMs, files });
    return files;
  }

  clear(): void {
    this.cache.clear();
  }

  private async walk(cwd: string, maxDepth: number, maxFiles: number, signal?: AbortSignal): Promise<string[]> {
    this.walks++;
    if (maxFiles === 0) return [];
    // Loaded on first use, like the file tools do, to keep startup cheap.
    const { globbyStream } = await import('globby');
    const stream = globbyStream('**', {
      cwd,
      // globby counts the folder itself as the first level.
      deep: maxDepth + 1,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      suppressErrors: true,
      gitignore: true,
      ignore: ['**/.git', '**/.git/**'],
    });
    const files: string[] = [];
    for await (const entry of stream) {
      if (signal?.aborted) break;
      files.push(String(entry));
      if (files.length >= maxFiles) break;
    }
    // Leaving the loop early destroys the stream, which stops the walk.
    return files.sort();
  }
}

const sharedScanner = new SkillPathScanner();

/** Whether `file` (relative, `/`-separated) matches one skill glob. */
export function matchesSkillPath(file: string, pattern: string): boolean {
  let glob = pattern.trim();
  if (!glob) return false;
  let anchored = false;
  if (glob.startsWith('./')) {
    glob = glob.slice(2);
    anchored = true;
  } else if (glob.startsWith('/')) {
    glob = glob.slice(1);
    anchored = true;
  }
  anchored ||= glob.includes('/');
  try {
    return picomatch.isMatch(anchored ? file : path.posix.basename(file), glob);
  } catch {
    return false; // a pattern the matcher rejects matches nothing
  }
}

/**
 * The invocable skills whose `paths` match files under `cwd`, and a short
 * note telling the model to use them. Skills without `paths` never match;
 * when none has any, the folder is not walked at all.
 */
export async function matchingSkills(registry: SkillRegistry, cwd: string, options: MatchOptions = {}): Promise<SkillMatches> {
  const candidates = registry.invocable().filter((skill) => skill.paths.length > 0);
  if (candidates.length === 0) return { matches: [], hint: '' };
  const scanner = options.scanner ?? sharedScanner;
  const files = await scanner.files(cwd, options, options.signal);
  const matches: SkillMatch[] = [];
  for (const skill of candidates) {
    const hits = files.filter((file) => skill.paths.some((pattern) => matchesSkillPath(file, pattern)));
    if (hits.length > 0) matches.push({ skill, files: hits.slice(0, 3) });
  }
  return { matches, hint: skillContextHint(matches.map((m) => m.skill)) };
}

/** The note for matched skills; '' for none. */
export function skillContextHint(skills: readonly Skill[]): string {
  if (skills.length === 0) return '';
  const lines = skills.map((skill) => {
    // The description is embedded mid-sentence: drop its closing full stop.
    const description = oneLine(skill.description, 200).replace(/[.。]+$/u, '');
    return `The files here match skill ${skill.name}${description ? `: ${description}` : ''}; use skill ${skill.name} before working on them.`;
  });
  return ['Skill context:', ...lines].join('\n');
}
