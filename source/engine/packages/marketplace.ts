/**
 * The marketplace index: a YAML or JSON file (`KT_MARKET_URL`, an http(s)
 * URL or a path) listing packages and their versions. Fetched with ETag
 * revalidation and cached in `<config home>/marketplace/cache.json` for
 * `KT_MARKET_TTL` seconds (default 3600); offline with a cached copy works
 * with a warning, offline without one is a MarketplaceError.
 *
 *   packages:
 *     - name: foo
 *       description: …
 *       tags: [demo]
 *       versions:
 *         - version: 1.2.0
 *           source: git+https://example.org/foo.git#v1.2.0   # any kt install source; paths are relative to the index
 *           sha256: …          # optional: packageDigest of the installed folder
 *           kt_version: ">=0.1"
 *           yanked: false
 */
import { readFileSync, renameSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// semver's functions, not its index, which loads all its ~50 modules with the library.
import coerce from 'semver/functions/coerce.js';
import compare from 'semver/functions/compare.js';
import satisfies from 'semver/functions/satisfies.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { lazySchema } from '../util/lazy-schema.js';
import { configHome, ensurePrivateDir, writePrivateFile, type Env } from '../home.js';
import { MarketplaceError } from './errors.js';
import { FRAMEWORK_VERSION } from './manifest.js';

const versionSchema = lazySchema(() => z
  .object({
    version: z.union([z.string(), z.number()]).transform(String),
    source: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional(),
    kt_version: z.string().optional(),
    yanked: z.boolean().optional(),
    notes: z.string().optional(),
  })
  .passthrough());
const entrySchema = lazySchema(() => z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    author: z.string().optional(),
    tags: z.array(z.string()).optional(),
    homepage: z.string().optional(),
    versions: z.array(versionSchema).min(1),
  })
  .passthrough());
const indexSchema = lazySchema(() => z.object({ packages: z.array(entrySchema) }).passthrough());

export type MarketEntry = z.infer<typeof entrySchema>;
export type MarketVersion = z.infer<typeof versionSchema>;
export interface MarketIndex {
  url: string;
  packages: MarketEntry[];
  /** Set when the index came from a stale cache because the source could not be reached. */
  warning?: string;
}

interface CacheFile {
  url: string;
  etag?: string;
  fetchedAt: number;
  body: string;
}

export function marketUrl(env: Env): string {
  const url = env.KT_MARKET_URL?.trim();
  if (!url) throw new MarketplaceError('no marketplace index is configured', {}, { hint: 'set KT_MARKET_URL to the URL or path of an index (YAML or JSON)' });
  return url;
}

function ttlMs(env: Env): number {
  const seconds = Number(env.KT_MARKET_TTL ?? 3600);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 3_600_000;
}

function cachePath(env: Env): string {
  return join(configHome(env), 'marketplace', 'cache.json');
}

