/**
 * One skill file → a `Skill`, or a warning saying why not. Field types are
 * checked here; a wrong type is malformed frontmatter like a YAML error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FrontmatterError, parseFrontmatter } from './frontmatter.js';
import { isSkillName, type Skill, type SkillForm, type SkillScope, type SkillWarning } from './skill.js';

export interface SkillFile {
  file: string;
  form: SkillForm;
  scope: SkillScope;
}

export type LoadResult = { skill: Skill } | { warning: SkillWarning } | { ignored: true };

class FieldError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** Read and parse one skill file (synchronously: see discover.ts). */
export function loadSkill({ file, form, scope }: SkillFile): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { warning: { file, message: `cannot read skill: ${(error as NodeJS.ErrnoException).code ?? String(error)}` } };
  }
  return parseSkill(text, { file, form, scope });
}

/** Parse a skill's text (exported for tests and for skills that do not live in files). */
export function parseSkill(text: string, { file, form, scope }: SkillFile): LoadResult {
  let front;
  try {
    front = parseFrontmatter(text);
  } catch (error) {
    if (error instanceof FrontmatterError) return { warning: { file, line: error.line, message: `${error.message}; skill skipped` } };
    throw error;
  }
  // A flat `.md` without frontmatter is a plain document (a README, notes), not a skill.
  if (!front.present && form === 'flat') return { ignored: true };

  const data = front.data;
  const stem = form === 'folder' ? path.basename(path.dirname(file)) : path.basename(file, path.extname(file));
  try {
    const name = optionalText(data, 'name') ?? stem;
    if (!isSkillName(name)) {
      throw new FieldError('name', `invalid skill name '${name}': use letters, digits, '.', '_', ':' or '-', no spaces`);
    }
    const license = optionalText(data, 'license');
    const skill: Skill = {
      name,
      description: optionalText(data, 'description') ?? '',
      ...(license !== undefined ? { license } : {}),
      paths: textList(data, 'paths', splitNothing),
      allowedTools: textList(data, pick(data, 'allowed-tools', 'allowed_tools'), splitToolList),
      disableModelInvocation: flag(data, pick(data, 'disable-model-invocation', 'disable_model_invocation')),
      body: front.body,
      dir: path.dirname(file),
      file,
      form,
      scope,
      shadows: [],
    };
    return { skill };
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const line = front.keyLines[error.key];
    return { warning: { file, ...(line !== undefined ? { line } : {}), message: `${error.message}; skill skipped` } };
  }
}

/** The key spelled with dashes (the documented form) or underscores. */
function pick(data: Record<string, unknown>, dashed: string, underscored: string): string {
  return data[dashed] === undefined && data[underscored] !== undefined ? underscored : dashed;
}

function optionalText(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  // `name: 2048` is a number to YAML but clearly meant as text.
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new FieldError(key, `'${key}' must be text`);
  return value.trim();
}

function textList(data: Record<string, unknown>, key: string, split: (text: string) => string[]): string[] {
  const value = data[key];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return split(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((item) => item.trim()).filter(Boolean);
  }
  throw new FieldError(key, `'${key}' must be text or a list of text`);
}

function flag(data: Record<string, unknown>, key: string): boolean {
  const value = data[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new FieldError(key, `'${key}' must be true or false`);
  return value;
}

/** A single glob stays whole: commas may be part of it (`*.{ts,js}`). */
function splitNothing(text: string): string[] {
  const trimmed = text.trim();
  return trimmed ? [trimmed] : [];
}

/**
 * `Read, Grep` or `Bash(git add:*) Read`: commas or spaces separate tools,
 * except inside parentheses.
 */
export function splitToolList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (char === ',' || /\s/.test(char))) {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
