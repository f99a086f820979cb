/**
 * `kohaku.yaml`: what a package is and what it contributes. One schema for
 * every reader (install, list, extensions, prompt fragments). Errors name the
 * manifest file, the key path and its line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// The two functions used, not semver's index, which loads all its ~50 modules.
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import { z } from 'zod';
import { knownValidation } from '../util/known-yaml.js';
import { lazySchema } from '../util/lazy-schema.js';
import { ManifestError } from './errors.js';
import { readManifestYaml } from './manifest-yaml.js';

export const MANIFEST_NAMES = ['kohaku.yaml', 'kohaku.yml'] as const;

/** The kind under which engine/util/known-yaml.ts holds manifests validated at build time. */
export const MANIFEST_VALID_KIND = 'manifest-valid';

/** The version `kt_version` ranges are checked against (package.json's, kept in step by a test). */
export const FRAMEWORK_VERSION = '0.1.0';

const PACKAGE_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

const named = () => ({ name: z.string().min(1), description: z.string().optional() });
const folderEntry = lazySchema(() => z.object({ ...named(), path: z.string().optional(), base: z.string().optional(), uses: z.array(z.string()).optional() }).passthrough());
/** A JS/TS module contributing one catalog entry; `export` names the export (default: `default`). */
const moduleEntry = lazySchema(() => z
  .object({ ...named(), module: z.string().min(1), export: z.string().optional(), options: z.record(z.string(), z.unknown()).optional(), override: z.boolean().optional() })
  .strict());
const ioEntry = lazySchema(() => moduleEntry.extend({ kind: z.enum(['input', 'output']) }).strict());
const fragment = lazySchema(() => z.object({ name: z.string().min(1), path: z.string().min(1) }).strict());

export const manifestSchema = lazySchema(() => z
  .object({
    name: z.string().regex(PACKAGE_NAME, 'letters, digits, dot, dash or underscore, starting with a letter or digit'),
    version: z.union([z.string(), z.number()]).transform(String).optional(),
    description: z.string().optional(),
    author: z.string().optional(),
    license: z.string().optional(),
    repository: z.string().optional(),
    creatures: z.array(folderEntry).optional(),
    terrariums: z.array(folderEntry).optional(),
    tools: z.array(moduleEntry).optional(),
    plugins: z.array(moduleEntry).optional(),
    triggers: z.array(moduleEntry).optional(),
    io: z.array(ioEntry).optional(),
    skills: z.array(z.object({ ...named(), path: z.string().min(1) }).strict()).optional(),
    prompts: z.array(fragment).optional(),
    templates: z.array(fragment).optional(),
    framework_hints: z.record(z.string(), z.string()).optional(),
    framework_hint_overrides: z.record(z.string(), z.string()).optional(),
    llm_presets: z.array(z.object({ name: z.string().min(1) }).passthrough()).optional(),
    npm_dependencies: z.array(z.string().min(1)).optional(),
    kt_version: z
      .string()
      .refine((range) => validRange(range) !== null, 'not a version range (examples: ">=0.1 <1", "^0.1.0")')
      .optional(),
  })
  .passthrough());

export type Manifest = z.infer<typeof manifestSchema>;
export type ModuleEntry = z.infer<typeof moduleEntry>;
export type IoEntry = z.infer<typeof ioEntry>;

/** The manifest file of a package folder, if it has one. */
export function manifestFile(root: string): string | undefined {
  return MANIFEST_NAMES.map((name) => join(root, name)).find((file) => existsSync(file));
}

/** Read and validate `<root>/kohaku.yaml`; a ManifestError names file, key and line. */
export interface ReadManifest {
  file: string;
  manifest: Manifest;
  /** The line of a key path in the file, for errors found later (a module that fails to load). */
  lineOf(keyPath: ReadonlyArray<string | number>): number | undefined;
}

export function readManifest(root: string): ReadManifest {
  const file = manifestFile(root);
  if (!file) throw new ManifestError(`no kohaku.yaml in ${root}`, { file: join(root, 'kohaku.yaml') }, { hint: 'a package folder needs a kohaku.yaml with at least name:' });
  const source = readManifestYaml(file);
  // The bundled pack's manifest was validated at build time (engine/util/known-yaml.ts).
  const known = knownValidation<Manifest>(MANIFEST_VALID_KIND, source.data ?? {});
  if (known) return { file, manifest: known, lineOf: source.lineOf };
  // jitless: validated once, so compiling zod's fast path (new Function per object schema) costs more than it saves.
  const parsed = manifestSchema.safeParse(source.data ?? {}, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keyPath = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const line = source.lineOf(keyPath);
    throw new ManifestError(issue.message, { file, keyPath, ...(line ? { line } : {}) });
  }
  return { file, manifest: parsed.data, lineOf: source.lineOf };
}

/** Throw when the manifest's `kt_version` range excludes this framework. */
export function checkFrameworkVersion(manifest: Manifest, file: string, line?: number, version = FRAMEWORK_VERSION): void {
  const range = manifest.kt_version;
  if (range && !satisfies(version, range, { includePrerelease: true })) {
    throw new ManifestError(`package '${manifest.name}' needs kt ${range}; this is kt ${version}`, { file, keyPath: ['kt_version'], ...(line ? { line } : {}) });
  }
}
