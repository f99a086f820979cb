/**
 * `kt terrarium info` draws the graph from the recipe alone; it must be the
 * graph the engine builds. Checked on the bundled teams against a real
 * terrarium built (not started) from the same recipe.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../source/builtins/index.js';
import { recipeTopology } from '../../source/cli/terrarium/info.js';
import { applyRecipe } from '../../source/engine/terrarium/recipe-apply.js';
import { loadRecipe } from '../../source/engine/terrarium/recipe.js';
import { Terrarium } from '../../source/engine/terrarium/terrarium.js';
import type { TopologyData } from '../../source/engine/terrarium/topology.js';
import { ScriptedLLM } from '../../source/testing/scripted-llm.js';

installBuiltins();

const comparable = (graph: TopologyData) => ({
  creatures: graph.creatures,
  channels: [...graph.channels].sort((a, b) => a.name.localeCompare(b.name)),
  listen: [...graph.listen].map((e) => e.join(' ')).sort(),
  send: [...graph.send].map((e) => e.join(' ')).sort(),
  wires: graph.wires.map(({ id: _id, prompt: _p, promptFormat: _f, ...rest }) => rest),
});

describe('kt terrarium info', () => {
  for (const name of ['swe_team', 'pair_programming', 'deep_research']) {
    it(`draws the graph the engine builds for @kt-biome/terrariums/${name}`, async () => {
      const recipe = loadRecipe(`@kt-biome/terrariums/${name}`);
      await using team = new Terrarium({ name: recipe.name, pwd: mkdtempSync(join(tmpdir(), 'kt-info-')), build: { projectInstructions: false } });
      await applyRecipe(team, recipe, { llm: new ScriptedLLM([]), start: false });
      expect(comparable(recipeTopology(recipe))).toEqual(comparable(team.snapshot()));
    });
  }
});
