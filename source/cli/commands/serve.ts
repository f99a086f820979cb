/**
 * `kt serve start|stop|restart|status|logs`: the studio server as a
 * background process, with its pid, state and rotated log under
 * `<config home>/run/`. `kt serve run` is that process itself (foreground).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import { SERVER_FLAGS } from '../server-flags.js';

const HELP = `
Usage
  $ kt serve start [options]   Start the server in the background
  $ kt serve stop              Stop it (running turns get --grace seconds, then are saved)
  $ kt serve restart [options]
  $ kt serve status            Is it running, where, since when
  $ kt serve logs [-n <lines>] The end of its log (<config home>/run/server.log, rotated)
  $ kt serve run [options]     Run it in the foreground (what start runs)

Options
  --host <addr>    KT_HOST; default 127.0.0.1
  --port <n>       KT_PORT; default 8001
  --token | --password | --users   Auth layers (see kt web --help)
  --insecure       Allow a non-loopback --host with auth off
  --pwd <dir>      Working folder for started creatures
  --grace <s>      Seconds running turns get on stop (default 10)
  --mode lab-host  Also host a Laboratory: place creatures on kt lab-client workers over NATS
                   (--nats, --nats-token, --nats-creds, --lab; see kt lab --help)
`;

const FLAGS = {
  ...SERVER_FLAGS,
  grace: { type: 'number' },
  mode: { type: 'string' },
  nats: { type: 'string' },
  natsToken: { type: 'string' },
  natsCreds: { type: 'string' },
  lab: { type: 'string' },
  lines: { type: 'number', shortFlag: 'n', default: 50 },
} as const;

/** The flags `start` hands on to `run`. */
function passOn(argv: string[]): string[] {
  return argv.filter((a, i) => !(a === '-n' || a.startsWith('--lines') || argv[i - 1] === '-n'));
}

export async function serveCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  // `kt serve --help` has no action: the flags are the whole argv.
  const cli = parseArgs(HELP, action?.startsWith('-') ? argv : rest, FLAGS, `kt serve ${action ?? ''}`.trim());
  const daemon = await import('../../server/host/daemon.js');
  switch (action) {
    case 'run': {
      if (cli.flags.mode !== undefined && cli.flags.mode !== 'lab-host') throw new UsageError(`--mode takes lab-host (got '${cli.flags.mode}')`);
      // The lab first: a lab that cannot start (no credentials, no NATS) stops the server before it listens.
      const lab = cli.flags.mode === 'lab-host' ? await startLab(cli.flags) : undefined;
      const { runServer } = await import('../../server/host/run.js');
      const { RotatingLog } = await import('../../server/host/rotating-log.js');
      const files = daemon.files();
      mkdirSync(files.dir, { recursive: true, mode: 0o700 });
      const detached = process.env.KT_SERVE_DAEMON === '1';
      const { mode: _mode, nats: _nats, natsToken: _t, natsCreds: _c, lab: _lab, ...serverFlags } = cli.flags;
      const server = await runServer({ ...serverFlags }, { ...(detached ? { logTo: new RotatingLog(files.log) } : {}), ...(lab ? { lab } : {}), onStop: () => detached && daemon.clearDaemon() });
      if (detached) {
        daemon.writePid(process.pid);
        daemon.writeState({ pid: process.pid, url: server.url, startedAt: Date.now(), auth: server.auth.mode });
      }
      // The daemon's stdout is its log: JSON lines only there.
      else process.stdout.write(`kt studio on ${server.url}${lab ? ` (lab host of '${lab.options.lab}')` : ''}\n`);
      await new Promise<never>(() => {});
      return 0;
    }
    case 'start':
      return start(rest, daemon);
    case 'stop':
      return (await stop(daemon, cli.flags.grace)) ? 0 : 1;
    case 'restart':
      await stop(daemon, cli.flags.grace);
      return start(rest, daemon);
    case 'status': {
      const pid = daemon.daemonPid();
      const state = daemon.readState();
      if (!pid || !state) {
        process.stdout.write('kt serve: not running\n');
        return 3;
      }
      const healthy = await fetch(`${state.url}/healthz`).then((r) => r.ok, () => false);
      process.stdout.write(`kt serve: running (pid ${pid}) on ${state.url}, auth ${state.auth}, since ${new Date(state.startedAt).toISOString()}${healthy ? '' : ' — NOT answering /healthz'}\n`);
      return healthy ? 0 : 1;
    }
    case 'logs': {
      const file = daemon.files().log;
      if (!existsSync(file)) throw new UsageError(`no server log yet (${file})`);
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      process.stdout.write(`${lines.slice(-cli.flags.lines).join('\n')}\n`);
      return 0;
    }
    default:
      throw new UsageError(`kt serve ${action ?? ''}: say start, stop, restart, status, logs or run (kt serve --help)`.replace('  ', ' '));
  }
}

async function startLab(flags: { nats?: string | undefined; natsToken?: string | undefined; natsCreds?: string | undefined; lab?: string | undefined; insecure?: boolean | undefined; pwd?: string | undefined }) {
  const { connection, startLabHost } = await import('./lab.js');
  return startLabHost(await connection(flags), { pwd: flags.pwd });
}

async function start(argv: string[], daemon: typeof import('../../server/host/daemon.js')): Promise<number> {
  const running = daemon.daemonPid();
  if (running) throw new UsageError(`kt serve is already running (pid ${running}); kt serve restart restarts it`);
  const files = daemon.files();
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  const out = openSync(files.log, 'a', 0o600);
  const entry = process.argv[1] as string;
  const child = spawn(process.execPath, [...process.execArgv, entry, 'serve', 'run', ...passOn(argv)], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, KT_SERVE_DAEMON: '1' },
  });
  child.unref();
  // Ready when the state file names this child (it writes it once listening), or failed when it exits first.
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let i = 0; i < 600; i++) {
    const state = daemon.readState();
    if (state && state.pid === child.pid) {
      process.stdout.write(`kt serve: started (pid ${state.pid}) on ${state.url}\n`);
      return 0;
    }
    if (exited !== undefined) break;
    await delay(50);
  }
  const tail = existsSync(files.log) ? readFileSync(files.log, 'utf8').split('\n').filter(Boolean).slice(-5).join('\n') : '';
  throw new UsageError(`kt serve did not start${exited !== undefined ? ` (exit ${exited})` : ''}; the log says:\n${tail}`);
}

async function stop(daemon: typeof import('../../server/host/daemon.js'), grace = 10): Promise<boolean> {
  const pid = daemon.daemonPid();
  if (!pid) {
    process.stdout.write('kt serve: not running\n');
    return false;
  }
  process.kill(pid, 'SIGTERM');
  // Turns get `grace` seconds; after twice that, the process is killed.
  const deadline = Date.now() + (grace * 2 + 5) * 1000;
  while (daemon.isAlive(pid) && Date.now() < deadline) await delay(50);
  if (daemon.isAlive(pid)) process.kill(pid, 'SIGKILL');
  daemon.clearDaemon();
  process.stdout.write(`kt serve: stopped (pid ${pid})\n`);
  return true;
}
