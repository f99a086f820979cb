/**
 * The effective system prompt: the creature's base prompt followed by the
 * environment it runs in. Deterministic for a given day and folder, so
 * provider prompt caches keep hitting.
 */

export interface PromptEnvironment {
  cwd: string;
  platform: string;
  /** YYYY-MM-DD */
  date: string;
}

export function currentEnvironment(cwd: string, now = new Date()): PromptEnvironment {
  const pad = (n: number) => String(n).padStart(2, '0');
  return { cwd, platform: process.platform, date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` };
}

export function composeSystemPrompt(base: string, environment: PromptEnvironment): string {
  const env = [
    '## Environment',
    `- Working directory: ${environment.cwd}`,
    `- Platform: ${environment.platform}`,
    `- Date: ${environment.date}`,
  ].join('\n');
  return `${base.trim()}\n\n${env}`;
}
