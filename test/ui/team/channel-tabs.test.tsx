/**
 * Channel tabs with a real terrarium on scripted models: in tui mode a tab
 * per team channel (not the members' direct ones) after the creature tabs,
 * unread counts, Tab order, a focused channel tab showing the channel's log
 * (with reply markers), and a line typed there (or `@#chat message`, in cli
 * mode too) posted on the channel so a listener gets it as a channel turn.
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

const userTexts = (llm: ScriptedLLM) => llm.calls.flatMap((call) => call.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content)));

installBuiltins();

let open: Terrarium | undefined;
afterEach(async () => {
  await open?.shutdown();
  open = undefined;
});

/** root (privileged) hears #review, which the worker sends on; the worker hears #chat. */
async function crew() {
  const team = new Terrarium({ name: 'crew', pwd: mkdtempSync(join(tmpdir(), 'kt-team-ch-')), build: { catalog: new ToolCatalog(), projectInstructions: false } });
  open = team;
  const models = { root: echo('root'), worker: echo('worker') };
  await team.addCreature({ name: 'root' }, { name: 'root', privileged: true, llm: models.root });
  await team.addCreature({ name: 'worker' }, { name: 'worker', llm: models.worker });
  team.addChannel('review', { description: 'code to review' });
  team.addChannel('chat', { description: 'talk' });
  team.setSend('worker', 'review');
  await team.setListen('root', 'review');
  await team.setListen('worker', 'chat');
  const store = new TeamStore(team, 'root', () => new ViewStore(initialView({}), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 }));
  return { team, store, models };
}

function draw(store: TeamStore, mode: 'cli' | 'tui') {
  return render(<TeamApp team={store} mode={mode} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
}

const reading = (app: ReturnType<typeof draw>) => until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');
/** The row of tabs: the frame's first line. */
const tabRow = (shown: string) => shown.split('\n')[0] ?? '';
const turnEnd = (team: Terrarium, name: string) => new Promise<string>((resolve) => team.getCreature(name)!.agent.on('turn.end', (e) => resolve(e.text ?? '')));

describe('channel tabs (tui mode)', () => {
  it('a tab per team channel after the creatures, none for direct channels; Tab goes through creatures then channels', async () => {
    const { store } = await crew();
    const app = draw(store, 'tui');
    await reading(app);
    const first = await frame(app, /\[root\][^\n]*worker[^\n]*#review[^\n]*#chat/);
    expect(tabRow(first)).not.toMatch(/#root|#worker/);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      app.stdin.write('\t');
      await until(() => store.getState().focus !== (order.at(-1) ?? 'root'), 'the focus to move');
      order.push(store.getState().focus);
    }
    expect(order).toEqual(['worker', '#review', '#chat', 'root']);
    app.unmount();
  });

  it('counts unread messages on a channel; focusing it with @#review shows its log and clears the count', async () => {
    const { team, store } = await crew();
    const app = draw(store, 'tui');
    await reading(app);
    const rootTurn = turnEnd(team, 'root');
    const { message } = team.hub.send('review', 'please look at parse.ts\nline two', { sender: 'worker' });
    await frame(app, /#review \(1\)/);
    await rootTurn;
    team.hub.send('review', 'and lexer.ts', { sender: 'worker', replyTo: message.id });
    await frame(app, /#review \(2\)/);

    app.stdin.write('@#review\r');
    const shown = await frame(app, /\[#review\][\s\S]*#review channel[\s\S]*and lexer\.ts/);
    expect(tabRow(shown)).not.toMatch(/#review\]?\s*\(\d+\)/);
    // Lines inside the pane start with its border: `│`.
    expect(shown).toMatch(/\d\d:\d\d:\d\d {2}worker → root *│[^\n]*\n│ +please look at parse\.ts *│[^\n]*\n│ +line two/);
    expect(shown).toMatch(/worker → root {2}↩ worker: please look at parse\.ts[\s\S]*│ +and lexer\.ts/);
    expect(store.getState().channels.find((t) => t.name === 'review')!.unread).toBe(0);
    app.unmount();
  });

  it('a line typed on a channel tab is posted as you; a listener gets it as a channel turn', async () => {
    const { team, store, models } = await crew();
    const app = draw(store, 'tui');
    await reading(app);
    app.stdin.write('@#chat\r');
    await frame(app, /\[#chat\]/);
    const workerTurn = turnEnd(team, 'worker');
    app.stdin.write('hello\r');
    expect(await workerTurn).toBe("worker got: [Channel 'chat' from you]: hello");
    expect(userTexts(models.worker)).toContain("[Channel 'chat' from you]: hello");
    // The root does not listen on #chat and took no turn.
    expect(models.root.callCount).toBe(0);
    await frame(app, /you → worker *│[^\n]*\n│ +hello/);
    // The worker answered while another tab had the focus.
    await frame(app, /worker \(\d+\)/);
    app.unmount();
  });

  it('a command on a channel tab is not posted; it says commands need a creature', async () => {
    const { store, models } = await crew();
    const app = draw(store, 'tui');
    await reading(app);
    app.stdin.write('@#chat\r');
    await frame(app, /\[#chat\]/);
    app.stdin.write('/cost\r');
    await frame(app, /commands act on a/);
    expect(models.worker.callCount).toBe(0);
    app.unmount();
  });
});

describe('channels in cli mode', () => {
  it('no channel tabs; @#chat message posts on the channel and shows where it was typed', async () => {
    const { team, store, models } = await crew();
    const app = draw(store, 'cli');
    await reading(app);
    const shown = await frame(app, /\[root\]/);
    expect(shown).not.toMatch(/ #chat /);
    const workerTurn = turnEnd(team, 'worker');
    app.stdin.write('@#chat hello there\r');
    expect(await workerTurn).toBe("worker got: [Channel 'chat' from you]: hello there");
    expect(userTexts(models.worker)).toContain("[Channel 'chat' from you]: hello there");
    await frame(app, /#chat {2}you → worker: hello there/);
    // Tab stays among the creatures; @#chat alone explains where channel tabs are.
    app.stdin.write('@#chat\r');
    await frame(app, /Channels have tabs in tui mode/);
    expect(store.getState().focus).toBe('root');
    app.unmount();
  });

  it('posting on a channel that does not exist is not a message to anyone', async () => {
    const { store, models } = await crew();
    const app = draw(store, 'cli');
    await reading(app);
    expect(() => store.post('nope', 'hi')).toThrow(/no channel 'nope'/);
    expect(models.worker.callCount + models.root.callCount).toBe(0);
    app.unmount();
  });
});
