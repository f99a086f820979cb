/**
 * `replaySession` on a terrarium session: a three-member team recorded with
 * a scripted model (a person's turn, a channel message, an output wire)
 * replays equal — every member served its own recorded responses, channel-
 * and wire-started turns given as recorded — and a changed member prompt is
 * a divergence that names the member.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerBuiltinTools } from '../../../source/builtins/tools/index.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { until } from '../../helpers/until.js';

const catalog = new ToolCatalog();
registerBuiltinTools(catalog);
const build = { catalog, projectInstructions: false };

const RECIPE = {
  name: 'crew',
  channels: { chat: 'team talk' },
  creatures: [
    { name: 'writer', system_prompt: 'I am writer.', channels: { listen: [], can_send: ['chat'] }, output_wiring: ['editor'] },
    { name: 'editor', system_prompt: 'I am editor.', channels: { listen: ['chat'] } },
    { name: 'critic', system_prompt: 'I am critic.', channels: { listen: ['chat'] } },
  ],
};

/** The writer posts on chat, then answers; the others answer `<name>: got <what they heard>`. */
function teamModel(): ScriptedLLM {
  const step = (request: LLMRequest) => {
    const who = /I am (\w+)\./.exec(contentText(request.messages.find((m) => m.role === 'system')?.content ?? ''))?.[1] ?? '?';
    const last = request.messages.at(-1);
    if (who === 'writer' && last?.role === 'user') return { toolCalls: [{ name: 'send_channel', args: { channel: 'chat', message: 'the draft is ready' } }] };
    if (who === 'writer') return { text: 'writer: posted the draft' };
    return { text: `${who}: got ${last ? contentText(last.content) : ''}` };
  };
  return new ScriptedLLM(Array.from({ length: 20 }, () => step));
}

async function record(): Promise<string> {
  const pwd = mkdtempSync(join(tmpdir(), 'kt-replay-team-'));
  const sessions = join(pwd, 'sessions');
  const llm = teamModel();
  const team = await Terrarium.fromRecipe(RECIPE, { pwd, sessionDir: sessions, llm, build });
  await team.getCreature('writer')!.run('write the draft');
  // The chat message gives the editor and the critic a turn each; the writer's wire gives the editor another.
  const ended = (name: string) => team.getCreature(name)!.agent.messages.filter((m) => m.role === 'assistant').length;
  await until(() => ended('editor') === 2 && ended('critic') === 1 && team.listCreatures().every((m) => m.agent.state === 'idle'), 'the team to settle');
  await team.shutdown();
  return join(sessions, readdirSync(sessions).find((f) => f.endsWith('.kohakutr'))!);
}

describe('kt replay --check on a terrarium session', () => {
  it('every member replays equal: its own responses, channel and wire turns given as recorded', async () => {
    const path = await record();
    for (const tools of ['rerun', 'recorded'] as const) {
      const report = await replaySession(path, { build, tools });
      expect(report.divergences.map(formatDivergence)).toEqual([]);
      expect(report.creatures.map((c) => [c.name, c.replayed.turns, c.replayed.toolCalls, c.extraCalls.length, Object.keys(c.unserved).length])).toEqual([
        ['writer', 1, 1, 0, 0],
        ['editor', 2, 0, 0, 0],
        ['critic', 1, 0, 0, 0],
      ]);
    }
  });

  it('a changed member prompt is a divergence naming the member', async () => {
    const path = await record();
    const changed = { ...RECIPE, creatures: RECIPE.creatures.map((c) => (c.name === 'critic' ? { ...c, system_prompt: 'I am critic.\nBe harsh.' } : c)) };
    const report = await replaySession(path, { build, recipe: changed });
    expect(report.ok).toBe(false);
    expect(report.divergences).toHaveLength(1);
    expect(report.divergences[0]).toMatchObject({ creature: 'critic', kind: 'prompt' });
    const text = formatDivergence(report.divergences[0]!);
    expect(text).toContain('first divergence (creature critic): the system prompt differs');
    expect(text).toContain('+ Be harsh.');
  });
});