export async function loadIndex(env: Env, { refresh = false } = {}): Promise<MarketIndex> {
  const url = marketUrl(env);
  if (!/^https?:\/\//.test(url)) {
    const file = url.startsWith('file://') ? fileURLToPath(url) : resolve(url);
    let body: string;
    try {
      body = readFileSync(file, 'utf8');
    } catch (error) {
      throw new MarketplaceError(`cannot read the marketplace index (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { file });
    }
    return { url: file, packages: parseIndex(body, file) };
  }
  const cached = readCache(env, url);
  if (cached && !refresh && Date.now() - cached.fetchedAt < ttlMs(env)) return { url, packages: parseIndex(cached.body, url) };
  let response: Response;
  try {
    response = await fetch(url, { headers: cached?.etag ? { 'if-none-match': cached.etag } : {}, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    if (!cached) throw new MarketplaceError(`cannot reach the marketplace index ${url} (${reason}) and nothing is cached`);
    return { url, packages: parseIndex(cached.body, url), warning: `marketplace index ${url} unreachable (${reason}); using the copy cached ${new Date(cached.fetchedAt).toISOString()}` };
  }
  if (response.status === 304 && cached) {
    writeCache(env, { ...cached, fetchedAt: Date.now() });
    return { url, packages: parseIndex(cached.body, url) };
  }
  if (!response.ok) {
    if (cached) return { url, packages: parseIndex(cached.body, url), warning: `marketplace index ${url} answered ${response.status}; using the cached copy` };
    throw new MarketplaceError(`the marketplace index ${url} answered ${response.status} ${response.statusText}`);
  }
  const body = await response.text();
  const packages = parseIndex(body, url);
  const etag = response.headers.get('etag');
  writeCache(env, { url, ...(etag ? { etag } : {}), fetchedAt: Date.now(), body });
  return { url, packages };
}

function parseIndex(body: string, where: string): MarketEntry[] {
  let data: unknown;
  try {
    data = parseYaml(body); // JSON is YAML too
  } catch (error) {
    throw new MarketplaceError(`the marketplace index is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, { file: where });
  }
  const parsed = indexSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MarketplaceError(`the marketplace index is malformed: ${issue.message}`, { file: where, keyPath: issue.path.map((p) => (typeof p === 'number' ? p : String(p))) });
  }
  return parsed.data.packages;
}

function readCache(env: Env, url: string): CacheFile | undefined {
  try {
    const cache = JSON.parse(readFileSync(cachePath(env), 'utf8')) as CacheFile;
    return cache.url === url && typeof cache.body === 'string' ? cache : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(env: Env, cache: CacheFile): void {
  const file = cachePath(env);
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  writePrivateFile(tmp, JSON.stringify(cache));
  renameSync(tmp, file);
}

export function findEntry(index: MarketIndex, name: string): MarketEntry {
  const entry = index.packages.find((p) => p.name === name);
  if (!entry) {
    const near = index.packages.map((p) => p.name).filter((n) => n.includes(name) || name.includes(n));
    throw new MarketplaceError(`package '@${name}' is not in the marketplace index ${index.url}${near.length ? ` (similar: ${near.map((n) => `@${n}`).join(', ')})` : ''}`, {}, { hint: 'kt marketplace search <words> lists what the index has' });
  }
  return entry;
}

/** The version to install: the pinned one, else the newest not yanked whose kt_version accepts this kt. */
export function chooseVersion(entry: MarketEntry, pinned?: string): MarketVersion {
  if (pinned) {
    const found = entry.versions.find((v) => v.version === pinned || v.version === pinned.replace(/^v/, ''));
    if (!found) throw new MarketplaceError(`'@${entry.name}' has no version ${pinned} (versions: ${entry.versions.map((v) => v.version).join(', ')})`);
    return found;
  }
  const usable = entry.versions
    .filter((v) => !v.yanked && (!v.kt_version || satisfies(FRAMEWORK_VERSION, v.kt_version, { includePrerelease: true })))
    .sort((a, b) => compareVersions(b.version, a.version));
  if (!usable[0]) throw new MarketplaceError(`'@${entry.name}' has no version for kt ${FRAMEWORK_VERSION} that is not yanked`);
  return usable[0];
}

function compareVersions(a: string, b: string): number {
  const va = coerce(a)?.version;
  const vb = coerce(b)?.version;
  return va && vb ? compare(va, vb) : a.localeCompare(b);
}

/** A version's source with paths made absolute against the index's own location. */
export function versionSource(index: MarketIndex, version: MarketVersion): string {
  const source = version.source;
  if (/^[a-z+]+:/i.test(source) || source.startsWith('@') || isAbsolute(source) || /^https?:\/\//.test(index.url)) return source;
  return resolve(dirname(index.url), source);
}

export function searchIndex(index: MarketIndex, query: string): MarketEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return index.packages.filter((p) => {
    const text = [p.name, p.description ?? '', p.author ?? '', ...(p.tags ?? [])].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
