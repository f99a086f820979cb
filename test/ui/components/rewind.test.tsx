/** /rewind in the app: the turn's message returns to the prompt; sending it replaces that turn as a new branch. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/index.js';
import { App } from '../../../source/ui/cli/app.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { frame } from '../../helpers/frames.js';
import { until } from '../../helpers/until.js';


describe('/rewind in the app', () => {
  it('puts turn 1 back in the prompt; the edited message replaces turns 1 and 2; Ctrl+C cancels a rewind', async () => {
    const llm = new ScriptedLLM([{ text: 'one' }, { text: 'two' }, { text: 'again' }]);
    const agent = await Agent.build({ name: 'ui-test' }, { llm, pwd: process.cwd() });
    const store = new ViewStore(initialView({ model: 'scripted' }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 });
    agent.on(store.dispatch);
    await agent.run('first question');
    await agent.run('second question');
    const app = render(<App slot={new AgentSlot(agent)} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
    await until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');

    app.stdin.write('/rewind 2\r');
    await frame(app, /│ › second question/);
    app.stdin.write('\u0003'); // Ctrl+C: no rewind after all
    await frame(app, /Rewind cancelled/);

    app.stdin.write('/rewind 1\r');
    await frame(app, /│ › first question/);
    const ended = new Promise<string>((resolve) => agent.on('turn.end', (e) => resolve(e.status)));
    app.stdin.write(', but shorter\r');
    expect(await ended).toBe('completed');
    expect(agent.livePath).toEqual([2]);
    expect(agent.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['first question, but shorter']);
    app.unmount();
    await agent.stop();
  });
});
