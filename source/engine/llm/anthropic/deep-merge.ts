/**
 * Merging `extraBody` into the request body. Presets carry provider knobs
 * there (`output_config.format`, `thinking.display`, `metadata`, ...); a deep
 * merge lets them add one field to an object we built without restating it.
 */
import { deepMerge as mergeObjects } from '../../util/deep-merge.js';

type Json = Record<string, unknown>;

/**
 * `extra` merged into `base`, recursively for plain objects; arrays and
 * scalars replace. Two objects whose `type` differs are different variants
 * of a tagged union (`{type: 'adaptive'}` vs `{type: 'enabled', budget_tokens}`),
 * so the extra one replaces ours instead of blending into an invalid mix.
 * Neither input is modified.
 */
export function deepMerge(base: Json, extra: Json): Json {
  return mergeObjects(base, extra, sameVariant);
}

function sameVariant(a: Json, b: Json): boolean {
  return !('type' in a) || !('type' in b) || a['type'] === b['type'];
}
