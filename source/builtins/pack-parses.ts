/**
 * The bundled pack's YAML, parsed at build time (engine/util/known-yaml.ts).
 * From the sources this is empty and every file is parsed when read;
 * `npm run build` replaces this module in the bundles with the table it
 * made from source/builtins/kt-biome (scripts/pack-parses.mjs).
 */
import type { KnownYamlTable } from '../engine/util/known-yaml.js';

export const packParses: KnownYamlTable = {};
