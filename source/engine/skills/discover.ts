/**
 * Finding skills on disk.
 *
 * Precedence, lowest first (a later folder's skill replaces an earlier one
 * with the same name):
 *
 *   0. package   the `skills` folders of installed packages (`packageSkillDirs`), in the order given
 *   1. creature  `<creature>/prompts/skills`, `<creature>/skills`
 *   2. user      `~/.agents/skills`, `~/.claude/skills`, `<KT_CONFIG_DIR>/skills`
 *   3. project   `<cwd>/.agents/skills`, `<cwd>/.claude/skills`, `<cwd>/.kt/skills`
 *
 * Why: package skills are a library to pick from (a registry should start
 * them off until the creature names them; see `SkillToggles`). A
 * creature's skills are defaults written by whoever wrote the creature. The
 * user's own folder is their customisation of any creature, so it beats
 * those. The project's skills are the most specific to the work at hand
 * (and shared with the team in the repository), so they win over all.
 * Within a level, the framework's own folder beats the cross-tool
 * conventions (`.claude`, `.agents`), which it reads for compatibility.
 *
 * Within one folder, the folder form (`<name>/SKILL.md`) beats the flat form
 * (`<name>.md`) for the same name; two skills of the same form claiming one
 * name keep the first by file name and warn about the other.
 */
import { type Dirent, existsSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { configHome as defaultConfigHome, type Env } from '../home.js';
import { statOrUndefined } from '../util/fs-probe.js';
import { type LoadResult, loadSkill } from './load.js';
import { compareNames, type Skill, type SkillForm, type SkillScope, type SkillWarning } from './skill.js';

export interface DiscoverOptions {
  /** The working directory; project skills are read from here. */
  cwd: string;
  /** `KT_CONFIG_DIR`; default from `env` (`~/.kohakuterrarium`). */
  configHome?: string;
  /** The creature's folder (holding `config.yaml`), when it has one. */
  creatureFolder?: string;
  /** Used for `HOME` and `KT_CONFIG_DIR`. Default `process.env`. */
  env?: Env;
  /** Skills folders of installed packages; lowest precedence, scope `package`. */
  packageSkillDirs?: readonly string[];
}

export interface SkillRoot {
  dir: string;
  scope: SkillScope;
}

export interface DiscoveredSkills {
  /** Sorted by name. */
  skills: Skill[];
  warnings: SkillWarning[];
}

/** The folders searched, lowest precedence first. A folder reachable twice keeps its higher place only. */
export function skillRoots(options: DiscoverOptions): SkillRoot[] {
  const env = options.env ?? process.env;
  const home = env.HOME?.trim() ? path.resolve(env.HOME) : homedir();
  const config = options.configHome ?? defaultConfigHome(env);
  const cwd = path.resolve(options.cwd);
  const roots: SkillRoot[] = (options.packageSkillDirs ?? []).map((dir) => ({ dir: path.resolve(dir), scope: 'package' as const }));
  if (options.creatureFolder) {
    const creature = path.resolve(options.creatureFolder);
    roots.push({ dir: path.join(creature, 'prompts', 'skills'), scope: 'creature' });
    roots.push({ dir: path.join(creature, 'skills'), scope: 'creature' });
  }
  roots.push({ dir: path.join(home, '.agents', 'skills'), scope: 'user' });
  roots.push({ dir: path.join(home, '.claude', 'skills'), scope: 'user' });
  roots.push({ dir: path.join(path.resolve(config), 'skills'), scope: 'user' });
  roots.push({ dir: path.join(cwd, '.agents', 'skills'), scope: 'project' });
  roots.push({ dir: path.join(cwd, '.claude', 'skills'), scope: 'project' });
  roots.push({ dir: path.join(cwd, '.kt', 'skills'), scope: 'project' });
  // Working in the home folder makes `~/.claude/skills` a project folder too: read it once, at the higher place.
  return roots.filter((root, index) => !roots.slice(index + 1).some((later) => later.dir === root.dir));
}

/** Every skill in the standard folders, later folders replacing earlier ones by name. */
export async function discoverSkills(options: DiscoverOptions): Promise<DiscoveredSkills> {
  return loadSkillRoots(skillRoots(options));
}

/**
 * Load skills from `roots`, given lowest precedence first.
 *
 * The file system is read with synchronous calls: a build reads a handful of
 * small files, and each `fs/promises` call costs a thread-pool round trip
 * (a `readFile` four: open, stat, read, close) and promise bookkeeping that
 * together outweigh the reads themselves.
 */
export async function loadSkillRoots(roots: readonly SkillRoot[]): Promise<DiscoveredSkills> {
  const warnings: SkillWarning[] = [];
  const byName = new Map<string, Skill>();
  // Symbolic links can make two listed folders one; read each real folder once, at its highest place.
  // Most listed folders do not exist: `existsSync` answers that without the error a failed realpath builds.
  const reals = roots.map((root) => realFolder(root.dir));
  for (const [index, root] of roots.entries()) {
    const real = reals[index];
    if (real === undefined || reals.indexOf(real, index + 1) >= 0) continue;
    for (const skill of loadRoot(root, warnings)) {
      const lower = byName.get(skill.name);
      byName.set(skill.name, lower ? { ...skill, shadows: [...lower.shadows, lower.file] } : skill);
    }
  }
  const skills = [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
  return { skills, warnings };
}

/** The folder's real path, or undefined when it cannot be resolved (missing, unreadable). */
function realFolder(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  try {
    return realpathSync.native(dir);
  } catch {
    return undefined;
  }
}

/** The skills of one folder, folder form winning over flat form by name. */
function loadRoot(root: SkillRoot, warnings: SkillWarning[]): Skill[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(root.dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.push({ file: root.dir, message: `cannot read skills folder: ${code ?? String(error)}` });
    return [];
  }
  const candidates: Array<{ file: string; form: SkillForm }> = [];
  for (const entry of entries.sort((a, b) => compareNames(a.name, b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(root.dir, entry.name);
    // Follow symbolic links: linking a skill in from elsewhere is common.
    const kind = entry.isSymbolicLink() ? statOrUndefined(full) : entry;
    if (!kind) continue;
    if (kind.isDirectory()) {
      const file = path.join(full, 'SKILL.md');
      if (statOrUndefined(file)?.isFile()) candidates.push({ file, form: 'folder' });
    } else if (kind.isFile() && entry.name.endsWith('.md') && entry.name !== 'SKILL.md') {
      candidates.push({ file: full, form: 'flat' });
    }
  }
  const loaded: LoadResult[] = candidates.map((c) => loadSkill({ ...c, scope: root.scope }));
  const chosen = new Map<string, Skill>();
  for (const result of loaded) {
    if ('warning' in result) warnings.push(result.warning);
    if (!('skill' in result)) continue;
    const skill = result.skill;
    const other = chosen.get(skill.name);
    if (!other) {
      chosen.set(skill.name, skill);
    } else if (other.form === 'flat' && skill.form === 'folder') {
      chosen.set(skill.name, skill);
    } else if (other.form === skill.form) {
      warnings.push({ file: skill.file, message: `another skill in this folder is already named '${skill.name}' (${other.file}); this one is skipped` });
    }
    // A flat skill meeting a folder skill of the same name loses quietly: that is the documented rule.
  }
  return [...chosen.values()];
}
