/**
 * Installing, updating and removing packages. Every install is staged in a
 * private temporary folder (fetched, manifest checked, `kt_version` checked,
 * checksum checked, npm dependencies installed, modules imported) and only
 * then renamed into `<config home>/packages/<name>`: a failure at any step
 * leaves the packages folder as it was.
 */
import { chmodSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packagesHome, PRIVATE_DIR_MODE, writePrivateFile, type Env } from '../home.js';
import { UsageError } from '../errors.js';
import { packageDigest } from './digest.js';
import { PackageInstallError, ManifestError } from './errors.js';
import { importManifestModules } from './check-modules.js';
import { cloneGit, copyFolder, installNpm, installNpmDependencies } from './fetch.js';
import { withInstallLock } from './lock.js';
import { checkFrameworkVersion, readManifest } from './manifest.js';
import { chooseVersion, findEntry, loadIndex, versionSource } from './marketplace.js';
import { parsePackageRef, resolvePackage } from './registry.js';
import { parseSource, type PackageSource } from './sources.js';
import { commitStaged, linkPath, readRecord, removeInstalled, stagingDir, writeRecord, type InstallRecord } from './store.js';

export interface InstallOptions {
  env?: Env;
  /** Where a relative folder source starts (default: the process cwd). */
  cwd?: string;
  /** Link the folder instead of copying it (`kt install -e`). */
  editable?: boolean;
  /** Install under this name instead of the manifest's. */
  name?: string;
  /** Replace a package already installed under the name. */
  replace?: boolean;
  /** One line per step, for progress output. */
  onProgress?: (step: string) => void;
  /** Warnings that do not stop the install (a stale marketplace cache). */
  onWarning?: (message: string) => void;
}

export interface InstalledPackage {
  name: string;
  version?: string;
  root: string;
  editable: boolean;
  source: string;
}

export async function installPackage(sourceText: string, options: InstallOptions = {}): Promise<InstalledPackage> {
  const env = options.env ?? process.env;
  return withInstallLock(env, () => installUnlocked(sourceText, options));
}

