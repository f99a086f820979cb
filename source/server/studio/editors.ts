/**
 * The config editors: validate a creature config or a terrarium recipe with
 * the loader the CLI uses (same zod schemas, same line-numbered errors), and
 * save it only when it is valid. The text is checked as a file beside its
 * target, so relative references (base_config, prompt files) resolve as they
 * will once saved.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ConfigError, loadCreature, loadRecipe, UsageError, type Env } from '../../index.js';

export type EditorKind = 'creature' | 'recipe';
export interface Problem {
  message: string;
  line?: number;
  column?: number;
  key?: string;
}
export interface Validation {
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export function validateConfig(kind: EditorKind, yaml: string, folder: string, env: Env): Validation {
  mkdirSync(folder, { recursive: true });
  const probe = join(folder, `.kt-editor-${randomBytes(6).toString('hex')}.yaml`);
  writeFileSync(probe, yaml, { mode: 0o600 });
  const shown = (text: string) => text.split(probe).join('<config>');
  try {
    if (kind === 'creature') {
      const def = loadCreature(probe, { env, cwd: folder });
      return { valid: true, errors: [], warnings: def.warnings.map((w) => ({ message: shown(w.message), ...(w.line ? { line: w.line } : {}) })) };
    }
    if (!/^\s*(terrarium|creatures)\s*:/m.test(yaml)) {
      return { valid: false, errors: [{ message: 'a recipe needs a top-level terrarium: or creatures: key', line: 1 }], warnings: [] };
    }
    loadRecipe(probe, { env, cwd: folder });
    return { valid: true, errors: [], warnings: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problem: Problem = { message: shown(error.detail) };
    if (error.line) problem.line = error.line;
    if (error.column) problem.column = error.column;
    if (error.keyPath?.length) problem.key = error.keyPath.join('.');
    return { valid: false, errors: [problem], warnings: [] };
  } finally {
    rmSync(probe, { force: true });
  }
}

/** Validate, then write atomically (temp file + rename) under `root`; never outside it. */
export function saveConfig(kind: EditorKind, path: string, yaml: string, root: string, env: Env): { path: string; validation: Validation } {
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel.startsWith('..') || rel === '' || resolve(root, rel) !== target) throw new UsageError(`path '${path}' is outside the workspace`);
  const validation = validateConfig(kind, yaml, dirname(target), env);
  if (!validation.valid) return { path: rel, validation };
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, yaml);
  renameSync(temp, target);
  return { path: rel, validation };
}
