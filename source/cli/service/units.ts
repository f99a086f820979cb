/**
 * The systemd units `kt service` writes: one per role (the studio server on
 * its own, a Laboratory host, a Laboratory worker as a template instance per
 * name). Pure text from options, so tests can render and verify them without
 * installing anything.
 *
 * Secrets (host token, NATS token or credentials) never appear in a unit: a
 * unit file is world-readable and shows up in `systemctl cat`. They live in
 * an EnvironmentFile (mode 0600) under the kt home.
 */
import { join } from 'node:path';
import { UsageError } from '../../engine/errors.js';

export type ServiceRole = 'all' | 'host' | 'client';

export interface UnitOptions {
  role: ServiceRole;
  /** Absolute path of the node binary that runs kt. */
  node: string;
  /** Absolute path of kt's entry (dist/kt.js). */
  kt: string;
  /** The kt home (KT_CONFIG_DIR): the only place besides the workspace the service may write. */
  home: string;
  /** Working folder of started creatures (--pwd). */
  workspace: string;
  /** A system unit (/etc/systemd/system) runs as `user`; a user unit runs as its owner already. */
  system: boolean;
  user?: string | undefined;
  /** Where the server listens (all, host). */
  listen: string;
  port: number;
  /** Require the host token; always on when `listen` is not loopback (the server refuses otherwise). */
  token: boolean;
}

export interface RenderedUnit {
  /** The file's name: `kohakuterrarium-client@.service` for the worker template. */
  fileName: string;
  /** What the manual says in the unit's Description. */
  description: string;
  text: string;
}

export const UNIT_FILE: Record<ServiceRole, string> = {
  all: 'kohakuterrarium.service',
  host: 'kohakuterrarium-host.service',
  client: 'kohakuterrarium-client@.service',
};

/** The unit `systemctl` is given: a worker is an instance of the template, named after it. */
export function unitName(role: ServiceRole, clientName?: string): string {
  return role === 'client' ? `kohakuterrarium-client@${clientName}.service` : UNIT_FILE[role];
}

/** The environment file of a role, under `<kt home>/service/` (a worker's is per name: `%i` in the template). */
export function envFile(home: string, role: ServiceRole, clientName = '%i'): string {
  return join(home, 'service', role === 'client' ? `client-${clientName}.env` : `${role === 'all' ? 'kohakuterrarium' : 'host'}.env`);
}

/** The keys each role's environment file holds; values come from there, never from the unit. */
export const ENV_KEYS: Record<ServiceRole, string[]> = {
  all: ['KT_HOST_TOKEN'],
  host: ['KT_HOST_TOKEN', 'KT_NATS_URL', 'KT_NATS_TOKEN', 'KT_NATS_CREDS'],
  client: ['KT_NATS_URL', 'KT_NATS_TOKEN', 'KT_NATS_CREDS'],
};

/** Worker names become unit instance names and file names: keep them to what needs no escaping. */
export const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * One ExecStart argument. systemd splits on spaces and reads quotes, `\`,
 * `%` (specifiers) and `$` (variables) itself; a path is taken literally.
 */
export function quoteArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /[\s"'\\;]/.test(escaped) ? `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : escaped;
}

/**
 * A path in a path setting (WorkingDirectory=, ReadWritePaths=, EnvironmentFile=):
 * `%` is a specifier there. Those settings read quotes differently from one
 * another, so paths with blanks are refused up front instead (see checkPath).
 */
function quotePath(path: string): string {
  return path.replace(/%/g, '%%');
}

/** A folder the unit names must be absolute and free of blanks and quotes. */
export function checkPath(path: string, what: string): void {
  if (!path.startsWith('/') || /[\s"'\\]/.test(path)) {
    throw new UsageError(`${what} '${path}' cannot go into a systemd unit: give an absolute path without spaces, quotes or backslashes`);
  }
}

function command(options: UnitOptions): string[] {
  const serve = ['serve', 'run', '--host', options.listen, '--port', String(options.port), ...(options.token || !isLoopback(options.listen) ? ['--token'] : []), '--pwd', options.workspace];
  switch (options.role) {
    case 'all':
      return serve;
    case 'host':
      // The NATS address and its credentials come from the environment file (KT_NATS_*).
      return [...serve.slice(0, 2), '--mode', 'lab-host', ...serve.slice(2)];
    case 'client':
      return ['lab-client'];
  }
}

const DESCRIPTION: Record<ServiceRole, string> = {
  all: 'KohakuTerrarium studio server',
  host: 'KohakuTerrarium Laboratory host',
  client: 'KohakuTerrarium Laboratory worker %i',
};

/** Writable paths, deduplicated: the workspace is often inside the kt home. */
function writable(options: UnitOptions): string[] {
  const paths = [options.home];
  if (!options.workspace.startsWith(`${options.home}/`) && options.workspace !== options.home) paths.push(options.workspace);
  return paths;
}

export function renderUnit(options: UnitOptions): RenderedUnit {
  checkPath(options.home, 'the kt home (KT_CONFIG_DIR)');
  checkPath(options.workspace, '--pwd');
  const description = DESCRIPTION[options.role];
  const env = envFile(options.home, options.role);
  const exec = [options.node, options.kt, ...command(options)].map(quoteArg).join(' ');
  const lines = [
    '# Written by `kt service install`; `kt service uninstall` removes it.',
    '[Unit]',
    `Description=${description}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    ...(options.system && options.user ? [`User=${options.user}`, `Group=${options.user}`] : []),
    `WorkingDirectory=${quotePath(options.workspace)}`,
    `Environment=KT_CONFIG_DIR=${quotePath(options.home)}`,
    'Environment=NODE_ENV=production',
    ...(options.role === 'client' ? ['Environment=KT_CLIENT_NAME=%i'] : []),
    // Secrets live here (mode 0600). The studio server alone can run without one (it keeps a token file), a Laboratory node cannot.
    `EnvironmentFile=${options.role === 'all' ? '-' : ''}${quotePath(env)}`,
    `ExecStart=${exec}`,
    'Restart=on-failure',
    'RestartSec=5s',
    // kt serve gives running turns 10 s after SIGTERM, then saves them.
    'TimeoutStopSec=30s',
    '',
    '# Hardening: the service reads the system, writes only the kt home and its workspace.',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    `ReadWritePaths=${writable(options).map(quotePath).join(' ')}`,
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'SystemCallArchitectures=native',
    'CapabilityBoundingSet=',
    'UMask=0077',
    '# No MemoryDenyWriteExecute=: V8 compiles JavaScript to machine code at run time and would crash.',
    '',
    '[Install]',
    `WantedBy=${options.system ? 'multi-user.target' : 'default.target'}`,
    '',
  ];
  return { fileName: UNIT_FILE[options.role], description, text: lines.join('\n') };
}

/** The environment file's first contents: values from the installing shell where set, else commented placeholders. */
export function renderEnvFile(role: ServiceRole, env: NodeJS.ProcessEnv): string {
  const lines = ['# Secrets for the kt service (mode 0600). Edit, then restart the unit.'];
  for (const key of ENV_KEYS[role]) {
    const value = env[key]?.trim();
    lines.push(value ? `${key}=${value}` : `#${key}=`);
  }
  return `${lines.join('\n')}\n`;
}
