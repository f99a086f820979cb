/** What can be started: the creatures and terrariums of installed and bundled packages. */
import { loadCreature, packages, type Env } from '../../index.js';
import { readFileSync } from 'node:fs';

export interface CatalogEntry {
  ref: string;
  name: string;
  package: string;
  source: string;
}

export async function listCatalog(env: Env): Promise<{ creatures: CatalogEntry[]; terrariums: CatalogEntry[]; errors: string[] }> {
  const all = await packages.list(env);
  const creatures: CatalogEntry[] = [];
  const terrariums: CatalogEntry[] = [];
  const errors: string[] = [];
  for (const p of all) {
    if (p.error) errors.push(`${p.name}: ${p.error}`);
    for (const name of p.creatures) creatures.push({ ref: `@${p.name}/creatures/${name}`, name, package: p.name, source: p.source });
    for (const name of p.terrariums) terrariums.push({ ref: `@${p.name}/terrariums/${name}`, name, package: p.name, source: p.source });
  }
  return { creatures, terrariums, errors };
}

/** A creature's resolved config, as the editor shows it. */
export function creatureConfig(ref: string, env: Env, cwd: string) {
  const def = loadCreature(ref, { env, cwd });
  return {
    ref,
    name: def.name,
    ...(def.description ? { description: def.description } : {}),
    ...(def.configFile ? { configFile: def.configFile, yaml: readFileSync(def.configFile, 'utf8') } : {}),
    layers: def.layers,
    ...((def.controller.llm ?? def.controller.model) ? { model: (def.controller.llm ?? def.controller.model) as string } : {}),
    tools: def.tools.map((t) => t.name),
    systemPrompt: def.systemPrompt,
  };
}
