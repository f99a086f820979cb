/** Package fixtures: folders with a kohaku.yaml, a file:// bare git repository, and a loopback marketplace index server. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(prefix = 'kt-pkg-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A package folder: `files` maps relative paths to contents; kohaku.yaml gets name and version unless given. */
export function makePackage(dir: string, name: string, version: string, files: Record<string, string> = {}): string {
  mkdirSync(dir, { recursive: true });
  const all = { 'kohaku.yaml': `name: ${name}\nversion: "${version}"\ndescription: The ${name} pack\ncreatures:\n  - name: hello\n`, 'creatures/hello/config.yaml': `name: hello\nsystem_prompt: Hello from ${name} ${version}.\n`, ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

/** A bare repository (`file://` URL) whose main branch holds the package at `version`, tagged `v<version>`. */
export function bareRepo(name: string, version: string): { url: string; publish: (version: string) => void } {
  const root = tempDir('kt-git-');
  const bare = join(root, `${name}.git`);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--initial-branch=main', work);
  const publish = (v: string) => {
    makePackage(work, name, v);
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', `v${v}`);
    git(work, 'tag', `v${v}`);
    git(work, 'push', '--quiet', '--tags', bare, 'main');
  };
  publish(version);
  return { url: `file://${bare}`, publish };
}

export interface IndexServer {
  url: string;
  /** Requests seen, with their If-None-Match header. */
  requests: Array<{ etag: string | undefined }>;
  setBody(body: string): void;
  close(): Promise<void>;
}

/** A loopback HTTP server serving one index document with an ETag; answers 304 when it matches. */
export async function indexServer(body: string): Promise<IndexServer> {
  let current = body;
  let version = 1;
  const requests: IndexServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const etag = `"v${version}"`;
    requests.push({ etag: req.headers['if-none-match'] });
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/yaml', etag });
    res.end(current);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.yaml`,
    requests,
    setBody(text) {
      current = text;
      version++;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** What is in the packages folder: everything but kt list's cache (staging leftovers or a lock would show). */
export function packagesFolder(home: string): string[] {
  try {
    return readdirSync(join(home, 'packages')).filter((n) => n !== '.list-cache.json').sort();
  } catch {
    return [];
  }
}
