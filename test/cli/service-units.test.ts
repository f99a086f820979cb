/**
 * The systemd units `kt service` renders: hardened, secrets only through an
 * EnvironmentFile, and accepted by systemd itself (`systemd-analyze verify`,
 * rendered against this machine's real node so ExecStart's binary exists).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPath, envFile, quoteArg, renderEnvFile, renderUnit, unitName, type ServiceRole, type UnitOptions } from '../../source/cli/service/units.js';
import { runProcess } from '../helpers/run-process.js';
import { repoRoot } from './helpers.js';

const ANALYZE = '/usr/bin/systemd-analyze';

function options(role: ServiceRole, extra: Partial<UnitOptions> = {}): UnitOptions {
  const root = mkdtempSync(join(tmpdir(), 'kt-units-'));
  return { role, node: process.execPath, kt: join(repoRoot, 'dist', 'kt.js'), home: join(root, 'home'), workspace: join(root, 'work'), system: true, user: 'root', listen: '127.0.0.1', port: 8001, token: false, ...extra };
}

function setting(text: string, key: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
}

describe('kt service units', () => {
  it.each(['all', 'host', 'client'] as const)('%s: hardened, restarts on failure, secrets only from the environment file', (role) => {
    const o = options(role);
    const { text } = renderUnit(o);
    for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=read-only', 'PrivateTmp=yes', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'Restart=on-failure', 'User=root', 'UMask=0077']) {
      expect(text.split('\n')).toContain(line);
    }
    expect(setting(text, 'ReadWritePaths')).toEqual([`${o.home} ${o.workspace}`]);
    expect(setting(text, 'EnvironmentFile')[0]).toMatch(new RegExp(`^-?${o.home}/service/`));
    expect(text).not.toMatch(/MemoryDenyWriteExecute=yes/);
    expect(text).not.toMatch(/TOKEN=|CREDS=|NATS_URL=/);
  });

  it('runs each role with its command; a worker is a template instance named by %i', () => {
    expect(setting(renderUnit(options('all')).text, 'ExecStart')[0]).toMatch(/ serve run --host 127\.0\.0\.1 --port 8001 --pwd \//);
    expect(setting(renderUnit(options('host')).text, 'ExecStart')[0]).toMatch(/ serve run --mode lab-host --host /);
    const client = renderUnit(options('client'));
    expect(client.fileName).toBe('kohakuterrarium-client@.service');
    expect(setting(client.text, 'ExecStart')[0]).toMatch(/kt\.js lab-client$/);
    expect(setting(client.text, 'Environment')).toContain('KT_CLIENT_NAME=%i');
    expect(unitName('client', 'worker-a')).toBe('kohakuterrarium-client@worker-a.service');
    expect(envFile('/h', 'client', 'worker-a')).toBe('/h/service/client-worker-a.env');
  });

  it('turns the host token on for a non-loopback address, and a user unit names no User=', () => {
    expect(setting(renderUnit(options('all', { listen: '0.0.0.0' })).text, 'ExecStart')[0]).toContain(' --token ');
    const user = renderUnit(options('all', { system: false }));
    expect(setting(user.text, 'User')).toEqual([]);
    expect(setting(user.text, 'WantedBy')).toEqual(['default.target']);
  });

  it('quotes ExecStart arguments and refuses folders systemd would misread', () => {
    expect(quoteArg('/opt/my node/bin/node')).toBe('"/opt/my node/bin/node"');
    expect(quoteArg('50%$')).toBe('50%%$$');
    expect(() => checkPath('relative/home', '--pwd')).toThrow(/--pwd 'relative\/home'/);
    expect(() => checkPath('/a b', '--pwd')).toThrow(/without spaces/);
  });

  it('fills the environment file from the installing shell, placeholders otherwise', () => {
    expect(renderEnvFile('client', { KT_NATS_URL: 'nats://h:4222', KT_NATS_TOKEN: 's3cret' })).toBe(
      '# Secrets for the kt service (mode 0600). Edit, then restart the unit.\nKT_NATS_URL=nats://h:4222\nKT_NATS_TOKEN=s3cret\n#KT_NATS_CREDS=\n',
    );
  });

  it.skipIf(!existsSync(ANALYZE))('passes systemd-analyze verify for every role', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-units-verify-'));
    const files: string[] = [];
    for (const role of ['all', 'host', 'client'] as const) {
      const o = options(role);
      mkdirSync(o.workspace, { recursive: true });
      const unit = renderUnit(o);
      writeFileSync(join(dir, unit.fileName), unit.text);
      files.push(join(dir, role === 'client' ? unitName('client', 'worker-a') : unit.fileName));
    }
    const run = await runProcess(ANALYZE, ['verify', ...files], { timeoutMs: 30_000, env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
