/**
 * Approvals in a team: every member — from the start or added while the team
 * runs — gets the host's setup (prepareMember: the approval mode), and a
 * member that is not focused waits for the person instead of being refused;
 * the focus moves to it so its question is shown.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installBuiltins } from '../../../source/builtins/index.js';
import { groupControl } from '../../../source/engine/terrarium/group-control.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { TeamStore } from '../../../source/ui/team/team-store.js';

installBuiltins();

const shell = tool({ name: 'shell', description: 'Pretend to run a command.', effect: 'execute', input: z.object({ cmd: z.string() }), execute: ({ cmd }) => `ran ${cmd}` });

describe('approvals in a team', () => {
  it('every member is prepared before it starts, hot-plugged ones too; an unfocused member asks and the focus moves to it', async () => {
    const prepared: string[] = [];
    const catalog = new ToolCatalog();
    catalog.register({ name: 'shell', description: shell.description, create: () => shell });
    await using team = new Terrarium({
      name: 'crew',
      pwd: mkdtempSync(join(tmpdir(), 'kt-team-ask-')),
      llm: new ScriptedLLM([], { defaultEntry: { text: 'ok' } }),
      build: { catalog, projectInstructions: false },
      prepareMember: async (member) => {
        prepared.push(member.name);
        await member.agent.setApprovalMode('default');
      },
    });
    await team.addCreature({ name: 'lead' }, { privileged: true });
    const worker = await team.addCreature({ name: 'worker', tools: ['shell'] }, { llm: new ScriptedLLM([{ toolCalls: [{ name: 'shell', args: { cmd: 'make' } }] }, { text: 'built' }]) });
    const store = new TeamStore(team, 'lead', () => new ViewStore(initialView({}), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 }));
    try {
      const asked = new Promise<void>((resolve) => worker.agent.on('interaction.request', () => resolve()));
      const turn = worker.run('build it');
      await asked;
      expect(store.getState().focus).toBe('worker');
      const [question] = worker.agent.interactions.open;
      expect(question).toMatchObject({ kind: 'approval', payload: { tool: 'shell' } });
      worker.agent.respond(question!.id, 'once');
      expect((await turn).toolCalls.map((c) => c.output)).toEqual(['ran make']);

      await groupControl(team, 'lead').addNode({ name: 'helper' } as never);
      expect(prepared).toEqual(['lead', 'worker', 'helper']);
    } finally {
      store.close();
    }
  });
});
