/**
 * `kt service install|uninstall|status`: kt as a systemd service — the
 * studio server (--all), a Laboratory host (--host) or a named worker
 * (--client --name <n>). Units are rendered by ../service/units.ts; secrets
 * go to an environment file (0600) under the kt home, never into the unit.
 */
import { chownSync, existsSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configHome, ensurePrivateDir, writePrivateFile } from '../../engine/home.js';
import { UsageError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import { CLIENT_NAME, envFile, renderEnvFile, renderUnit, unitName, type ServiceRole } from '../service/units.js';
import { serviceUser, systemctl, systemdAbsent, unitDir } from '../service/systemd.js';

const HELP = `
Usage
  $ kt service install   --all | --host | --client --name <n>  [options]
  $ kt service uninstall --all | --host | --client --name <n>  [--system]
  $ kt service status    --all | --host | --client --name <n>  [--system]

  --all     the studio server on its own (kohakuterrarium.service)
  --host    a Laboratory host (kohakuterrarium-host.service)
  --client  a Laboratory worker (kohakuterrarium-client@<name>.service)

Options
  --system        A system unit in /etc/systemd/system (run with sudo; the service runs as you)
                  instead of a user unit in ~/.config/systemd/user
  --no-install    Only write the unit file to the current folder
  --listen <addr> Where the server listens (default 127.0.0.1; behind a reverse proxy keep it so)
  --port <n>      Default 8001
  --token         Require the host token (always on for a non-loopback --listen)
  --pwd <dir>     Working folder of started creatures (default <kt home>/workspace)

  Secrets (KT_HOST_TOKEN, KT_NATS_URL, KT_NATS_TOKEN, KT_NATS_CREDS) go to
  <kt home>/service/<unit>.env (mode 0600), filled from your shell where set.
  The service may write only the kt home and its working folder.
`;

const FLAGS = {
  all: { type: 'boolean', default: false },
  host: { type: 'boolean', default: false },
  client: { type: 'boolean', default: false },
  name: { type: 'string' },
  system: { type: 'boolean', default: false },
  install: { type: 'boolean', default: true },
  listen: { type: 'string', default: '127.0.0.1' },
  port: { type: 'number', default: 8001 },
  token: { type: 'boolean', default: false },
  pwd: { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseArgs<typeof FLAGS>>['flags'];

interface Target {
  role: ServiceRole;
  name: string | undefined;
  home: string;
}

function target(flags: Flags, env: NodeJS.ProcessEnv): Target {
  const roles = (['all', 'host', 'client'] as const).filter((r) => flags[r]);
  if (roles.length !== 1) throw new UsageError('kt service: say which service: --all, --host or --client --name <n> (one of them)');
  const role = roles[0]!;
  if (role === 'client' && !flags.name) throw new UsageError('--client needs --name <n>: the worker name (KT_CLIENT_NAME), also the unit instance name');
  if (role !== 'client' && flags.name) throw new UsageError('--name goes with --client only');
  if (flags.name && !CLIENT_NAME.test(flags.name)) throw new UsageError(`--name '${flags.name}': use letters, digits, '.', '_' or '-' (up to 63)`);
  // Under sudo the kt home is the invoking user's, not root's.
  const home = env.KT_CONFIG_DIR?.trim() ? configHome(env) : env.SUDO_USER ? join(serviceUser(env).home, '.kohakuterrarium') : configHome(env);
  return { role, name: flags.name, home };
}

export async function serviceCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  // `kt service --help` has no action: the flags are the whole argv.
  const cli = parseArgs(HELP, action?.startsWith('-') ? argv : rest, FLAGS, `kt service ${action ?? ''}`.trim());
  const env = process.env;
  const t = target(cli.flags, env);
  switch (action) {
    case 'install':
      return install(t, cli.flags, env);
    case 'uninstall':
      return uninstall(t, cli.flags.system);
    case 'status':
      return status(t, cli.flags.system);
    default:
      throw new UsageError(`kt service ${action ?? ''}: say install, uninstall or status (kt service --help)`.replace('  ', ' '));
  }
}

/** Files made as root for another user's service must belong to that user. */
function handOver(path: string, env: NodeJS.ProcessEnv): void {
  if (process.getuid?.() === 0 && env.SUDO_UID && env.SUDO_GID) chownSync(path, Number(env.SUDO_UID), Number(env.SUDO_GID));
}

function install(t: Target, flags: Flags, env: NodeJS.ProcessEnv): number {
  const workspace = resolve(flags.pwd ?? join(t.home, 'workspace'));
  const unit = renderUnit({
    role: t.role,
    node: process.execPath,
    kt: realpathSync(process.argv[1] as string),
    home: t.home,
    workspace,
    system: flags.system,
    user: serviceUser(env).name,
    listen: flags.listen,
    port: flags.port,
    token: flags.token,
  });
  const name = unitName(t.role, t.name);
  const secrets = envFile(t.home, t.role, t.name);
  if (!flags.install) {
    const file = resolve(unit.fileName);
    writeFileSync(file, unit.text, { mode: 0o644 });
    process.stdout.write(`Wrote ${file}\nIts secrets are read from ${secrets} (mode 0600): ${t.role === 'all' ? 'KT_HOST_TOKEN' : 'KT_NATS_URL and KT_NATS_TOKEN or KT_NATS_CREDS'}.\n`);
    return 0;
  }
  const dir = unitDir(flags.system, env);
  ensurePrivateDir(dir);
  const file = join(dir, unit.fileName);
  // A unit file holds no secret; systemd and `systemctl cat` read it.
  writeFileSync(file, unit.text, { mode: 0o644 });
  for (const folder of [t.home, join(t.home, 'service'), workspace]) {
    if (!existsSync(folder)) {
      ensurePrivateDir(folder);
      handOver(folder, env);
    }
  }
  if (!existsSync(secrets)) {
    writePrivateFile(secrets, renderEnvFile(t.role, env));
    handOver(secrets, env);
  }
  process.stdout.write(`Installed ${file}\nSecrets: ${secrets} (mode 0600)\n`);
  const manager = flags.system ? 'systemctl' : 'systemctl --user';
  const absent = systemdAbsent(flags.system);
  if (absent) {
    process.stderr.write(`kt service: ${absent}, so ${name} is installed but NOT enabled or started.\n  Where systemd runs: ${manager} daemon-reload && ${manager} enable --now ${name}\n`);
    return 0;
  }
  const ctl = systemctl(flags.system);
  for (const args of [['daemon-reload'], ['enable', name]]) {
    const result = ctl.run(args);
    if (!result.ok) throw new UsageError(`${manager} ${args.join(' ')} failed: ${result.output}`);
  }
  process.stdout.write(`Enabled ${name}; start it with: ${manager} start ${name}\n`);
  return 0;
}

function uninstall(t: Target, system: boolean): number {
  const name = unitName(t.role, t.name);
  const absent = systemdAbsent(system);
  if (!absent) systemctl(system).run(['disable', '--now', name]);
  else process.stderr.write(`kt service: ${absent}; nothing to stop, removing the files only.\n`);
  const secrets = envFile(t.home, t.role, t.name);
  rmSync(secrets, { force: true });
  const dir = unitDir(system);
  const file = join(dir, renderUnitFileName(t.role));
  // The worker template serves every worker: it goes with the last one.
  const otherWorkers = t.role === 'client' && existsSync(join(t.home, 'service')) && readdirSync(join(t.home, 'service')).some((f) => /^client-.+\.env$/.test(f));
  const removed = existsSync(file) && !otherWorkers;
  if (removed) rmSync(file);
  if (!absent) systemctl(system).run(['daemon-reload']);
  process.stdout.write(`Uninstalled ${name}${removed ? ` (removed ${file})` : otherWorkers ? ' (the worker template stays: other workers use it)' : ''}; removed ${secrets}\n`);
  return 0;
}

function renderUnitFileName(role: ServiceRole): string {
  return role === 'client' ? 'kohakuterrarium-client@.service' : unitName(role);
}

function status(t: Target, system: boolean): number {
  const name = unitName(t.role, t.name);
  const file = join(unitDir(system), renderUnitFileName(t.role));
  const secrets = envFile(t.home, t.role, t.name);
  const installed = existsSync(file);
  process.stdout.write(`${name}: ${installed ? `installed (${file})` : 'not installed'}; secrets ${existsSync(secrets) ? secrets : 'missing'}\n`);
  const absent = systemdAbsent(system);
  if (absent) {
    process.stdout.write(`  state unknown: ${absent}\n`);
    return installed ? 0 : 3;
  }
  const active = systemctl(system).run(['is-active', name]);
  process.stdout.write(`  ${active.output || 'unknown'}\n`);
  return installed && active.ok ? 0 : 3;
}
