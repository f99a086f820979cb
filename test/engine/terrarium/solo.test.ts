/**
 * A creature run on its own grows a team around itself: the first
 * group_add_node makes the terrarium (on the creature's own hub), the helper
 * answers over group_send, and the answer reaches the creature as a turn.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerBuiltinTools } from '../../../source/builtins/tools/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SOLO_TOOLS } from '../../../source/engine/terrarium/group-tools.js';
import { soloTeam } from '../../../source/engine/terrarium/solo.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

describe('a solo creature', () => {
  it('adds a helper on first need, and the helper\'s reply comes back as a channel turn', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-solo-'));
    mkdirSync(join(pwd, 'helper'));
    writeFileSync(join(pwd, 'helper', 'config.yaml'), 'name: helper\nsystem_prompt: You count.\n');
    const catalog = new ToolCatalog();
    registerBuiltinTools(catalog);
    const helperModel = new ScriptedLLM([{ toolCalls: [{ name: 'group_send', args: { to: 'boss', message: '1 2 3' } }] }, { text: 'sent' }]);
    const team = soloTeam('boss', { llm: helperModel, build: { catalog, projectInstructions: false } });
    const bossModel = new ScriptedLLM([
      { toolCalls: [{ name: 'group_status', args: {} }] },
      { toolCalls: [{ name: 'group_add_node', args: { config: './helper' } }] },
      { toolCalls: [{ name: 'group_send', args: { to: 'helper', message: 'count to 3' } }] },
      { text: 'asked the helper' },
      { text: 'the helper counted: 1 2 3' },
    ]);
    await using boss = await Agent.build({ name: 'boss', tools: [...SOLO_TOOLS] }, { llm: bossModel, pwd, catalog, group: team.control, projectInstructions: false });
    team.bind(boss);
    const turns: string[] = [];
    const second = new Promise<void>((resolve) => boss.on('turn.start', (e) => turns.push(String(e.input)) === 2 && resolve()));
    const first = await boss.run('get the helper to count');
    expect(first.toolCalls.map((c) => [c.name, c.isError])).toEqual([
      ['group_status', false],
      ['group_add_node', false],
      ['group_send', false],
    ]);
    // Before the team existed, status showed the creature alone.
    expect(first.toolCalls[0]!.output).toContain('boss');
    await second;
    expect(turns[1]).toBe("[Channel 'boss' from helper]: 1 2 3");
    await team.shutdown();
  });
});
