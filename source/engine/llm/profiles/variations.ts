/**
 * Variations: `preset@group=option[,group=option]` or `preset@option`,
 * e.g. `claude-sonnet-5@reasoning=low` or `gpt-5.5@fast`. A variation may
 * only patch a few fields (temperature, reasoning effort, limits, and
 * `extra_body` paths), and two selections may not patch the same one.
 */
import { ConfigError, type ConfigLocation } from '../../errors.js';
import { didYouMean } from '../../util/close-match.js';
import type { Preset } from './types.js';

export interface Selector {
  base: string;
  /** group → option; group '' means "find the group that has this option". */
  selections: Array<[string, string]>;
}

export function parseSelector(spec: string): Selector {
  const at = spec.indexOf('@');
  if (at < 0) return { base: spec, selections: [] };
  const selections = spec
    .slice(at + 1)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): [string, string] => {
      const eq = part.indexOf('=');
      return eq < 0 ? ['', part] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    });
  return { base: spec.slice(0, at), selections };
}

/** The preset with the selected variations applied, and the canonical `@group=option,...` suffix. */
export function applyVariations(preset: Preset, selections: Array<[string, string]>, where: ConfigLocation): { preset: Preset; suffix: string } {
  if (!selections.length) return { preset, suffix: '' };
  const groups = preset.variationGroups ?? {};
  const groupNames = Object.keys(groups);
  if (!groupNames.length) throw new ConfigError(`${preset.provider}/${preset.name} has no variations`, where);
  const chosen: Array<[string, string]> = [];
  for (const [group, option] of selections) {
    let g = group;
    if (!g) {
      const owners = groupNames.filter((name) => option in (groups[name] ?? {}));
      if (owners.length !== 1) {
        const all = groupNames.flatMap((name) => Object.keys(groups[name] ?? {}));
        throw new ConfigError(
          owners.length
            ? `'${option}' is an option of several groups (${owners.join(', ')}); write group=${option}`
            : `unknown variation '${option}' for ${preset.provider}/${preset.name}${didYouMean(option, all)}; options: ${describe(groups)}`,
          where,
        );
      }
      g = owners[0] as string;
    }
    if (!(g in groups)) throw new ConfigError(`unknown variation group '${g}'${didYouMean(g, groupNames)}; groups: ${groupNames.join(', ')}`, where);
    if (!(option in (groups[g] ?? {}))) {
      throw new ConfigError(`unknown option '${option}' in group '${g}'; options: ${Object.keys(groups[g] ?? {}).join(', ')}`, where);
    }
    chosen.push([g, option]);
  }
  const touched = new Map<string, string>();
  let patched: Preset = { ...preset, ...(preset.extraBody ? { extraBody: structuredClone(preset.extraBody) } : {}) };
  for (const [group, option] of chosen) {
    for (const [path, value] of Object.entries(groups[group]?.[option] ?? {})) {
      const previous = touched.get(path);
      if (previous && previous !== group) throw new ConfigError(`variations '${previous}' and '${group}' both change '${path}'`, where);
      touched.set(path, group);
      patched = patch(patched, path, value, where);
    }
  }
  const suffix = `@${chosen.map(([g, o]) => `${g}=${o}`).join(',')}`;
  return { preset: patched, suffix };
}

function patch(preset: Preset, path: string, value: unknown, where: ConfigLocation): Preset {
  switch (path) {
    case 'temperature':
      return { ...preset, temperature: value as number };
    case 'reasoning_effort':
      return { ...preset, reasoningEffort: value as string };
    case 'max_context':
      return { ...preset, maxContext: value as number };
    case 'max_output':
      return { ...preset, maxOutput: value as number };
    case 'extra_body':
      return { ...preset, extraBody: { ...preset.extraBody, ...(value as Record<string, unknown>) } };
  }
  if (!path.startsWith('extra_body.')) throw new ConfigError(`a variation may not change '${path}'`, where);
  const extraBody: Record<string, unknown> = preset.extraBody ?? {};
  const keys = path.split('.').slice(1);
  let node = extraBody;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {}) as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
  return { ...preset, extraBody };
}

function describe(groups: NonNullable<Preset['variationGroups']>): string {
  return Object.entries(groups)
    .map(([g, options]) => `${g}=${Object.keys(options).join('|')}`)
    .join('; ');
}
