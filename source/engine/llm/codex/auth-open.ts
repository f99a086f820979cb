/**
 * Opening the browser sign-in link, best effort. The link is always printed
 * too, so nothing depends on this working; it is skipped on headless
 * sessions (CI, SSH, Linux without a display), where a browser would open on
 * the wrong machine or not at all.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Env } from '../../home.js';

/** True when no local browser can be expected. */
export function isHeadless(env: Env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.CI || env.SSH_CONNECTION || env.SSH_CLIENT || env.SSH_TTY) return true;
  if (platform === 'darwin' || platform === 'win32') return false;
  return !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/**
 * The command that opens `url`: `$BROWSER` (first entry of the list, with
 * `%s` replaced or the URL appended), else the platform opener. Undefined
 * when there is none.
 */
export function browserCommand(url: string, env: Env, platform: NodeJS.Platform = process.platform): [string, string[]] | undefined {
  const configured = env.BROWSER?.split(delimiter)[0]?.trim();
  if (configured) {
    const [command, ...args] = configured.split(/\s+/);
    if (!command) return undefined;
    return args.some((a) => a.includes('%s')) ? [command, args.map((a) => a.replaceAll('%s', url))] : [command, [...args, url]];
  }
  if (platform === 'darwin') return ['open', [url]];
  // No shell involved: `start` via cmd would mangle the `&`s of the URL.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return onPath('xdg-open', env) ? ['xdg-open', [url]] : undefined;
}

/** Launch the browser detached and forget it. True when a command was started. */
export function openInBrowser(url: string, env: Env): boolean {
  if (isHeadless(env)) return false;
  const command = browserCommand(url, env);
  if (!command) return false;
  try {
    const child = spawn(command[0], command[1], { stdio: 'ignore', detached: true, env: { ...env } });
    child.on('error', () => {}); // A missing opener only means the user clicks the printed link.
    child.unref();
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: Env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}
