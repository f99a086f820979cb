/** Notifications when a long turn ends or an approval waits and the person looked away (OSC 9 / BEL). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../source/index.js';
import { Agent } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/index.js';
import { App } from '../../../source/ui/cli/app.js';
import { Attention, focusIn, notificationBytes, resolveChannel } from '../../../source/ui/components/attention.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { attentionSettings } from '../../../source/ui/components/use-attention.js';
import { defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { until } from '../../helpers/until.js';

const base = { seq: 1, ts: 0, sessionId: 's', creatureId: 'c', agentPath: ['helper'], turnId: 't1' };
const turnEnd = (durationMs: number, status = 'completed') =>
  ({ ...base, type: 'turn.end', turnIndex: 1, status, text: '', usage: { input: 0, output: 0, cached: 0 }, steps: 1, toolCalls: 0, durationMs }) as unknown as AgentEvent;
const approval = (id: string) => ({ ...base, type: 'interaction.request', id, kind: 'approval', payload: { tool: 'bash' } }) as unknown as AgentEvent;
const reply = (id: string) => ({ ...base, type: 'interaction.reply', id, reply: 'once', outcome: 'answered' }) as unknown as AgentEvent;

/** A clock the test moves by hand. */
function manualClock() {
  const pending: Array<{ fn: () => void; at: number; live: boolean }> = [];
  let now = 0;
  return {
    schedule(fn: () => void, ms: number) {
      const entry = { fn, at: now + ms, live: true };
      pending.push(entry);
      return () => void (entry.live = false);
    },
    advance(ms: number) {
      now += ms;
      for (const entry of pending) if (entry.live && entry.at <= now) (entry.live = false), entry.fn();
    },
  };
}

function attention(channel: 'bell' | 'osc9' | 'auto' | 'off' = 'osc9', afterSeconds = 10) {
  const written: string[] = [];
  const clock = manualClock();
  const a = new Attention({ channel, afterSeconds }, () => 'helper', { write: (b) => written.push(b), env: {}, schedule: clock.schedule });
  return { a, written, clock };
}

describe('attention', () => {
  it('picks OSC 9 where terminals show it, the bell in tmux and elsewhere; strips control characters', () => {
    expect(resolveChannel('auto', { TERM_PROGRAM: 'iTerm.app' })).toBe('osc9');
    expect(resolveChannel('auto', { TERM_PROGRAM: 'iTerm.app', TMUX: '/tmp/tmux' })).toBe('bell');
    expect(resolveChannel('auto', { TERM: 'xterm-256color' })).toBe('bell');
    expect(resolveChannel('off', { TERM_PROGRAM: 'WezTerm' })).toBe('off');
    expect(notificationBytes('osc9', 'done\u0007\nnow')).toBe('\u001b]9;done  now\u0007');
    expect(notificationBytes('bell', 'x')).toBe('\u0007');
    expect(focusIn('abc\u001b[O')).toBe(false);
    expect(focusIn('\u001b[O\u001b[I')).toBe(true);
    expect(focusIn('plain')).toBeUndefined();
  });

  it('a long turn ends: notifies unless the terminal says it has focus; a short one never', () => {
    const { a, written } = attention();
    a.handle(turnEnd(3_000));
    expect(written).toEqual([]);
    a.handle(turnEnd(42_000));
    expect(written).toEqual(['\u001b]9;kt: helper finished (42s)\u0007']);
    a.input('\u001b[I');
    a.handle(turnEnd(60_000, 'interrupted'));
    expect(written).toHaveLength(1);
    a.input('\u001b[O');
    a.handle(turnEnd(60_000, 'interrupted'));
    expect(written[1]).toBe('\u001b]9;kt: helper interrupted (1m 00s)\u0007');
  });

  it('an approval: at once when unfocused, after the delay when focus is unknown, never when answered first or focused', () => {
    const unknown = attention('bell', 10);
    unknown.a.handle(approval('r1'));
    unknown.clock.advance(9_999);
    expect(unknown.written).toEqual([]);
    unknown.clock.advance(1);
    expect(unknown.written).toEqual(['\u0007']);
    unknown.a.handle(approval('r2'));
    unknown.a.handle(reply('r2'));
    unknown.clock.advance(60_000);
    expect(unknown.written).toEqual(['\u0007']);

    const away = attention('osc9');
    away.a.input('\u001b[O');
    away.a.handle(approval('r3'));
    expect(away.written).toEqual(['\u001b]9;kt: helper needs your approval for bash\u0007']);
    away.a.input('\u001b[I');
    away.a.handle(approval('r4'));
    away.clock.advance(60_000);
    expect(away.written).toHaveLength(1);
  });

  it('settings come from .kt/settings.json; KT_NOTIFY overrides the channel; a bad file keeps the defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-attention-'));
    expect(await attentionSettings(dir, {})).toEqual({ channel: 'auto', afterSeconds: 10 });
    mkdirSync(join(dir, '.kt'));
    writeFileSync(join(dir, '.kt', 'settings.json'), JSON.stringify({ notifications: { channel: 'bell', after_seconds: 30 } }));
    expect(await attentionSettings(dir, {})).toEqual({ channel: 'bell', afterSeconds: 30 });
    expect(await attentionSettings(dir, { KT_NOTIFY: 'off' })).toEqual({ channel: 'off', afterSeconds: 30 });
    writeFileSync(join(dir, '.kt', 'settings.json'), '{');
    expect(await attentionSettings(dir, {})).toEqual({ channel: 'auto', afterSeconds: 10 });
  });

  it('in the app: focus reports are turned on, and a turn that ends while the terminal is unfocused rings', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-attention-app-'));
    mkdirSync(join(pwd, '.kt'));
    writeFileSync(join(pwd, '.kt', 'settings.json'), JSON.stringify({ notifications: { channel: 'bell', after_seconds: 0 } }));
    const agent = await Agent.build({ name: 'ui-test' }, { llm: new ScriptedLLM([{ text: 'done' }, { text: 'again' }]), pwd });
    const store = new ViewStore(initialView({ model: 'scripted' }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 });
    agent.on(store.dispatch);
    const app = render(<App slot={new AgentSlot(agent)} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
    await until(() => app.frames.some((f) => f.startsWith('\u001b[?1004h')), 'focus reports to be turned on');
    await until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 1, 'the app to listen');
    app.stdin.write('\u001b[O'); // the person switched away
    await agent.run('work');
    const bells = () => app.frames.filter((f) => f.startsWith('\u0007')).length;
    expect(bells()).toBe(1);
    app.stdin.write('\u001b[I'); // back: the next turn end is seen, not rung
    await agent.run('more');
    expect(bells()).toBe(1);
    app.unmount();
    expect(app.frames).toContain('\u001b[?1004l');
    await agent.stop();
  });
});
