/**
 * Loading a user's module named in a config (a custom tool or plugin): the
 * path is relative to the config file's folder, and a module that fails to
 * load is a ConfigError naming the file, the entry's line and the reason.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type ConfigLocation } from '../errors.js';

export async function importModule(folder: string, module: string, origin: ConfigLocation, what: 'tool' | 'plugin' | 'trigger' | 'input' | 'output'): Promise<{ path: string; exports: Record<string, unknown> }> {
  const path = resolve(folder, module);
  try {
    return { path, exports: (await import(pathToFileURL(path).href)) as Record<string, unknown> };
  } catch (error) {
    throw new ConfigError(`cannot load ${what} module ${path}: ${(error as Error).message}`, origin, { cause: error });
  }
}
