/**
 * The install-time check of a package's modules: each one the manifest lists
 * is imported (a module that throws fails the install) and must have the
 * export the entry names. The shape of the export is checked when the
 * modules register (engine/package-modules).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ManifestError } from './errors.js';
import { readManifest } from './manifest.js';

export async function importManifestModules(root: string): Promise<void> {
  const { file, manifest, lineOf } = readManifest(root);
  const groups = { tools: manifest.tools, plugins: manifest.plugins, triggers: manifest.triggers, io: manifest.io };
  for (const [key, entries] of Object.entries(groups)) {
    for (const [index, entry] of (entries ?? []).entries()) {
      const keyPath = [key, index, 'module'];
      const line = lineOf(keyPath);
      const where = { file, keyPath, ...(line ? { line } : {}) };
      const path = resolve(root, entry.module);
      let exports: Record<string, unknown>;
      try {
        exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (error) {
        throw new ManifestError(`package '${manifest.name}': cannot load ${key} module ${path}: ${(error as Error).message.split('\n')[0]}`, where, { cause: error });
      }
      const name = entry.export ?? 'default';
      if (exports[name] === undefined) throw new ManifestError(`package '${manifest.name}': module ${entry.module} has no export '${name}'`, where);
    }
  }
}
