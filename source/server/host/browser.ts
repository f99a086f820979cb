/**
 * Opening the dashboard: the system browser, or (kt app) a Chromium-family
 * browser's `--app=` window when one is installed. Failing to open is never
 * an error: the URL is printed anyway.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(names: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function launch(command: string, args: string[]): boolean {
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export function openBrowser(url: string): boolean {
  if (process.platform === 'darwin') return launch('open', [url]);
  if (process.platform === 'win32') return launch('cmd', ['/c', 'start', '', url]);
  const opener = onPath(['xdg-open']);
  return opener ? launch(opener, [url]) : false;
}

const APP_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'brave-browser'];

/** An app-style window (no tabs or address bar) where a Chromium-family browser is found; else the default browser. */
export function openAppWindow(url: string): { how: 'app' | 'browser' | 'none' } {
  const browser = process.platform === 'darwin' && existsSync('/Applications/Google Chrome.app') ? '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' : onPath(APP_BROWSERS);
  if (browser && launch(browser, [`--app=${url}`])) return { how: 'app' };
  return { how: openBrowser(url) ? 'browser' : 'none' };
}
