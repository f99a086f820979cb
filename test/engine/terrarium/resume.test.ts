/**
 * `Terrarium.resume`: the recipe is applied again, then the runtime changes
 * saved in the file (a channel, a member and a wire added while it ran), and
 * every member continues its own conversation.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionError, SessionBusyError } from '../../../source/engine/errors.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import type { TopologyData } from '../../../source/engine/terrarium/topology.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { until } from '../../helpers/until.js';
import { RECIPE, requestsOf, teamModel } from './team-model.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-team-resume-'));
const build = { catalog: new ToolCatalog(), projectInstructions: false };

/** The graph with its sets in a fixed order (a resume may add things in another order; wires keep theirs). */
function normal(t: TopologyData) {
  const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
  const pairs = (list: Array<[string, string]>) => list.map((p) => p.join(' > ')).sort();
  return { creatures: byName(t.creatures), channels: byName(t.channels), listen: pairs(t.listen), send: pairs(t.send), wires: t.wires };
}

function recipeFolder(): string {
  const folder = join(dir(), 'crew');
  mkdirSync(folder);
  writeFileSync(join(folder, 'terrarium.yaml'), RECIPE);
  return folder;
}

describe('Terrarium.resume', () => {
  it('rebuilds the recipe and the runtime topology, and members remember their conversations', async () => {
    const folder = recipeFolder();
    const pwd = dir();
    const llm = teamModel();
    const t = await Terrarium.fromRecipe(folder, { pwd, sessionDir: join(pwd, 'sessions'), llm, build });
    t.addChannel('notes', { description: 'notes', type: 'queue' });
    await t.addCreature({ name: 'critic', system_prompt: 'I am critic.' }, { listen: ['notes'], canSend: ['chat'] });
    const wire = t.wireOutput('critic', 'writer');
    await t.getCreature('writer')!.run('remember the word apple');
    // The writer's output wire gives the editor a turn.
    await until(() => requestsOf(llm, 'editor').length === 1 && t.getCreature('editor')!.agent.state === 'idle', 'the editor taking its wired turn');
    await t.getCreature('critic')!.run('critique this');
    // ...and the critic's wire gives the writer one (system, two turns of two messages).
    await until(() => t.getCreature('writer')!.agent.messages.length === 5 && t.getCreature('writer')!.agent.state === 'idle', "the writer's wired turn");
    const before = normal(t.snapshot());
    const path = t.sessionPath as string;
    await t.shutdown();

    const llm2 = teamModel();
    const r = await Terrarium.resume(path, { llm: llm2, build });
    try {
      expect(r.name).toBe('crew');
      expect(normal(r.snapshot())).toEqual(before);
      expect(r.snapshot().wires.map((w) => w.id)).toContain(wire);
      expect(r.listCreatures().map((m) => m.name).sort()).toEqual(['critic', 'editor', 'writer']);
      // A second owner is refused while the team runs.
      await expect(Terrarium.resume(path, { llm: llm2, build })).rejects.toThrow(SessionBusyError);
      await r.getCreature('writer')!.run('which word?');
      const asked = requestsOf(llm2, 'writer')[0];
      expect(asked?.messages.slice(1).map((m) => contentText(m.content))).toEqual([
        'remember the word apple',
        'writer: got remember the word apple',
        '[output-wire from critic] critic: got critique this',
        'writer: got [output-wire from critic] critic: got critique this',
        'which word?',
      ]);
      const critic = r.getCreature('critic')!;
      expect(critic.agent.messages.slice(1).map((m) => contentText(m.content))).toEqual(['critique this', 'critic: got critique this']);
    } finally {
      await r.shutdown();
    }
  });

  it('refuses an agent session, naming it', async () => {
    const path = join(dir(), 'solo.kohakutr');
    const agent = await Agent.build({ name: 'solo', system_prompt: 'I am solo.' }, { llm: new ScriptedLLM([]), session: path, ...build });
    await agent.stop();
    await expect(Terrarium.resume(path)).rejects.toThrow(SessionError);
    await expect(Terrarium.resume(path)).rejects.toThrow(/solo, not of a terrarium/);
  });
});

describe('Terrarium.resume, rebuilding what is gone', () => {
  it('rebuilds a run-time member from its saved config when its folder is gone, and an inline recipe from the copy the file keeps', async () => {
    const pwd = dir();
    const folder = join(pwd, 'helper');
    mkdirSync(folder);
    writeFileSync(join(folder, 'config.yaml'), 'name: helper\nsystem_prompt: I am helper.\n');
    const llm = teamModel();
    const recipe = { name: 'inline', creatures: [{ name: 'solo', system_prompt: 'I am solo.' }] };
    const t = await Terrarium.fromRecipe(recipe, { pwd, sessionDir: pwd, llm, build });
    // A graph (and file) of its own, until the wire joins it to solo's: then the merged file holds both.
    await t.addCreature(folder, { name: 'aide' });
    t.wireOutput('aide', 'solo');
    await t.getCreature('aide')!.run('note 42');
    const path = t.sessionPath as string;
    await t.shutdown();
    rmSync(folder, { recursive: true });

    const r = await Terrarium.resume(path, { llm: teamModel(), build });
    try {
      expect(r.name).toBe('inline');
      expect(r.listCreatures().map((m) => m.name)).toEqual(['solo', 'aide']);
      const aide = r.getCreature('aide')!;
      expect(contentText(aide.agent.messages[0]?.content ?? '')).toMatch(/^I am helper\./);
      expect(aide.agent.messages.slice(1).map((m) => contentText(m.content))).toEqual(['note 42', 'helper: got note 42']);
    } finally {
      await r.shutdown();
    }
  });

  it('creates no file when the first member fails to build', async () => {
    const pwd = dir();
    const sessions = join(pwd, 'sessions');
    const t = new Terrarium({ name: 'crew', pwd, sessionDir: sessions, llm: teamModel(), build });
    await expect(t.addCreature({ name: 'bad', system_prompt: 'x', tools: ['no_such_tool'] })).rejects.toThrow(/no_such_tool/);
    expect(t.sessionPath).toBeUndefined();
    expect(existsSync(sessions) ? readdirSync(sessions).filter((f) => f.endsWith('.kohakutr')) : []).toEqual([]);
    await t.addCreature({ name: 'good', system_prompt: 'I am good.' });
    expect(t.sessionPath).toBeDefined();
    await t.shutdown();
  });
});
