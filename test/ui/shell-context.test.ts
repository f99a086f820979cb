/**
 * `!cmd` output reaches the model: the next message carries each command and
 * its output as `<bash-input>`/`<bash-stdout>` blocks, once, while the
 * transcript shows the message as typed (live and on resume).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../source/engine/creature/agent.js';
import { contentText } from '../../source/engine/llm/messages.js';
import { SessionReader } from '../../source/engine/session/reader.js';
import { ToolCatalog } from '../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../source/testing/scripted-llm.js';
import { submitLine } from '../../source/ui/components/submit-line.js';
import { AgentSlot } from '../../source/ui/state/agent-slot.js';
import { withHistory } from '../../source/ui/state/history-items.js';
import { ViewStore } from '../../source/ui/state/store.js';
import { initialView } from '../../source/ui/state/view.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-shell-'));

describe('!cmd output as context', () => {
  it('goes to the model with the next message only, and the transcript shows the message as typed', async () => {
    const path = join(dir(), 'shell.kohakutr');
    const llm = new ScriptedLLM([{ text: 'I see the failure.' }, { text: 'ok' }]);
    const agent = await Agent.build({ name: 'keeper', system_prompt: 'You keep things.' }, { llm, tools: [], catalog: new ToolCatalog(), pwd: dir(), session: path });
    const store = new ViewStore(initialView(), { safeSplit: () => 0, maxLiveLines: 50, frameMs: 0 });
    agent.on(store.dispatch);
    const slot = new AgentSlot(agent);
    const notes: string[] = [];
    const context = { slot, store, note: (text: string) => notes.push(text), onExit: () => undefined };
    const ended = () => new Promise<void>((resolve) => agent.on('turn.end', () => resolve()));

    await submitLine('!echo first; echo FAIL >&2; exit 3', context);
    await submitLine('!echo second', context);
    expect(notes[0]).toContain('$ echo first');
    expect(llm.calls).toHaveLength(0);

    let done = ended();
    await submitLine('fix that', context);
    await done;
    const sent = contentText(llm.calls[0]!.messages.at(-1)!.content as string);
    expect(sent).toBe(
      '<bash-input>echo first; echo FAIL >&2; exit 3</bash-input>\n<bash-stdout>first\nFAIL\n(exit 3)</bash-stdout>\n' +
        '<bash-input>echo second</bash-input>\n<bash-stdout>second</bash-stdout>\n\nfix that',
    );
    done = ended();
    await submitLine('thanks', context);
    await done;
    // Told once: the next message goes alone.
    expect(llm.calls[1]!.messages.at(-1)!.content).toBe('thanks');
    store.flush();
    expect(store.getState().committed.filter((i) => i.kind === 'user').map((i) => (i.kind === 'user' ? i.text : ''))).toEqual(['fix that', 'thanks']);
    await agent.stop();

    using reader = new SessionReader(path);
    const resumed = withHistory(initialView(), reader.turns());
    expect(resumed.committed.filter((i) => i.kind === 'user').map((i) => (i.kind === 'user' ? i.text : ''))).toEqual(['fix that', 'thanks']);
  });
});
