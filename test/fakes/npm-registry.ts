/**
 * A fake npm registry on a real loopback socket, so `npm install` can run in
 * tests without reaching beyond 127.0.0.1. It speaks the parts of the
 * registry protocol npm's installer uses:
 *
 * - `GET /<name>`, `GET /@scope%2fname` (how npm asks) and `GET /@scope/name`:
 *   the packument, `{name, dist-tags: {latest}, versions: {...}}`, each
 *   version carrying the fields npm's resolver reads (dependencies, optional
 *   and peer dependencies, engines, os, cpu, bin, hasInstallScript) and
 *   `dist: {tarball, integrity}` with a tarball URL on this server.
 * - `GET /<name>/-/<basename>-<version>.tgz` (scoped too): the tarball bytes.
 *
 * The metadata is built from a `package-lock.json` (every entry but the root,
 * every version a name appears at), and tarballs are read from a local npm
 * cache by integrity: npm's cache (cacache) stores each tarball under
 * `_cacache/content-v2/<algo>/<hex digest split 2/2/rest>`, its path a
 * function of the integrity alone, so no cache library is needed to read it.
 * The bytes are checked against the integrity before they are served. A
 * tarball that is not in the cache, an unknown package or an unknown version
 * answers 404 with a message that says which, and every request is recorded.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { closeLoopback, listenOnLoopback } from './loopback-server.js';

/** The fields of one `packages` entry of a v2/v3 package-lock.json that matter here. */
export interface LockEntry {
  name?: string;
  version?: string;
  integrity?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines?: Record<string, string> | string[];
  os?: string[];
  cpu?: string[];
  bin?: Record<string, string>;
  hasInstallScript?: boolean;
  license?: string;
  deprecated?: string;
}

export interface FakeNpmRegistryOptions {
  /** Path of the package-lock.json whose entries the registry serves. */
  lockfile: string;
  /** npm's cache folder (`npm config get cache`); tarballs come from its `_cacache`. */
  cacheDir: string;
  /** Default: a free port. */
  port?: number;
}

export interface RegistryRequest {
  method: string;
  /** The raw request path, e.g. `/@scope%2fname` or `/name/-/name-1.0.0.tgz`. */
  url: string;
  /** What was asked for, when the path made sense. */
  kind: 'packument' | 'tarball' | 'other';
  /** The package name, decoded (`@scope/name`). */
  name?: string;
  /** For tarballs: the version asked for. */
  version?: string;
  status: number;
}

export interface FakeNpmRegistry {
  /** `http://127.0.0.1:<port>/`, ready for `--registry`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order, with the status it got. */
  readonly requests: RegistryRequest[];
  /** Names the registry knows, with their versions. */
  readonly packages: ReadonlyMap<string, ReadonlyMap<string, LockEntry>>;
  /** Lockfile entries whose tarball is not in the cache (`name@version`). */
  missingTarballs(): string[];
  close(): Promise<void>;
}

export async function startFakeNpmRegistry(options: FakeNpmRegistryOptions): Promise<FakeNpmRegistry> {
  const registry = new Registry(options);
  await registry.listen(options.port ?? 0);
  return registry;
}

/** `@scope/name` for a lockfile key such as `node_modules/a/node_modules/@scope/name`. */
export function nameFromLockKey(key: string): string {
  const at = key.lastIndexOf('node_modules/');
  return at < 0 ? key : key.slice(at + 'node_modules/'.length);
}

/** Where cacache keeps the content for an SRI string (its first hash), or undefined if it is not SRI. */
export function cachedContentPath(cacheDir: string, integrity: string): { path: string; algorithm: string; digest: Buffer } | undefined {
  const first = integrity.trim().split(/\s+/)[0] ?? '';
  const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)(\?.*)?$/.exec(first);
  if (!match) return undefined;
  const algorithm = match[1]!;
  const digest = Buffer.from(match[2]!, 'base64');
  const hex = digest.toString('hex');
  return { path: join(cacheDir, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4)), algorithm, digest };
}

