/**
 * Temporary folders for the skills tests (removed after each test) and a
 * helper that writes a tree of files.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Skill } from '../../../source/engine/skills/skill.js';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'kt-skills-')));
  made.push(dir);
  return dir;
}

/** Write files (relative path → content) under `root`, creating folders. */
export async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

/** A SKILL.md text with the given frontmatter fields and body. */
export function skillText(fields: Record<string, unknown>, body = 'Do the thing.'): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return `---\n${lines.join('\n')}\n---\n\n${body}\n`;
}

/** A skill record without a file behind it. */
export function makeSkill(name: string, extra: Partial<Skill> = {}): Skill {
  return {
    name,
    description: `about ${name}`,
    paths: [],
    allowedTools: [],
    disableModelInvocation: false,
    body: `Steps for ${name}.`,
    dir: `/skills/${name}`,
    file: `/skills/${name}/SKILL.md`,
    form: 'folder',
    scope: 'project',
    shadows: [],
    ...extra,
  };
}
