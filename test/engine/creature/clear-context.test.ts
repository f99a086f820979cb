/** `/clear` in the engine: a fresh conversation from the next turn, logged so a resume (and a replay without snapshot) continues from it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { ConversationFold } from '../../../source/engine/session/replay.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-clear-'));

describe('agent.clearContext()', () => {
  it('drops every message but the system prompt, logs context.cleared, and resume replays it', async () => {
    const session = join(dir(), 'clear.kohakutr');
    const seen: LLMRequest[] = [];
    const reply = (text: string) => (request: LLMRequest) => {
      seen.push(request);
      return { text };
    };
    const agent = await Agent.build({ name: 'fresh', system_prompt: 'Be brief.' }, { llm: new ScriptedLLM([reply('one'), reply('two')]), pwd: dir(), catalog: new ToolCatalog(), session });
    await agent.run('remember walnut');
    expect(agent.clearContext()).toBe(2);
    expect(agent.messages.map((m) => m.role)).toEqual(['system']);
    await agent.run('what word?');
    // The model never sees the cleared turn.
    expect(seen[1]!.messages.slice(1).map((m) => m.content)).toEqual(['what word?']);
    await agent.stop();

    const store = SessionStore.open(session, { readonly: true });
    try {
      const events = [...store.events()];
      expect(events.filter((e) => e.event.type === 'context.cleared').map((e) => e.event)).toMatchObject([{ removedMessages: 2 }]);
      // Replay of the whole log (no snapshot) gives the same conversation; the log keeps the first turn.
      const fold = new ConversationFold([1, 1]);
      for (const stored of events) fold.add(stored);
      expect(fold.messages.slice(1).map((m) => m.content)).toEqual(['what word?', 'two']);
      expect(events.some((e) => e.event.type === 'turn.start' && e.event.input === 'remember walnut')).toBe(true);
    } finally {
      store.close();
    }

    const again = await Agent.build({ name: 'fresh', system_prompt: 'Be brief.' }, { llm: new ScriptedLLM([{ text: 'three' }]), pwd: dir(), catalog: new ToolCatalog(), session });
    expect(again.messages.slice(1).map((m) => m.content)).toEqual(['what word?', 'two']);
    await again.stop();
  });

  it('refuses while a turn runs', async () => {
    const agent = await Agent.build({ name: 'busy' }, { llm: new ScriptedLLM([{ hang: true }]), pwd: dir(), catalog: new ToolCatalog() });
    const started = new Promise<void>((resolve) => agent.on('turn.start', () => resolve()));
    const turn = agent.run('slow');
    await started;
    expect(() => agent.clearContext()).toThrow(/cannot clear the context while a turn is running/);
    agent.interrupt();
    await turn;
    await agent.stop();
  });
});