/** The file name npm gives a tarball: `name-1.0.0.tgz`, or `name-1.0.0.tgz` for `@scope/name`. */
function tarballFile(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${base}-${version}.tgz`;
}

const VERSION_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'engines',
  'os',
  'cpu',
  'bin',
  'hasInstallScript',
  'license',
  'deprecated',
] as const;

class Registry implements FakeNpmRegistry {
  readonly requests: RegistryRequest[] = [];
  readonly packages = new Map<string, Map<string, LockEntry>>();
  port = 0;
  private readonly cacheDir: string;
  private readonly http = createServer((req, res) => this.accept(req, res));

  constructor(options: FakeNpmRegistryOptions) {
    this.cacheDir = options.cacheDir;
    const lock = JSON.parse(readFileSync(options.lockfile, 'utf8')) as { lockfileVersion?: number; packages?: Record<string, LockEntry> };
    if (!lock.packages) throw new Error(`${options.lockfile}: no "packages" (lockfileVersion ${lock.lockfileVersion ?? '?'}); npm 7+ writes v2/v3 lockfiles`);
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || entry.link || !entry.version) continue;
      const name = entry.name ?? nameFromLockKey(key);
      let versions = this.packages.get(name);
      if (!versions) this.packages.set(name, (versions = new Map()));
      versions.set(entry.version, entry);
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  missingTarballs(): string[] {
    const missing: string[] = [];
    for (const [name, versions] of this.packages) {
      for (const [version, entry] of versions) {
        const where = entry.integrity ? cachedContentPath(this.cacheDir, entry.integrity) : undefined;
        if (!where || !existsSync(where.path)) missing.push(`${name}@${version}`);
      }
    }
    return missing;
  }

  async listen(port: number): Promise<void> {
    this.port = await listenOnLoopback(this.http, port);
  }

  close(): Promise<void> {
    return closeLoopback(this.http);
  }

  private accept(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const record: RegistryRequest = { method: req.method ?? 'GET', url, kind: 'other', status: 0 };
    this.requests.push(record);
    const send = (status: number, body: string | Buffer, type = 'application/json'): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = (message: string): void => send(404, JSON.stringify({ error: `fake npm registry: ${message}` }));

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      notFound(`${req.method} ${url} is not supported (only package metadata and tarballs are served)`);
      return;
    }
    const path = url.split('?')[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path.slice(1));
    } catch {
      notFound(`bad path ${url}`);
      return;
    }
    const parts = decoded.split('/');
    const scoped = parts[0]?.startsWith('@') ?? false;
    const nameParts = scoped ? 2 : 1;
    const name = parts.slice(0, nameParts).join('/');
    const rest = parts.slice(nameParts);
    if (!name || (scoped && parts.length < 2)) {
      notFound(`${url} is not a package path`);
      return;
    }

    if (rest.length === 0) {
      record.kind = 'packument';
      record.name = name;
      const versions = this.packages.get(name);
      if (!versions) {
        notFound(`no package '${name}' (it is not in the lockfile this registry serves)`);
        return;
      }
      send(200, JSON.stringify(this.packument(name, versions)));
      return;
    }

    if (rest.length === 2 && rest[0] === '-' && rest[1]!.endsWith('.tgz')) {
      record.kind = 'tarball';
      record.name = name;
      const versions = this.packages.get(name);
      const entry = versions ? [...versions.values()].find((e) => tarballFile(name, e.version!) === rest[1]) : undefined;
      if (!entry) {
        notFound(`no tarball ${rest[1]} for '${name}' (not in the lockfile this registry serves)`);
        return;
      }
      record.version = entry.version;
      const where = entry.integrity ? cachedContentPath(this.cacheDir, entry.integrity) : undefined;
      if (!where || !existsSync(where.path)) {
        notFound(
          `the tarball of ${name}@${entry.version} (${entry.integrity ?? 'no integrity in the lockfile'}) is not in the npm cache ${this.cacheDir}: run \`npm ci\` first`,
        );
        return;
      }
      const bytes = readFileSync(where.path);
      const actual = createHash(where.algorithm).update(bytes).digest();
      if (!actual.equals(where.digest)) {
        notFound(`the cached tarball of ${name}@${entry.version} does not match its integrity ${entry.integrity}`);
        return;
      }
      send(200, bytes, 'application/octet-stream');
      return;
    }

    notFound(`${url} is not a packument or tarball path`);
  }

  private packument(name: string, versions: Map<string, LockEntry>): Record<string, unknown> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [version, entry] of versions) {
      const manifest: Record<string, unknown> = { name, version };
      for (const field of VERSION_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field];
      manifest.dist = {
        tarball: `${this.url}${name}/-/${tarballFile(name, version)}`,
        ...(entry.integrity ? { integrity: entry.integrity } : {}),
      };
      out[version] = manifest;
    }
    return { name, 'dist-tags': { latest: latestOf([...versions.keys()]) }, versions: out };
  }
}

/** The highest version, releases above prereleases. */
function latestOf(versions: string[]): string {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number(n)), pre };
  };
  return versions.reduce((best, v) => {
    const a = parse(v);
    const b = parse(best);
    for (let i = 0; i < 3; i++) {
      const d = (a.nums[i] ?? 0) - (b.nums[i] ?? 0);
      if (d !== 0) return d > 0 ? v : best;
    }
    if (a.pre === undefined && b.pre !== undefined) return v;
    if (a.pre !== undefined && b.pre === undefined) return best;
    return (a.pre ?? '') > (b.pre ?? '') ? v : best;
  });
}
