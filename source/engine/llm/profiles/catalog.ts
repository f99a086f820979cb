/**
 * Every backend and preset in one place: the built-ins, then the presets
 * installed packages bring (kohaku.yaml `llm_presets:`), then the user's
 * llm_profiles.yaml on top. A later layer's preset with the same provider
 * and name replaces the earlier one: user > package > built-in.
 */
import type { Env } from '../../home.js';
import type { ConfigWarning } from '../../config/validate.js';
import { BUILTIN_BACKENDS, BUILTIN_PRESETS } from './builtin.js';
import { readPackagePresets } from './package-presets.js';
import { readUserProfiles } from './store.js';
import type { Backend, Preset } from './types.js';

export class ModelCatalog {
  readonly backends = new Map<string, Backend>();
  readonly presets: Preset[] = [];
  defaultModel: string | undefined;
  profilesFile: string | undefined;
  warnings: ConfigWarning[] = [];

  /** Built-ins, the packages' presets, then the user's profiles from the config home. */
  static load(env: Env = process.env): ModelCatalog {
    const catalog = ModelCatalog.builtin();
    const user = readUserProfiles(env);
    catalog.profilesFile = user.file;
    catalog.defaultModel = user.defaultModel;
    // User backends first: a package preset may run on a provider the user defined.
    for (const backend of user.backends) catalog.backends.set(backend.name, backend);
    const packages = readPackagePresets(env, (name) => catalog.backends.has(name));
    catalog.warnings = [...user.warnings, ...packages.warnings];
    for (const preset of packages.presets) catalog.addPreset(preset);
    for (const preset of user.presets) catalog.addPreset(preset);
    return catalog;
  }

  static builtin(): ModelCatalog {
    const catalog = new ModelCatalog();
    for (const backend of BUILTIN_BACKENDS) catalog.backends.set(backend.name, backend);
    for (const preset of BUILTIN_PRESETS) catalog.presets.push(preset);
    return catalog;
  }

  /** Add a preset, replacing one with the same provider and name. */
  addPreset(preset: Preset): void {
    const at = this.presets.findIndex((p) => p.provider === preset.provider && p.name === preset.name);
    if (at >= 0) this.presets[at] = preset;
    else this.presets.push(preset);
  }

  preset(provider: string, name: string): Preset | undefined {
    return this.presets.find((p) => p.provider === provider && (p.name === name || p.aliases?.includes(name)));
  }

  /** Presets on any provider called `name` or aliased to it. */
  presetsNamed(name: string): Preset[] {
    return this.presets.filter((p) => p.name === name || p.aliases?.includes(name));
  }

  /** The preset serving this API model id (on `provider`, when given). */
  presetForModel(model: string, provider?: string): Preset | undefined {
    return this.presets.find((p) => p.model === model && (!provider || p.provider === provider));
  }

  /** Every name a user can type: preset names, aliases and `provider/name`. */
  names(): string[] {
    const names = new Set<string>();
    for (const p of this.presets) {
      names.add(p.name);
      names.add(`${p.provider}/${p.name}`);
      for (const alias of p.aliases ?? []) names.add(alias);
    }
    return [...names];
  }
}
