/**
 * `kt service` through the built kt: --no-install writes the unit here;
 * install puts it in the user's unit folder with a 0600 secrets file and,
 * on a machine without a running systemd, says plainly it enabled nothing;
 * status and uninstall follow.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, kt } from './helpers.js';

const noSystemd = !existsSync('/run/systemd/system');

describe('kt service', () => {
  it('--no-install writes the unit to the current folder and nothing else', async () => {
    const here = mkdtempSync(join(tmpdir(), 'kt-service-here-'));
    const env = baseEnv({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'kt-xdg-')) });
    const run = await kt(['service', 'install', '--host', '--no-install'], { env, cwd: here });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const unit = readFileSync(join(here, 'kohakuterrarium-host.service'), 'utf8');
    expect(unit).toContain(`EnvironmentFile=${env.KT_CONFIG_DIR}/service/host.env`);
    expect(unit).toMatch(/^ExecStart=\S+ \S+kt\.js serve run --mode lab-host /m);
    expect(existsSync(join(env.XDG_CONFIG_HOME!, 'systemd'))).toBe(false);
  });

  it('installs a worker as a user unit with its secrets in a 0600 file, reports it, and uninstalls it', async () => {
    const env = baseEnv({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'kt-xdg-')), KT_NATS_URL: 'nats://127.0.0.1:4222', KT_NATS_TOKEN: 'nats-secret-token' });
    const unitFile = join(env.XDG_CONFIG_HOME!, 'systemd', 'user', 'kohakuterrarium-client@.service');
    const secrets = join(env.KT_CONFIG_DIR!, 'service', 'client-worker-a.env');
    const install = await kt(['service', 'install', '--client', '--name', 'worker-a'], { env });
    expect(install.code).toBe(0);
    expect(readFileSync(unitFile, 'utf8')).not.toContain('nats-secret-token');
    expect(readFileSync(secrets, 'utf8')).toContain('KT_NATS_TOKEN=nats-secret-token');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    if (noSystemd) expect(install.stderr).toMatch(/systemd is not running on this machine.*NOT enabled[\s\S]*systemctl --user enable --now kohakuterrarium-client@worker-a\.service/);

    const status = await kt(['service', 'status', '--client', '--name', 'worker-a'], { env });
    expect(status.stdout).toContain(`kohakuterrarium-client@worker-a.service: installed (${unitFile})`);
    const removed = await kt(['service', 'uninstall', '--client', '--name', 'worker-a'], { env });
    expect(removed.code).toBe(0);
    expect(existsSync(unitFile)).toBe(false);
    expect(existsSync(secrets)).toBe(false);
    expect((await kt(['service', 'status', '--client', '--name', 'worker-a'], { env })).code).toBe(3);
  });

  it('asks for exactly one service and a usable worker name', async () => {
    expect((await kt(['service', 'install'])).stderr).toMatch(/--all, --host or --client --name <n>/);
    expect((await kt(['service', 'install', '--client'])).stderr).toMatch(/--client needs --name/);
    expect((await kt(['service', 'install', '--client', '--name', '../x'])).stderr).toMatch(/--name '\.\.\/x'/);
    expect((await kt(['--help'])).stdout).toMatch(/^ {2}service /m);
    expect((await kt(['service', '--help'])).stdout).toContain('--no-install');
  });
});
