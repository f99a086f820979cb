/**
 * What `kt service` asks of the machine: where units go, who the service
 * runs as, and whether a systemd manager is there to take them. A machine
 * without one (a container, a CI runner) still gets the files, and is told so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where units are installed: the user's manager, or the system's (`--system`). */
export function unitDir(system: boolean, env: NodeJS.ProcessEnv = process.env): string {
  if (system) return '/etc/systemd/system';
  const config = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return join(config, 'systemd', 'user');
}

/** The user the service runs as: the one behind `sudo` when there is one, never root by accident. */
export function serviceUser(env: NodeJS.ProcessEnv = process.env): { name: string; home: string } {
  const name = env.SUDO_USER?.trim() || userInfo().username;
  return { name, home: homeOf(name) ?? homedir() };
}

/** A user's home from /etc/passwd (os.homedir() is the current user's, which under sudo is root's). */
function homeOf(name: string): string | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[0] === name);
    return line?.split(':')[5] || undefined;
  } catch {
    return undefined;
  }
}

/** Why systemctl cannot be used here, or undefined when it can. */
export function systemdAbsent(system: boolean): string | undefined {
  // The check sd_booted() makes: this folder exists only while systemd is PID 1.
  if (!existsSync('/run/systemd/system')) return 'systemd is not running on this machine (no /run/systemd/system)';
  if (!system) {
    const probe = spawnSync('systemctl', ['--user', 'show-environment'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) return `the user's systemd manager does not answer (${(probe.stderr || probe.error?.message || '').trim() || `exit ${probe.status}`}); try --system, or loginctl enable-linger`;
  }
  return undefined;
}

export interface Systemctl {
  run(args: string[]): { ok: boolean; output: string };
}

export function systemctl(system: boolean): Systemctl {
  return {
    run(args) {
      const result = spawnSync('systemctl', [...(system ? [] : ['--user']), ...args], { encoding: 'utf8' });
      return { ok: !result.error && result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`.trim() };
    },
  };
}
