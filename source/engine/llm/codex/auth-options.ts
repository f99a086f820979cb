/**
 * The options every Codex sign-in call takes, and their defaults.
 */
import { UsageError } from '../../errors.js';
import type { Env } from '../../home.js';
import { sleep as abortableSleep } from '../../util/abort.js';

/** OpenAI's auth server. */
export const CODEX_ISSUER = 'https://auth.openai.com';
/** The Codex CLI's public OAuth client id (public clients have no secret; PKCE protects the code). */
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
/** The loopback port registered for the Codex client's browser redirect. */
export const CODEX_BROWSER_PORT = 1455;

/** What the user needs to sign in: shown as soon as it is known. */
export interface CodexPrompt {
  /** Where to enter the code: `{issuer}/codex/device`. */
  verificationUrl: string;
  userCode: string;
  /** The browser sign-in link; absent when the browser flow is off or its port is busy. */
  authorizeUrl?: string;
  /** How long the code stays valid, in ms. */
  expiresInMs: number;
}

export interface CodexAuthOptions {
  /** Default `KT_CODEX_ISSUER`, else `https://auth.openai.com`. Tests pass a fake's URL. */
  issuer?: string;
  clientId?: string;
  /** Where `KT_CONFIG_DIR`, `KT_CODEX_ISSUER`, `HOME` and `CODEX_HOME` are read. Default `process.env`. */
  env?: Env;
  fetch?: typeof fetch;
  /** Clock, epoch ms. */
  now?: () => number;
  /**
   * The loopback port of the browser flow's callback server. Default 1455, the
   * port OpenAI registered for this client; `0` picks a free port (tests only:
   * the real issuer rejects other redirect URIs); `false` turns the browser
   * flow off.
   */
  browserPort?: number | false;
  /** Try to open the browser link. Default false; the CLI turns it on outside headless sessions. */
  openBrowser?: boolean;
  /** Cancels every wait and request; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  onPrompt?: (info: CodexPrompt) => void;
  /**
   * How the device flow waits between polls. A seam for tests (a virtual clock
   * paired with `now`); the default is a real, abortable timer.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per-request timeout, ms. Default 30 s. */
  requestTimeoutMs?: number;
}

/** The options with every default filled in. */
export interface ResolvedAuthOptions {
  issuer: string;
  clientId: string;
  env: Env;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal: AbortSignal | undefined;
  requestTimeoutMs: number;
}

export function resolveAuthOptions(options: CodexAuthOptions = {}): ResolvedAuthOptions {
  const env = options.env ?? process.env;
  return {
    issuer: issuerUrl(options.issuer ?? nonEmpty(env.KT_CODEX_ISSUER) ?? CODEX_ISSUER),
    clientId: options.clientId ?? CODEX_CLIENT_ID,
    env,
    // Looked up at call time, so a test's global stub is honoured.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? abortableSleep,
    signal: options.signal,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  };
}

/** The issuer as an origin-like URL without a trailing slash; a bad value is a usage error. */
function issuerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`the Codex auth issuer '${raw}' is not a URL`, { hint: 'check KT_CODEX_ISSUER' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`the Codex auth issuer '${raw}' must be an http(s) URL`, { hint: 'check KT_CODEX_ISSUER' });
  }
  return url.href.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() ? value.trim() : undefined;
}
