/**
 * Connecting a host or worker to the lab's NATS server. A lab without
 * authentication would let anyone on the network run creatures (and their
 * tools) on the workers, so it is refused unless the caller said `insecure`.
 * The NATS client is imported here, lazily: `kt --help` never loads it.
 */
import { readFileSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import { UsageError } from '../errors.js';
import { checkName } from './subjects.js';

export interface LabConnectOptions {
  /** `nats://host:port` (a `nats://token@host` URL carries a token). */
  url: string;
  /** The lab's name: its subjects are `kt.<lab>.…` (default `default`). */
  lab?: string;
  token?: string;
  /** A NATS `.creds` file (JWT + nkey seed). */
  creds?: string;
  user?: string;
  pass?: string;
  /** Run without credentials (a loopback experiment only). */
  insecure?: boolean;
  /** Shown in the server's connection list. */
  name?: string;
}

/** The lab settings a command reads from flags first, then `KT_NATS_URL`, `KT_NATS_TOKEN`, `KT_NATS_CREDS`, `KT_LAB`. */
export function labSettingsFrom(flags: { nats?: string | undefined; token?: string | undefined; creds?: string | undefined; lab?: string | undefined; insecure?: boolean | undefined }, env: NodeJS.ProcessEnv = process.env): LabConnectOptions {
  const url = flags.nats ?? env.KT_NATS_URL;
  if (!url) throw new UsageError('a lab needs a NATS server: --nats nats://host:4222 or KT_NATS_URL');
  const token = flags.token ?? env.KT_NATS_TOKEN;
  const creds = flags.creds ?? env.KT_NATS_CREDS;
  return { url, lab: flags.lab ?? env.KT_LAB ?? 'default', ...(token ? { token } : {}), ...(creds ? { creds } : {}), insecure: Boolean(flags.insecure) };
}

function hasAuth(options: LabConnectOptions): boolean {
  if (options.token || options.creds || options.user) return true;
  try {
    return new URL(options.url.replace(/^nats:/, 'http:')).username !== '';
  } catch {
    return false;
  }
}

export async function connectLab(options: LabConnectOptions): Promise<NatsConnection> {
  checkName('lab', options.lab ?? 'default');
  if (!hasAuth(options) && !options.insecure) {
    throw new UsageError('refusing to run a lab without NATS authentication: give a token (--nats-token / KT_NATS_TOKEN) or credentials (--nats-creds / KT_NATS_CREDS), or --insecure for a loopback experiment');
  }
  const nats = await natsClient();
  const url = new URL(options.url.replace(/^nats:/, 'http:'));
  const token = options.token ?? (url.username && !url.password ? decodeURIComponent(url.username) : undefined);
  const user = options.user ?? (url.password ? decodeURIComponent(url.username) : undefined);
  const pass = options.pass ?? (url.password ? decodeURIComponent(url.password) : undefined);
  try {
    return await nats.connect({
      servers: `${url.hostname}:${url.port || '4222'}`,
      ...(options.name ? { name: options.name } : {}),
      ...(token ? { token } : {}),
      ...(user ? { user, ...(pass ? { pass } : {}) } : {}),
      ...(options.creds ? { authenticator: nats.credsAuthenticator(readFileSync(options.creds)) } : {}),
      // A worker outlives a restarting host or server: keep trying.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`could not join the lab at ${url.host}: ${message}`);
  }
}

/**
 * The NATS client modules. They are CommonJS: a bundle's dynamic import may
 * hand back the exports under `default`, so both shapes are accepted.
 */
export async function natsClient(): Promise<typeof import('@nats-io/transport-node')> {
  const mod = (await import('@nats-io/transport-node')) as typeof import('@nats-io/transport-node') & { default?: typeof import('@nats-io/transport-node') };
  return typeof mod.connect === 'function' ? mod : (mod.default as typeof import('@nats-io/transport-node'));
}

export async function jetStreamClient(): Promise<typeof import('@nats-io/jetstream')> {
  const mod = (await import('@nats-io/jetstream')) as typeof import('@nats-io/jetstream') & { default?: typeof import('@nats-io/jetstream') };
  return typeof mod.jetstream === 'function' ? mod : (mod.default as typeof import('@nats-io/jetstream'));
}

export const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
export const decode = <T>(data: Uint8Array): T => JSON.parse(new TextDecoder().decode(data)) as T;
