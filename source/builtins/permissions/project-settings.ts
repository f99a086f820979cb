/**
 * `.kt/settings.json`: what a person decided for one project, kept with the
 * project so it holds for every creature run there. Today: permission rules
 *
 *   { "permissions": { "allow": ["bash(git diff:*)"], "deny": ["read(.env)"] } }
 *
 * and how kt gets attention when a long turn ends or an approval waits
 * (`"notifications": { "channel": "auto" | "bell" | "osc9" | "off", "after_seconds": 10 }`). Keys kt
 * does not know are kept as they are when it writes the file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../engine/errors.js';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { parseRule, type PermissionRule, type PermissionRules } from './rules.js';

export const NOTIFY_CHANNELS = ['auto', 'bell', 'osc9', 'off'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

const schema = lazySchema(() => z
  .object({
    permissions: z
      .object({
        allow: z.array(z.string().min(1)).default([]),
        deny: z.array(z.string().min(1)).default([]),
      })
      .loose()
      .optional(),
    notifications: z
      .object({
        channel: z.enum(NOTIFY_CHANNELS).default('auto'),
        after_seconds: z.number().min(0).default(10),
      })
      .strict()
      .optional(),
  })
  .loose());

export type ProjectSettings = z.infer<typeof schema>;

export function projectSettingsPath(projectDir: string): string {
  return join(projectDir, '.kt', 'settings.json');
}

/** The project's settings; `{}` when the file does not exist. Bad JSON or a bad key is a ConfigError naming both. */
export function readProjectSettings(projectDir: string): ProjectSettings {
  const file = projectSettingsPath(projectDir);
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`not valid JSON: ${(error as Error).message}`, { file });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(issue.message, { file, keyPath: issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k)) });
  }
  return parsed.data;
}

/** The allow and deny rules of the project, parsed (a bad rule is a ConfigError naming its key). */
export function projectRules(projectDir: string): PermissionRules {
  const settings = readProjectSettings(projectDir);
  const file = projectSettingsPath(projectDir);
  const parse = (list: 'allow' | 'deny'): PermissionRule[] =>
    (settings.permissions?.[list] ?? []).map((text, i) => parseRule(text, { file, keyPath: ['permissions', list, i] }));
  return { allow: parse('allow'), deny: parse('deny') };
}

/**
 * Add rules to the project's `allow` or `deny` list (once each) and write the
 * file whole through a temporary file, so a crash never leaves half a file.
 * A file that cannot be read is left untouched (the ConfigError says why).
 */
export function addProjectRules(projectDir: string, list: 'allow' | 'deny', rules: readonly string[]): string {
  const file = projectSettingsPath(projectDir);
  for (const rule of rules) parseRule(rule, { file });
  const current = readProjectSettings(projectDir);
  const raw: Record<string, unknown> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const permissions = { allow: [] as string[], deny: [] as string[], ...((raw['permissions'] as object | undefined) ?? {}) };
  const existing = current.permissions?.[list] ?? [];
  permissions[list] = [...existing, ...rules.filter((r) => !existing.includes(r))];
  mkdirSync(join(projectDir, '.kt'), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ ...raw, permissions }, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}
