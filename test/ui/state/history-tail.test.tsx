/**
 * Tail first: a resumed transcript's last screenful is what goes up first
 * (in the live region), cut to the rows the screen has; the whole repaint
 * then takes its place, committed in order, and the preview is gone.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { TurnRecord } from '../../../source/engine/session/reader.js';
import { App } from '../../../source/ui/cli/app.js';
import { plainRenderer } from '../../../source/ui/components/render-context.js';
import { defaultKeymap, PromptHistory } from '../../../source/ui/input/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { AgentSlot } from '../../../source/ui/state/agent-slot.js';
import { historyItems, REPAINT_TURNS, withHistory, withHistoryPreview } from '../../../source/ui/state/history-items.js';
import { estimateRows, visibleTail } from '../../../source/ui/state/history-tail.js';
import type { NewItem } from '../../../source/ui/state/reduce.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';
import { until } from '../../helpers/until.js';

const turn = (index: number, answer = `Answer ${index}.`): TurnRecord => ({ index, branch: 1, userText: `Question ${index}?`, assistantText: answer, toolCalls: [], usage: { input: 0, output: 0, cached: 0 }, startedAt: 0, status: 'completed' });
const turns = (n: number) => Array.from({ length: n }, (_, i) => turn(i + 1));
const texts = (items: readonly NewItem[]) => items.map((i) => (i.kind === 'user' || i.kind === 'assistant' || i.kind === 'info' ? i.text : i.kind));

describe('visible tail of a resumed transcript', () => {
  it('estimates rows as the transcript draws them: margins, wrapping, a command keeps its last lines', () => {
    expect(estimateRows({ kind: 'user', text: 'short' }, 80)).toBe(2);
    expect(estimateRows({ kind: 'assistant', text: 'x'.repeat(100), continues: false }, 52)).toBe(3); // 50 columns after the indent
    expect(estimateRows({ kind: 'info', tone: 'info', text: 'one\ntwo' }, 80)).toBe(2);
    const bash = { kind: 'tool', callId: 'c', name: 'bash', summary: 'ls', ok: true, status: 'ok', output: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'), durationMs: 5, under: [] } as const;
    expect(estimateRows(bash, 80)).toBe(7); // the call, "… earlier lines", five lines
    expect(estimateRows({ ...bash, name: 'read' }, 80)).toBe(1);
  });

  it('takes the last items that fit, oldest first; the topmost one is cut to its last lines', () => {
    const items: NewItem[] = [
      { kind: 'user', text: 'old question' },
      { kind: 'assistant', text: 'line 1\nline 2\nline 3\nline 4', continues: false },
      { kind: 'user', text: 'last question' },
      { kind: 'assistant', text: 'last answer', continues: false },
    ];
    expect(texts(visibleTail(items, { rows: 100, columns: 80 }))).toEqual(['old question', 'line 1\nline 2\nline 3\nline 4', 'last question', 'last answer']);
    // 4 rows for the last turn, 3 left: the margin and the answer's last two lines.
    expect(texts(visibleTail(items, { rows: 7, columns: 80 }))).toEqual(['line 3\nline 4', 'last question', 'last answer']);
    expect(texts(visibleTail(items, { rows: 4, columns: 80 }))).toEqual(['last question', 'last answer']);
    expect(visibleTail(items, { rows: 0, columns: 80 })).toEqual([]);
  });

  it('previews the last screenful without committing it; the whole repaint then replaces it', () => {
    const long = turns(REPAINT_TURNS + 20);
    const previewed = withHistoryPreview(initialView(), long, { rows: 13, columns: 80 }); // three turns of 4 rows, and the closing line
    expect(previewed.committed).toEqual([]);
    expect(texts(previewed.preview)).toEqual(['Question 68?', 'Answer 68.', 'Question 69?', 'Answer 69.', 'Question 70?', 'Answer 70.', `Resumed: ${long.length} earlier turns above.`]);
    // Ids no committed entry will take.
    expect(previewed.preview.every((i) => i.id < 0)).toBe(true);

    const repainted = withHistory(previewed, long);
    expect(repainted.preview).toEqual([]);
    expect(repainted.committed).toHaveLength(historyItems(long).length);
    expect(texts(repainted.committed).slice(0, 3)).toEqual(['… 20 earlier turns are in the session, not shown (kt search finds them).', 'Question 21?', 'Answer 21.']);
    expect(texts(repainted.committed).slice(-3)).toEqual(['Question 70?', 'Answer 70.', `Resumed: ${long.length} earlier turns above.`]);
  });

  it('the cli app draws the preview above the prompt, and the entries in its place once committed', async () => {
    const store = new ViewStore(initialView({ model: 'scripted' }), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 0 });
    const app = render(<App slot={new AgentSlot()} store={store} renderer={plainRenderer} keymap={defaultKeymap} history={new PromptHistory(undefined)} onExit={() => {}} onRedraw={() => {}} />);
    await until(() => (app.stdin as unknown as NodeJS.EventEmitter).listenerCount('data') > 0, 'the app to read keys');
    store.update((s) => withHistoryPreview(s, turns(3), { rows: 5, columns: 80 }));
    store.flush();
    const preview = await until(() => app.frames.findLast((f) => /Ask anything/.test(f) && /Question 3/.test(f)), 'a frame with the preview');
    expect(preview).toMatch(/› Question 3\?\n\n {2}Answer 3\.\n {2}Resumed: 3 earlier turns above\.[\s\S]*Ask anything/);
    expect(preview).not.toMatch(/Question 2/);

    store.update((s) => withHistory(s, turns(3)));
    store.flush();
    // The transcript (what <Static> wrote) holds every turn once, in order, and the live frame after it
    // no longer carries the preview: the closing line shows once.
    const whole = await until(() => app.frames.findLast((f) => /Answer 1\./.test(f) && /Ask anything/.test(f)), 'the repaint written');
    expect(whole).toMatch(/Answer 1\.[\s\S]*Answer 2\.[\s\S]*› Question 3\?[\s\S]*Answer 3\.[\s\S]*Resumed: 3 earlier turns above\.[\s\S]*Ask anything/);
    expect(whole.match(/Answer 3\./g)).toHaveLength(1);
    expect(whole.match(/Resumed: 3 earlier turns above/g)).toHaveLength(1);
    app.unmount();
  });
});
