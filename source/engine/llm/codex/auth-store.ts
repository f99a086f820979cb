/**
 * Where the ChatGPT tokens live. kt's own file is
 * `<KT_CONFIG_DIR>/codex-auth.json` (mode 0600, replaced atomically); when it
 * does not exist, the Codex CLI's `~/.codex/auth.json` is used, read-only, so
 * a user already signed in to Codex needs no second sign-in.
 *
 * File format (snake_case, like the Codex CLI's):
 * `{ access_token, refresh_token, id_token?, account_id?, expires_at? (epoch ms), last_refresh (ISO 8601) }`
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { configHome, ensurePrivateDir, type Env } from '../../home.js';
import { ConfigError } from '../../errors.js';
import { rememberSecret } from '../../util/redact.js';
import { isRecord } from '../../util/records.js';
import { chatgptAccountId, jwtExpiresAt } from './jwt.js';
import type { CodexTokens } from './tokens.js';

/** `<config home>/codex-auth.json`. */
export function codexAuthPath(env: Env = process.env): string {
  return join(configHome(env), 'codex-auth.json');
}

/** The Codex CLI's token cache: `$CODEX_HOME/auth.json`, default `~/.codex/auth.json`. */
export function codexCliAuthPath(env: Env = process.env): string {
  const codexHome = env.CODEX_HOME?.trim();
  if (codexHome) return join(resolve(codexHome), 'auth.json');
  const home = env.HOME?.trim() || env.USERPROFILE?.trim() || homedir();
  return join(home, '.codex', 'auth.json');
}

/**
 * kt's saved tokens, else the Codex CLI's, else undefined. A damaged kt
 * file is a `ConfigError` naming it; a damaged Codex CLI file is ignored
 * (it is not ours to judge).
 */
export async function loadCodexTokens(env: Env = process.env): Promise<CodexTokens | undefined> {
  const file = codexAuthPath(env);
  const own = await readJson(file);
  if (own !== undefined) {
    const tokens = own === INVALID ? undefined : fromKtFile(own);
    if (!tokens) {
      throw new ConfigError('the ChatGPT token file is damaged; run `kt login codex` to sign in again', { file }, { code: 'CODEX_AUTH_INVALID' });
    }
    return remembered(tokens);
  }
  const cli = await readJson(codexCliAuthPath(env));
  const tokens = cli === undefined || cli === INVALID ? undefined : fromCodexCliFile(cli);
  return tokens && remembered(tokens);
}

/** Tokens kt holds are credentials: the redactor must know them. */
function remembered(tokens: CodexTokens): CodexTokens {
  rememberSecret(tokens.accessToken);
  rememberSecret(tokens.refreshToken);
  rememberSecret(tokens.idToken);
  return tokens;
}

/** Write the tokens to kt's file (never the Codex CLI's) with mode 0600, atomically. Returns the path. */
export async function saveCodexTokens(tokens: CodexTokens, env: Env = process.env): Promise<string> {
  remembered(tokens);
  const file = codexAuthPath(env);
  ensurePrivateDir(dirname(file));
  // A reader sees the old file or the new one, never half of one: write a private temp file, then rename over.
  const temp = join(dirname(file), `.codex-auth.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600); // The umask could only narrow the mode; make it exact.
      await handle.writeFile(`${JSON.stringify(toKtFile(tokens), null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return file;
}

/** Remove kt's token file (the Codex CLI's is left alone). True when there was one. */
export async function deleteCodexTokens(env: Env = process.env): Promise<boolean> {
  const file = codexAuthPath(env);
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

const INVALID = Symbol('invalid');

/** The file's JSON object; undefined when it does not exist; INVALID when it is not a JSON object. */
async function readJson(file: string): Promise<Record<string, unknown> | typeof INVALID | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : INVALID;
  } catch {
    return INVALID;
  }
}

function toKtFile(tokens: CodexTokens): Record<string, unknown> {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    id_token: tokens.idToken,
    account_id: tokens.accountId,
    expires_at: tokens.expiresAt,
    last_refresh: new Date(tokens.lastRefresh).toISOString(),
  };
}

function fromKtFile(data: Record<string, unknown>): CodexTokens | undefined {
  const tokens = baseTokens(data, data);
  if (!tokens) return undefined;
  const expiresAt = typeof data.expires_at === 'number' && Number.isFinite(data.expires_at) ? data.expires_at : jwtExpiresAt(tokens.accessToken);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  tokens.source = 'kt';
  return tokens;
}

function fromCodexCliFile(data: Record<string, unknown>): CodexTokens | undefined {
  if (!isRecord(data.tokens)) return undefined;
  const tokens = baseTokens(data.tokens, data);
  if (!tokens) return undefined;
  const expiresAt = jwtExpiresAt(tokens.accessToken);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  tokens.source = 'codex-cli';
  return tokens;
}

/** The fields both files share; `meta` holds `last_refresh`. */
function baseTokens(data: Record<string, unknown>, meta: Record<string, unknown>): CodexTokens | undefined {
  const accessToken = text(data.access_token);
  const refreshToken = text(data.refresh_token);
  if (!accessToken || !refreshToken) return undefined;
  const tokens: CodexTokens = { accessToken, refreshToken, lastRefresh: timestamp(meta.last_refresh) ?? 0 };
  const idToken = text(data.id_token);
  if (idToken) tokens.idToken = idToken;
  const accountId = text(data.account_id) ?? chatgptAccountId(idToken, accessToken);
  if (accountId) tokens.accountId = accountId;
  return tokens;
}

/** Epoch ms from a number or an ISO 8601 string. */
function timestamp(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
