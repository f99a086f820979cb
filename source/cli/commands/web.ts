/**
 * `kt web`: the studio server and dashboard in the foreground; `kt app`: the
 * same in an app-style browser window. The server is imported only when the
 * command runs, so `kt --help` stays light.
 */
import { parseArgs } from '../args.js';
import { SERVER_FLAGS } from '../server-flags.js';

const FLAGS = {
  ...SERVER_FLAGS,
  open: { type: 'boolean', default: true },
} as const;

const AUTH_HELP = `
  --host <addr>    Address to listen on (KT_HOST; default 127.0.0.1)
  --port <n>       Port (KT_PORT; default 8001; 0 picks a free one)
  --token          Require the host token (KT_HOST_TOKEN, else kt admin token rotate's)
  --password       Sign in with the admin password (kt admin password)
  --users          User accounts with roles (kt admin user add)
  --insecure       Allow a non-loopback --host with auth off
  --pwd <dir>      Working folder for creatures started from the dashboard (default: here)
  --no-open        Do not open a browser`;

const WEB_HELP = `
Usage
  $ kt web [options]

  Serves the studio API and dashboard until Ctrl-C, and opens it in the browser.
  With auth on, the printed URL signs this browser in once.
${AUTH_HELP}
`;

const APP_HELP = `
Usage
  $ kt app [options]

  kt web in an app-style window (a Chromium-family browser's --app mode when
  one is installed, else the default browser).
${AUTH_HELP}
`;

async function serveAndOpen(argv: string[], help: string, name: string, opener: 'browser' | 'app'): Promise<number> {
  const cli = parseArgs(help, argv, FLAGS, name);
  const { runServer } = await import('../../server/host/run.js');
  const server = await runServer(cli.flags);
  const link = server.auth.enabled ? `${server.url}/api/auth/once?code=${server.auth.oneTimeCode()}` : server.url;
  process.stdout.write(`kt studio on ${server.url}${server.auth.enabled ? ` (auth: ${server.auth.mode})\nSign in once with: ${link}` : ''}\nCtrl-C stops it.\n`);
  if (cli.flags.open) {
    const { openAppWindow, openBrowser } = await import('../../server/host/browser.js');
    if (opener === 'app') openAppWindow(link);
    else openBrowser(link);
  }
  // Runs until a signal; runServer exits the process after a graceful stop.
  await new Promise<never>(() => {});
  return 0;
}

export function webCommand(argv: string[]): Promise<number> {
  return serveAndOpen(argv, WEB_HELP, 'kt web', 'browser');
}

export function appCommand(argv: string[]): Promise<number> {
  return serveAndOpen(argv, APP_HELP, 'kt app', 'app');
}
