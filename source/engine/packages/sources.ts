/**
 * What `kt install <source>` accepts, told apart by its shape:
 * `@name[@version]` (marketplace), `npm:<spec>`, a git URL (`git+…`,
 * `http(s)://…`, `file://…`, `ssh://…`, `git@…` or `*.git`, with `#ref`), or a
 * local folder.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

export type PackageSource =
  | { kind: 'marketplace'; name: string; version?: string }
  | { kind: 'npm'; spec: string }
  | { kind: 'git'; url: string; ref?: string }
  | { kind: 'local'; path: string };

export function parseSource(text: string, cwd = process.cwd()): PackageSource {
  const source = text.trim();
  if (!source) throw new UsageError('which package? kt install <folder | git URL | npm:<name> | @name[@version]>');
  if (source.startsWith('@')) {
    const match = /^@([a-z0-9][a-z0-9._-]*)(?:@([^@/\s]+))?$/i.exec(source);
    if (!match) throw new UsageError(`'${source}' is not a marketplace name; use @name or @name@version`);
    return { kind: 'marketplace', name: match[1] as string, ...(match[2] ? { version: match[2] } : {}) };
  }
  if (source.startsWith('npm:')) {
    const spec = source.slice(4).trim();
    if (!spec) throw new UsageError(`'${source}' names no npm package; use npm:<name>[@version]`);
    return { kind: 'npm', spec };
  }
  if (isGitUrl(source)) {
    const hash = source.indexOf('#');
    const url = (hash < 0 ? source : source.slice(0, hash)).replace(/^git\+/, '');
    const ref = hash < 0 ? undefined : source.slice(hash + 1);
    return { kind: 'git', url, ...(ref ? { ref } : {}) };
  }
  return { kind: 'local', path: resolve(cwd, source) };
}

function isGitUrl(source: string): boolean {
  return /^(git\+|https?:\/\/|file:\/\/|ssh:\/\/|git:\/\/|git@)/.test(source) || /\.git(#.*)?$/.test(source);
}
