/**
 * Filling a staging folder from a source: copy a folder, clone a git
 * repository at a ref, or install an npm package. Failures are
 * PackageInstallErrors that say what was tried and why it failed.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../home.js';
import { PackageInstallError } from './errors.js';
import { isDirectory } from '../util/fs-probe.js';

/**
 * execa (over a hundred modules) loads the first time a program is run here,
 * not with this file. Only ever awaited here, so a promise of its result stands in for its subprocess.
 */
const execa = (async (...args: unknown[]) => ((await import('execa')).execa as (...a: unknown[]) => unknown)(...args)) as unknown as typeof import('execa').execa;

const NOT_COPIED = new Set(['.git', 'node_modules']);

export function copyFolder(from: string, into: string): void {
  if (!isDirectory(from)) throw new PackageInstallError(`no package folder at ${from}`, {}, { hint: 'a source is a folder, a git URL, npm:<name> or @name from the marketplace' });
  cpSync(from, into, { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(from.length + 1).split(/[\\/]/)[0] ?? '') });
}

export async function cloneGit(url: string, ref: string | undefined, into: string): Promise<void> {
  // No prompts for credentials: a URL that needs them fails with git's reason instead of hanging.
  const env = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo' };
  rmSync(into, { recursive: true, force: true });
  const cloned = await execa('git', ['clone', '--quiet', ...(ref ? [] : ['--depth', '1']), '--', url, into], { env, reject: false });
  if (cloned.exitCode !== 0) throw new PackageInstallError(`git clone ${url} failed: ${lastLine(cloned.stderr) || `exit ${cloned.exitCode}`}`);
  if (ref) {
    const checkout = await execa('git', ['-C', into, 'checkout', '--quiet', ref], { env, reject: false });
    if (checkout.exitCode !== 0) throw new PackageInstallError(`git ${url}: no branch, tag or commit '${ref}' (${lastLine(checkout.stderr)})`);
  }
}

/**
 * `npm:<spec>`: npm installs it into a scratch prefix; the package's own
 * folder becomes the package root and its dependencies its node_modules.
 */
export async function installNpm(spec: string, scratch: string, into: string, env: Env = process.env): Promise<void> {
  const result = await execa(npmCommand(), ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefix', scratch, spec], { reject: false, cwd: scratch, env: npmSettings(env) });
  if (result.exitCode !== 0) throw new PackageInstallError(`npm install ${spec} failed: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`);
  const modules = join(scratch, 'node_modules');
  const installed = installedName(scratch) ?? readdirSync(modules).find((n) => !n.startsWith('.'));
  if (!installed || !existsSync(join(modules, installed))) throw new PackageInstallError(`npm install ${spec} installed nothing`);
  rmSync(into, { recursive: true, force: true });
  renameSync(join(modules, installed), into);
  // What is left in node_modules are the package's dependencies.
  if (readdirSync(modules).some((n) => !n.startsWith('.'))) renameSync(modules, join(into, 'node_modules'));
}

/** `npm_dependencies` from the manifest, installed next to the package's modules. */
export async function installNpmDependencies(root: string, dependencies: readonly string[], env: Env = process.env): Promise<void> {
  if (!dependencies.length) return;
  // --prefix: without it npm installs into the nearest folder above holding a
  // node_modules or package.json (a ~/node_modules would do), not the package.
  // Only local tarballs and folders: nothing to fetch, so never touch the network.
  const local = dependencies.every(isLocalSpec);
  const args = ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--prefix', root, ...(local ? ['--offline'] : []), ...dependencies];
  const result = await execa(npmCommand(), args, { cwd: root, reject: false, env: npmSettings(env) });
  if (result.exitCode !== 0) throw new PackageInstallError(`npm_dependencies: npm install ${dependencies.join(' ')} failed: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`);
}

/** The npm next to the running node when there is one (the two belong together), else npm on PATH. */
function npmCommand(): string {
  const sibling = join(dirname(process.execPath), process.platform === 'win32' ? 'npm.cmd' : 'npm');
  return existsSync(sibling) ? sibling : 'npm';
}

/** npm reads its settings from `npm_config_*` variables; those of the install's environment reach it. */
function npmSettings(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => /^npm_config_/i.test(e[0]) && typeof e[1] === 'string'));
}

/** `file:` specs, and paths to a folder or a tarball. */
function isLocalSpec(spec: string): boolean {
  if (/^file:/i.test(spec)) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) return false; // a URL, git+ssh:, npm:, github: ...
  return /^(\.{0,2}\/|~\/|\/)/.test(spec) || /\.(tgz|tar\.gz)$/.test(spec);
}

function installedName(scratch: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {})[0];
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop()?.replace(/^(fatal|error|npm error|npm ERR!):?\s*/i, '') ?? '';
}
