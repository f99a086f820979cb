/**
 * Where and how a `kt web` / `kt serve` server listens, from flags and the
 * environment (KT_HOST, KT_PORT, KT_HOST_TOKEN), and which auth layers it
 * turns on. Bad values are usage errors that name the flag or variable.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { configHome, UsageError, type Env } from '../../index.js';
import { Accounts, accountsPath } from '../auth/accounts.js';
import type { AuthOptions } from '../auth/gate.js';

export interface HostFlags {
  host?: string | undefined;
  port?: number | undefined;
  /** Require the host token (KT_HOST_TOKEN, else the token file, made on first use). */
  token?: boolean | undefined;
  /** Sign in with the admin password (kt admin password sets it). */
  password?: boolean | undefined;
  /** User accounts (kt admin user add). */
  users?: boolean | undefined;
}

export interface HostSettings {
  host: string;
  port: number;
  auth: AuthOptions;
}

export const DEFAULT_PORT = 8001;

export function tokenPath(env: Env = process.env): string {
  return join(configHome(env), 'server', 'host-token');
}

/** A fresh host token in the token file (mode 0600); servers started afterwards use it. */
export function rotateToken(env: Env = process.env): string {
  const file = tokenPath(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

function hostToken(env: Env): string {
  const fromEnv = env.KT_HOST_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = tokenPath(env);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : rotateToken(env);
}

export function hostSettings(flags: HostFlags, env: Env = process.env): HostSettings {
  const host = flags.host ?? (env.KT_HOST?.trim() || '127.0.0.1');
  let port = flags.port;
  if (port === undefined && env.KT_PORT?.trim()) {
    port = Number(env.KT_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`KT_PORT must be a port number (0-65535), not '${env.KT_PORT}'`);
  }
  port ??= DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a port number (0-65535), not '${port}'`);
  const auth: AuthOptions = { accountsFile: accountsPath(env) };
  if (flags.token || env.KT_HOST_TOKEN?.trim()) auth.token = hostToken(env);
  if (flags.password) {
    if (!new Accounts(accountsPath(env)).hasAdminPassword) throw new UsageError('--password: no admin password is set; set one with kt admin password');
    auth.password = true;
  }
  if (flags.users) auth.users = true;
  return { host, port, auth };
}
