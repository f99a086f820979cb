/**
 * Is the thing `kt run` was given a terrarium recipe rather than a creature?
 * Answered with the file system alone for the usual cases (a folder holding
 * terrarium.yaml or recipe.yaml and no config.yaml, a file named so), so a
 * plain creature run does not load the terrarium engine; only another YAML
 * file outside a creature folder is read to look for a `creatures:` list.
 * A package reference is a recipe when it points into the package's terrariums/.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const RECIPE_NAMES = ['terrarium.yaml', 'terrarium.yml', 'recipe.yaml', 'recipe.yml'];
const CREATURE_NAMES = ['config.yaml', 'config.yml'];

/** The recipe path when `ref` is one, else undefined. */
export async function recipeAt(ref: string, cwd = process.cwd()): Promise<string | undefined> {
  // A package's recipes live under terrariums/ (@kt-biome/terrariums/swe_team); its creatures elsewhere.
  if (ref.startsWith('@')) return /^@[^/]+\/terrariums\/[^/]/.test(ref) ? ref : undefined;
  const path = resolve(cwd, ref);
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) {
    if (CREATURE_NAMES.some((name) => existsSync(join(path, name)))) return undefined;
    return RECIPE_NAMES.some((name) => existsSync(join(path, name))) ? path : undefined;
  }
  const name = basename(path);
  if (RECIPE_NAMES.includes(name)) return path;
  if (CREATURE_NAMES.includes(name) || !/\.ya?ml$/.test(name)) return undefined;
  const { findRecipeFile } = await import('../../engine/terrarium/recipe.js');
  return findRecipeFile(path);
}
