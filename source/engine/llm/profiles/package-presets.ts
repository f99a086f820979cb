/**
 * LLM presets that packages bring: each entry of a kohaku.yaml's
 * `llm_presets:` list is a preset with the same fields as one in
 * llm_profiles.yaml, plus its `name` (and `provider`, default `openai`, as in
 * the file's flat layout). They are named as written, without a package
 * prefix, so `--llm <preset>` and `controller.llm: <preset>` pick them.
 *
 * A package is someone else's file the user cannot fix on the spot, so
 * nothing here throws: an entry that does not validate, names an unknown
 * provider or repeats another package's preset becomes a warning naming the
 * package, the file, the key and its line, and is left out.
 */
import { z } from 'zod';
import { lazySchema } from '../../util/lazy-schema.js';
import type { Env } from '../../home.js';
import type { ConfigWarning } from '../../config/validate.js';
import { checkFrameworkVersion, manifestFile, readManifest, type ReadManifest } from '../../packages/manifest.js';
import { knownPackages, resolvePackage } from '../../packages/registry.js';
import { presetSchema } from './schema.js';
import { toPreset } from './store.js';
import type { Preset } from './types.js';

const packagePresetSchema = lazySchema(() => presetSchema.extend({ name: z.string().min(1), description: z.string().optional() }));

export interface PackagePresets {
  presets: Preset[];
  warnings: ConfigWarning[];
}

/**
 * Presets of every known package (installed, linked, bundled), in package
 * name order. `hasProvider` says which providers exist (built-in and the
 * user's), so a preset on a missing one is reported now, not when used.
 */
export function readPackagePresets(env: Env, hasProvider: (name: string) => boolean): PackagePresets {
  const out: PackagePresets = { presets: [], warnings: [] };
  const owner = new Map<string, string>();
  for (const name of knownPackages(env)) {
    const pkg = resolvePackage(name, env);
    if (!pkg || !manifestFile(pkg.root)) continue;
    let read: ReadManifest;
    try {
      read = readManifest(pkg.root);
      checkFrameworkVersion(read.manifest, read.file);
    } catch {
      // A broken or incompatible package is reported where its modules load (Agent.build, kt list).
      continue;
    }
    for (const [index, raw] of (read.manifest.llm_presets ?? []).entries()) {
      const warn = (message: string, key: Array<string | number> = []) => {
        const keyPath = ['llm_presets', index, ...key];
        const line = read.lineOf(keyPath);
        out.warnings.push({ message: `package '${read.manifest.name}': ${message}`, file: read.file, keyPath, ...(line ? { line } : {}) });
      };
      // jitless: validated once, so compiling zod's fast path (new Function per object schema) costs more than it saves.
      const parsed = packagePresetSchema.safeParse(raw, { jitless: true });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
        warn(`LLM preset '${raw.name}' is left out: ${issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message}`, key);
        continue;
      }
      const { name: presetName, description: _description, ...entry } = parsed.data;
      const provider = entry.provider ?? 'openai';
      if (!hasProvider(provider)) {
        warn(`LLM preset '${presetName}' is left out: provider '${provider}' is not defined (add it with kt config provider add)`, ['provider']);
        continue;
      }
      const id = `${provider}/${presetName}`;
      const first = owner.get(id);
      if (first) {
        warn(`LLM preset '${id}' is left out: package '${first}' already defines it`, ['name']);
        continue;
      }
      owner.set(id, read.manifest.name);
      out.presets.push({ ...toPreset(provider, presetName, entry), package: read.manifest.name });
    }
  }
  return out;
}
