/**
 * Writing stored API keys, through `conf`: a JSON file in the config home
 * with mode 0600. A malformed file is reported, never silently cleared, so a
 * typo does not cost the user their keys.
 */
import type Conf from 'conf';
import { configHome, ensurePrivateDir, type Env } from '../home.js';
import { keysPath, readStoredKeys } from './keys.js';

export class KeyStore {
  private constructor(private readonly store: Conf<Record<string, string>>) {}

  static async open(env: Env = process.env): Promise<KeyStore> {
    readStoredKeys(env); // fail with a clear error before conf touches a malformed file
    // conf would create the config folder with the umask's mode; create it private first.
    ensurePrivateDir(configHome(env));
    const { default: ConfClass } = await import('conf');
    const store = new ConfClass<Record<string, string>>({
      cwd: configHome(env),
      configName: 'api_keys',
      projectName: 'kohakuterrarium',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
    });
    return new KeyStore(store);
  }

  get path(): string {
    return this.store.path;
  }

  get(provider: string): string | undefined {
    return this.store.get(provider);
  }

  set(provider: string, key: string): void {
    this.store.set(provider, key);
  }

  /** True when a key was stored. */
  delete(provider: string): boolean {
    if (!this.store.has(provider)) return false;
    this.store.delete(provider);
    return true;
  }

  entries(): Record<string, string> {
    return { ...this.store.store };
  }
}

export { keysPath };
