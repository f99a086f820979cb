/**
 * The team screen with a real terrarium of two creatures on scripted models:
 * the roster, focus by Tab and by `@name`, `@name message` reaching that
 * member's agent, the compact channel line, and the graph pane with its
 * traffic marks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { TeamGraphPane } from '../../../source/ui/team/graph-pane.js';
import { TeamApp } from '../../../source/ui/team/team-app.js';
import { TeamStore } from '../../../source/ui/team/team-store.js';
import { frame } from '../../helpers/frames.js';
import { until } from '../../helpers/until.js';

/** A model answering `<who> got: <last user text>`. */
function echo(who: string) {
  return new ScriptedLLM(
    Array.from({ length: 20 }, () => (request: LLMRequest) => {
      const last = [...request.messages].reverse().find((m) => m.role === 'user');
      return { text: `${who} got: ${last ? contentText(last.content) : ''}` };
    }),
  );
}

// The app sets an approver on the focused creature, which needs the built-in permission plugin.
installBuiltins();

let open: Terrarium | undefined;
afterEach(async () => {
  await open?.shutdown();
  open = undefined;
});

async function pair() {
  const team = new Terrarium({ name: 'crew', pwd: mkdtempSync(join(tmpdir(), 'kt-team-ui-')), build: { catalog: new ToolCatalog(), projectInstructions: false } });
  open = team;
  await team.addCreature({ name: 'root' }, { name: 'root', privileged: true, llm: echo('root') });
  await team.addCreature({ name: 'worker' }, { name: 'worker', llm: echo('worker') });
  team.addChannel('review', { description: 'code to review' });
  team.setSend('worker', 'review');
  await team.setListen('root', 'review');
  team.wireOutput('worker', 'root');
  const store = new TeamStore(team, 'root', () => new ViewStore(initialView({}), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 }));
  return { team, store };
}

function draw(store: TeamStore) {
  const app = render(<TeamApp team={store} mode="cli" renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
  return app;
}

const reading = (app: ReturnType<typeof draw>) => until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');

describe('the team screen (cli mode)', () => {
  it('shows the roster with the focused creature; Tab and @name move the focus', async () => {
    const { store } = await pair();
    const app = draw(store);
    await reading(app);
    await frame(app, /○\[root\]\s*○ worker /);
    app.stdin.write('\t');
    await frame(app, /○ root \s*○\[worker\]/);
    expect(store.getState().focus).toBe('worker');
    app.stdin.write('@root\r');
    await frame(app, /○\[root\]/);
    expect(store.getState().focus).toBe('root');
    app.unmount();
  });

  it('@worker <message> is a turn of the worker; its answer counts as unread until focused', async () => {
    const { team, store } = await pair();
    const app = draw(store);
    await reading(app);
    const worker = team.getCreature('worker')!;
    const ended = new Promise<string>((resolve) => worker.agent.on('turn.end', (e) => resolve(e.text ?? '')));
    app.stdin.write('@worker check the parser\r');
    expect(await ended).toBe('worker got: check the parser');
    // Still on root; the worker has news.
    await frame(app, /\[root\][^\n]*worker \(\d+\)/);
    expect(store.getState().focus).toBe('root');
    app.stdin.write('@worker\r');
    const shown = await frame(app, /worker got: check the parser/);
    expect(shown).toMatch(/check the parser/);
    expect(store.getState().roster.find((r) => r.name === 'worker')!.unread).toBe(0);
    app.unmount();
  });

  it('a channel message is one compact line in the transcripts of sender and listener', async () => {
    const { team, store } = await pair();
    const app = draw(store);
    await reading(app);
    const rootTurn = new Promise<void>((resolve) => team.getCreature('root')!.agent.on('turn.end', () => resolve()));
    team.hub.send('review', 'please look at parse.ts', { sender: 'worker' });
    await frame(app, /#review {2}worker → root: please look at parse\.ts/);
    await rootTurn;
    app.unmount();
  });
});

describe('the team graph pane', () => {
  it('draws nodes with state, channels with senders and listeners, wires; marks traffic until later ticks', async () => {
    const { team, store } = await pair();
    const app = render(<TeamGraphPane team={store} />);
    const first = await frame(app, /worker ⇒ root/);
    expect(first).toMatch(/○ root[^\n]*★ idle/);
    expect(first).toMatch(/○ worker[^\n]*idle/);
    expect(first).toMatch(/#review bcast worker → root/);
    expect(first).not.toContain('✦');
    const rootTurn = new Promise<void>((resolve) => team.getCreature('root')!.agent.on('turn.end', () => resolve()));
    team.hub.send('review', 'ping', { sender: 'worker' });
    const lit = await frame(app, /#review[^\n]*✦/);
    expect(lit).toMatch(/worker[^\n]*✦/);
    await rootTurn;
    store.tick();
    store.tick();
    await frame(app, /^(?![\s\S]*✦)/);
    app.unmount();
  });
});