async function installUnlocked(sourceText: string, options: InstallOptions): Promise<InstalledPackage> {
  const env = options.env ?? process.env;
  const progress = options.onProgress ?? (() => {});
  const source = parseSource(sourceText, options.cwd);
  if (options.editable) return linkEditable(source, sourceText, options);

  const staging = stagingDir(env);
  const content = join(staging, 'package');
  try {
    const fetched = await fetchInto(source, staging, content, options);
    const { file, manifest, lineOf } = readManifest(content);
    checkFrameworkVersion(manifest, file, lineOf(['kt_version']));
    const name = options.name ?? fetched.name ?? manifest.name;
    checkName(name);
    const existing = resolvePackage(name, env);
    if (existing && existing.source !== 'bundled' && !options.replace) {
      throw new PackageInstallError(`package '${name}' is already installed (${existing.root})`, {}, { hint: `kt update ${name}, or kt uninstall ${name} first` });
    }
    if (fetched.sha256) {
      const digest = packageDigest(content);
      if (digest !== fetched.sha256.toLowerCase()) {
        throw new PackageInstallError(`checksum mismatch for '${name}': the marketplace index says sha256 ${fetched.sha256}, the download is ${digest}`, {}, { hint: 'the package changed since it was listed; nothing was installed' });
      }
    }
    if (manifest.npm_dependencies?.length) {
      progress(`installing npm dependencies: ${manifest.npm_dependencies.join(' ')}`);
      await installNpmDependencies(content, manifest.npm_dependencies, env);
    }
    progress('checking modules');
    await importManifestModules(content);
    const record: InstallRecord = { source: fetched.recordSource ?? sourceText, kind: source.kind, ...(manifest.version ? { version: manifest.version } : {}), installedAt: new Date().toISOString() };
    writeRecord(content, record);
    chmodSync(content, PRIVATE_DIR_MODE);
    const root = commitStaged(content, name, env);
    progress(`installed ${name}${manifest.version ? ` ${manifest.version}` : ''} → ${root}`);
    return { name, ...(manifest.version ? { version: manifest.version } : {}), root, editable: false, source: record.source };
  } catch (error) {
    throw unstaged(error, content, sourceText);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** An error about a file in the staging folder names the file in the source instead (the staged copy is gone). */
function unstaged(error: unknown, content: string, sourceText: string): unknown {
  if (!(error instanceof ManifestError) || !error.file?.startsWith(content)) return error;
  const swap = (text: string) => text.split(content).join(sourceText.replace(/[\\/]+$/, ''));
  return new ManifestError(swap(error.detail), { file: swap(error.file), ...(error.keyPath ? { keyPath: error.keyPath } : {}), ...(error.line ? { line: error.line } : {}) }, { cause: error.cause, ...(error.hint ? { hint: error.hint } : {}) });
}

interface Fetched {
  /** The marketplace's name for the package, which wins over the manifest's. */
  name?: string;
  sha256?: string;
  /** What update should fetch again (a marketplace install updates from `@name`). */
  recordSource?: string;
}

async function fetchInto(source: PackageSource, staging: string, content: string, options: InstallOptions): Promise<Fetched> {
  const progress = options.onProgress ?? (() => {});
  switch (source.kind) {
    case 'local':
      progress(`copying ${source.path}`);
      copyFolder(source.path, content);
      return {};
    case 'git':
      progress(`cloning ${source.url}${source.ref ? ` at ${source.ref}` : ''}`);
      await cloneGit(source.url, source.ref, content);
      return {};
    case 'npm': {
      progress(`installing ${source.spec} with npm`);
      const scratch = join(staging, 'npm');
      mkdirSync(scratch, { mode: 0o700 });
      await installNpm(source.spec, scratch, content, options.env ?? process.env);
      return {};
    }
    case 'marketplace': {
      const env = options.env ?? process.env;
      progress(`looking up @${source.name} in the marketplace`);
      const index = await loadIndex(env);
      if (index.warning) (options.onWarning ?? progress)(index.warning);
      const entry = findEntry(index, source.name);
      const version = chooseVersion(entry, source.version);
      const inner = parseSource(versionSource(index, version), options.cwd);
      if (inner.kind === 'marketplace') throw new PackageInstallError(`marketplace entry '@${entry.name}' ${version.version} points at another marketplace name (${version.source})`);
      progress(`@${entry.name} ${version.version}${version.yanked ? ' (yanked)' : ''}`);
      await fetchInto(inner, staging, content, options);
      return { name: entry.name, ...(version.sha256 ? { sha256: version.sha256 } : {}), recordSource: `@${entry.name}` };
    }
  }
}

async function linkEditable(source: PackageSource, sourceText: string, options: InstallOptions): Promise<InstalledPackage> {
  const env = options.env ?? process.env;
  if (source.kind !== 'local') throw new UsageError(`-e (editable) links a local folder; '${sourceText}' is a ${source.kind} source`);
  const { file, manifest, lineOf } = readManifest(source.path);
  checkFrameworkVersion(manifest, file, lineOf(['kt_version']));
  const name = options.name ?? manifest.name;
  checkName(name);
  const existing = resolvePackage(name, env);
  if (existing && existing.source !== 'bundled' && !options.replace) {
    throw new PackageInstallError(`package '${name}' is already installed (${existing.root})`, {}, { hint: `kt uninstall ${name} first` });
  }
  (options.onProgress ?? (() => {}))('checking modules');
  await importManifestModules(source.path);
  if (existing?.source === 'installed') removeInstalled(name, env);
  const link = linkPath(name, env);
  const tmp = `${link}.${process.pid}.tmp`;
  writePrivateFile(tmp, `${source.path}\n`);
  renameSync(tmp, link);
  return { name, ...(manifest.version ? { version: manifest.version } : {}), root: source.path, editable: true, source: source.path };
}

function checkName(name: string): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new ManifestError(`'${name}' cannot be a package name (letters, digits, dot, dash, underscore)`);
}

export async function uninstallPackage(name: string, env: Env = process.env): Promise<void> {
  const bare = name.replace(/^@/, '');
  await withInstallLock(env, async () => {
    if (!removeInstalled(bare, env)) {
      const bundled = resolvePackage(bare, env)?.source === 'bundled';
      throw new PackageInstallError(bundled ? `'${bare}' is bundled with kt and cannot be uninstalled` : `package '${bare}' is not installed (in ${packagesHome(env)})`, {}, { hint: 'kt list shows what is installed' });
    }
  });
}

export interface UpdateResult {
  name: string;
  status: 'updated' | 'unchanged' | 'skipped';
  from?: string;
  to?: string;
  reason?: string;
}

/** Fetch an installed package again from where it came from; editable links are skipped. */
export async function updatePackage(name: string, options: InstallOptions = {}): Promise<UpdateResult> {
  const env = options.env ?? process.env;
  const bare = name.replace(/^@/, '');
  const pkg = resolvePackage(bare, env);
  if (!pkg || pkg.source === 'bundled') throw new PackageInstallError(`package '${bare}' is not installed`, {}, { hint: `kt install <source> installs it` });
  if (pkg.source === 'linked') return { name: bare, status: 'skipped', reason: 'editable (linked)' };
  const record = readRecord(pkg.root);
  if (!record) return { name: bare, status: 'skipped', reason: 'no install record' };
  const updated = await installPackage(record.source, { ...options, name: bare, replace: true });
  const from = record.version;
  const to = updated.version;
  return { name: bare, status: from === to ? 'unchanged' : 'updated', ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * Make `@name` (or `@name/...`) resolve, installing it from the marketplace
 * when it does not. Safe to call concurrently from several processes: the
 * install lock serialises them and each re-checks under it.
 */
export async function ensurePackage(ref: string, options: InstallOptions = {}): Promise<InstalledPackage> {
  const env = options.env ?? process.env;
  const parsed = parsePackageRef(ref.startsWith('@') ? ref : `@${ref}`);
  if (!parsed) throw new UsageError(`'${ref}' is not a package reference; use @name`);
  const found = () => {
    const pkg = resolvePackage(parsed.name, env);
    return pkg && { name: pkg.name, root: pkg.root, editable: pkg.source === 'linked', source: pkg.source, ...(readRecord(pkg.root)?.version ? { version: readRecord(pkg.root)!.version! } : {}) };
  };
  const present = found();
  if (present) return present;
  return withInstallLock(env, async () => found() ?? installUnlocked(`@${parsed.name}`, options));
}
