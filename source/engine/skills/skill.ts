/**
 * What a skill is once loaded: its frontmatter fields, its instructions, and
 * where it lives on disk (the body may point at the `scripts/`,
 * `references/` and `assets/` beside it).
 */

/** Where a skill was found; decides which copy wins when two share a name. */
export type SkillScope = 'package' | 'creature' | 'user' | 'project';

/** `folder`: `<name>/SKILL.md`; `flat`: `<name>.md` directly in a skills folder. */
export type SkillForm = 'folder' | 'flat';

export interface Skill {
  /** Unique within a registry; from frontmatter `name`, else the folder or file stem. */
  readonly name: string;
  /** When to use the skill; one line in the prompt's index. Empty when not given. */
  readonly description: string;
  readonly license?: string;
  /** Globs of files that make the skill relevant (path activation). */
  readonly paths: readonly string[];
  /** Tools the skill expects to use (`allowed-tools`), as written. */
  readonly allowedTools: readonly string[];
  /** Only the user may invoke it: hidden from the model's index and the `skill` tool. */
  readonly disableModelInvocation: boolean;
  /** The instructions: the markdown after the frontmatter, trimmed. */
  readonly body: string;
  /** The skill's folder (folder form) or the skills folder holding the file (flat form). */
  readonly dir: string;
  /** The `SKILL.md` or `<name>.md` file. */
  readonly file: string;
  readonly form: SkillForm;
  readonly scope: SkillScope;
  /** Files of lower-precedence skills with the same name that this one replaced. */
  readonly shadows: readonly string[];
}

/** A skill that could not be loaded, or a clash worth knowing about. Never fatal. */
export interface SkillWarning {
  readonly file: string;
  /** 1-based line in `file`, when the problem has one. */
  readonly line?: number;
  readonly message: string;
}

/** `file:line: message`, the way compilers print it. */
export function formatSkillWarning(warning: SkillWarning): string {
  return `${warning.file}${warning.line !== undefined ? `:${warning.line}` : ''}: ${warning.message}`;
}

/**
 * Compare by UTF-16 code units. Unlike `localeCompare`, this does not depend
 * on the machine's locale, so every ordering built on it is the same
 * everywhere (prompt caches depend on that).
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Names are what the model and the user type (`skill` tool, `/<name>`):
 * any letters or digits (any script), plus `.`, `_`, `:` and `-` after the
 * first character. No spaces or path separators.
 */
export const SKILL_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}._:-]{0,127}$/u;

/** The ASCII names SKILL_NAME allows: ASCII letters and digits are `\p{L}` and `\p{N}`. */
const ASCII_SKILL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Whether `name` is a valid skill name (SKILL_NAME). Plain ASCII names are
 * checked without SKILL_NAME: V8 compiles a regular expression with Unicode
 * property classes on its first use, and again to machine code on its
 * second, about 4 ms of every first build that has skills.
 */
export function isSkillName(name: string): boolean {
  return ASCII_SKILL_NAME.test(name) || SKILL_NAME.test(name);
}

/** Collapse a description to one line for listings. */
export function oneLine(text: string, maxChars = Number.POSITIVE_INFINITY): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('').trimEnd()}…` : flat;
}

/**
 * The text the model gets when it loads a skill: a header naming the skill
 * and where its files are, then the instructions.
 */
export function renderSkillForModel(skill: Skill): string {
  const where =
    skill.form === 'folder'
      ? `Skill folder: ${skill.dir} (relative paths in these instructions, such as scripts/, references/ and assets/, are inside it)`
      : `Skill file: ${skill.file}`;
  const body = skill.body || '(This skill has no instructions.)';
  return `# Skill: ${skill.name}\n\n${where}\n\n${body}`;
}
