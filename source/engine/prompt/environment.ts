/**
 * The `## Environment` section: where and when the creature runs. Only the
 * date (not the time) is included, so the prompt stays the same all day and
 * provider prompt caches keep hitting.
 */

export interface PromptEnvironment {
  cwd: string;
  platform: string;
  /** YYYY-MM-DD, local time. */
  date: string;
}

export function currentEnvironment(cwd: string, now = new Date(), platform: string = process.platform): PromptEnvironment {
  const pad = (n: number) => String(n).padStart(2, '0');
  return { cwd, platform, date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` };
}

export function environmentSection(environment: PromptEnvironment): string {
  return [
    '## Environment',
    '',
    `- Working directory: ${environment.cwd}`,
    `- Platform: ${environment.platform}`,
    `- Date: ${environment.date}`,
  ].join('\n');
}
